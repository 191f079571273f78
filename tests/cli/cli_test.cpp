// The consentguard program itself, run as a user would: output, JSON shape and exit status.
#include <Poco/JSON/Parser.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <opencv2/imgcodecs.hpp>

#include "support/test_support.h"

namespace consentguard::testing {
namespace {

// Standard error is dropped: these tests read what a user reads on standard output.
ProgramRun run(const std::string& arguments) { return runConsentguard(arguments + " 2>/dev/null"); }

Poco::JSON::Object::Ptr parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

TEST(Cli, FacesJsonListsEveryFaceWithBoxScoreAndDescriptor) {
  CG_REQUIRE_SHARED_TESTDATA();
  const ProgramRun r = run("faces --json " + testdata("groups/bbt1.jpg").string());
  ASSERT_EQ(r.status, 0) << r.out;
  auto json = parse(r.out);
  EXPECT_EQ(json->getValue<int>("width"), 1366);
  EXPECT_EQ(json->getValue<std::string>("detector"), "ssd");  // the default
  auto faces = json->getArray("faces");
  ASSERT_EQ(faces->size(), 4u);
  for (size_t i = 0; i < faces->size(); ++i) {
    auto face = faces->getObject(i);
    auto box = face->getObject("box");
    EXPECT_GE(box->getValue<int>("x"), 0);
    EXPECT_LE(box->getValue<int>("x") + box->getValue<int>("w"), 1366);
    EXPECT_GT(box->getValue<int>("h"), 60);
    EXPECT_GT(face->getValue<double>("score"), 0.0);
    EXPECT_EQ(face->getArray("descriptor")->size(), 128u);
  }
}

TEST(Cli, FacesTimingsGiveEachStageOnStandardError) {
  CG_REQUIRE_SHARED_TESTDATA();
  const fs::path dir = scratchDir("cli-timings");
  const ProgramRun r = runConsentguard("faces --timings --detector hog " +
                                       testdata("groups/bbt2.jpg").string() + " 2>" +
                                       shellQuoted(dir / "err.txt"));
  ASSERT_EQ(r.status, 0) << r.out;
  std::ifstream err(dir / "err.txt");
  std::string line;
  std::getline(err, line);
  auto json = parse(line);
  EXPECT_EQ(json->getValue<std::string>("detector"), "hog");
  double sum = 0;
  for (const char* stage : {"decode_ms", "detect_ms", "landmarks_ms", "describe_ms"}) {
    EXPECT_GE(json->getValue<double>(stage), 0.0) << stage;
    sum += json->getValue<double>(stage);
  }
  EXPECT_GT(json->getValue<double>("detect_ms"), 0.0);
  EXPECT_NEAR(json->getValue<double>("total_ms"), sum, 0.01);
}

TEST(Cli, AnUnknownDetectorIsAUsageErrorNamingTheChoices) {
  const ProgramRun r = run("faces --detector sdd " + testdata("groups/bbt2.jpg").string());
  EXPECT_EQ(r.status, 64);
  EXPECT_NE(r.out.find("ssd, mmod or hog"), std::string::npos) << r.out;
}

TEST(Cli, TheServiceDoesNotStartWithoutItsFaceDetector) {
  // A models folder with everything but the SSD detector: no silent fall-back to HOG.
  const fs::path dir = scratchDir("cli-no-detector");
  fs::create_directories(dir / "models");
  for (const auto& file : {modelPaths().landmarks(), modelPaths().recognition()}) {
    fs::copy_file(file, dir / "models" / file.filename());
  }
  const ProgramRun r = runConsentguard("serve --models " + shellQuoted(dir / "models") +
                                       " --data " + shellQuoted(dir / "data") +
                                       " --port 18471 2>&1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("SSD face detector model is missing"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("scripts/fetch-models"), std::string::npos) << r.out;
}

TEST(Cli, FacesBoxesAreInTheUprightPicture) {
  // MWG.jpg is stored sideways (Orientation 6): the program reports the turned size.
  CG_REQUIRE_SHARED_TESTDATA();
  const ProgramRun r = run("faces --json --hog " + testdata("metadata/MWG.jpg").string());
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(parse(r.out)->getValue<int>("orientation_applied"), 6);
}

TEST(Cli, ABadFileGetsExitStatus3AndANamedError) {
  const fs::path file = scratchDir("cli") / "notes.jpg";
  std::ofstream(file) << "not a photo";
  const ProgramRun r = run("faces --json " + file.string());
  EXPECT_EQ(r.status, 3);
  auto error = parse(r.out)->getObject("error");
  EXPECT_EQ(error->getValue<std::string>("code"), "not_an_image");
  EXPECT_FALSE(error->getValue<std::string>("message").empty());
}

TEST(Cli, FacesOnAFolderGivesALineAFileAndASummary) {
  CG_REQUIRE_SHARED_TESTDATA();
  const fs::path dir = scratchDir("cli-faces-folder") / "photos";
  fs::create_directories(dir / "more");
  fs::copy_file(testdata("groups/bbt1.jpg"), dir / "bbt1.jpg");
  fs::copy_file(testdata("identities/amy/amy5.png"), dir / "more" / "amy5.png");
  fs::copy_file(testdata("identities/amy/amy5.png"), dir / ".hidden.png");
  cv::imwrite((dir / "grey.png").string(), plainBackdrop());
  std::ofstream(dir / "notes.jpg") << "not a photo";
  const ProgramRun text = run("faces " + shellQuoted(dir));
  EXPECT_EQ(text.status, 3) << "a file could not be read\n" << text.out;
  const std::string d = dir.string();
  for (const std::string& line : std::vector<std::string>{
           d + "/bbt1.jpg: 4 faces\n", d + "/grey.png: 0 faces\n", d + "/more/amy5.png: 1 face\n",
        d + "/notes.jpg (could not be read): ",
        "4 files looked at by the ssd detector: 5 face(s) in 2, no face in 1, 1 could not be "
        "read.\n"}) {
    EXPECT_NE(text.out.find(line), std::string::npos) << line << "\n" << text.out;
  }
  EXPECT_EQ(text.out.find(".hidden"), std::string::npos) << text.out;

  const ProgramRun json = run("faces --json " + shellQuoted(dir / "bbt1.jpg") + " " +
                              shellQuoted(dir / "notes.jpg") + " " + shellQuoted(dir / "more"));
  EXPECT_EQ(json.status, 3) << json.out;
  std::istringstream lines(json.out);
  std::vector<Poco::JSON::Object::Ptr> objects;
  for (std::string line; std::getline(lines, line);) objects.push_back(parse(line));
  ASSERT_EQ(objects.size(), 4u) << json.out;  // in the order given, then the summary
  EXPECT_EQ(objects[0]->getValue<std::string>("image"), (dir / "bbt1.jpg").string());
  EXPECT_EQ(objects[0]->getArray("faces")->size(), 4u);
  EXPECT_EQ(objects[0]->getArray("faces")->getObject(0)->getArray("descriptor")->size(), 128u);
  EXPECT_EQ(objects[1]->getValue<std::string>("image"), (dir / "notes.jpg").string());
  EXPECT_EQ(objects[1]->getObject("error")->getValue<std::string>("code"), "not_an_image");
  EXPECT_EQ(objects[2]->getValue<std::string>("image"), (dir / "more" / "amy5.png").string());
  EXPECT_EQ(objects[2]->getArray("faces")->size(), 1u);
  auto summary = objects[3]->getObject("summary");
  EXPECT_EQ(summary->getValue<int>("files"), 3);
  EXPECT_EQ(summary->getValue<int>("faces"), 5);
  EXPECT_EQ(summary->getValue<int>("unreadable"), 1);
}

TEST(Cli, ModelsCheckSaysWhatIsMissingAndHowToFetchIt) {
  const ProgramRun ready = run("models check --models " + modelsDir().string());
  EXPECT_EQ(ready.status, 0) << ready.out;
  EXPECT_NE(ready.out.find("All required models are ready"), std::string::npos);

  const fs::path empty = scratchDir("no-models");
  const ProgramRun missing = run("models check --models " + empty.string());
  EXPECT_EQ(missing.status, 4);
  EXPECT_NE(missing.out.find("MISSING"), std::string::npos);
  EXPECT_NE(missing.out.find("scripts/fetch-models"), std::string::npos);
}

TEST(Cli, ADamagedModelIsReportedNotUsed) {
  const fs::path dir = scratchDir("damaged-models");
  fs::copy_file(modelPaths().landmarks(), dir / "shape_predictor_68_face_landmarks.dat");
  std::ofstream(dir / "face_recognition_resnet.dat") << "garbage";
  const ProgramRun r = run("models check --models " + dir.string());
  EXPECT_EQ(r.status, 4);
  EXPECT_NE(r.out.find("DAMAGED"), std::string::npos);
}

TEST(Cli, UnknownCommandIsAUsageError) { EXPECT_EQ(run("frobnicate").status, 64); }

// One account, several roles (issue 22): made with a list, changed with `users roles`, listed.
TEST(Cli, AnAccountIsMadeWithSeveralRolesAndTheirRolesChanged) {
  const fs::path dir = scratchDir("cli-users-roles");
  const std::string db = shellQuoted(dir / "consentguard.db");
  std::ofstream(dir / "password") << "a-long-enough-password\n";
  const std::string password = " < " + shellQuoted(dir / "password");
  EXPECT_EQ(run("users create --db " + db + " --name mrs.head --role slt,dsl" + password).status,
            0);
  EXPECT_EQ(run("users create --db " + db + " --name x --role slt,teacher" + password).status, 64)
      << "an unknown role is a usage error";
  EXPECT_NE(run("users list --db " + db).out.find("mrs.head\tslt,dsl\t"), std::string::npos);
  const ProgramRun changed = run("users roles --db " + db + " --name mrs.head --role admin,slt,dsl");
  EXPECT_EQ(changed.status, 0) << changed.out;
  EXPECT_NE(run("users list --db " + db).out.find("mrs.head\tslt,dsl,admin\t"),
            std::string::npos);
  EXPECT_NE(run("users roles --db " + db + " --name nobody --role slt").status, 0);
}

}  // namespace
}  // namespace consentguard::testing
