// The office's commands run as a user would: register import, enrol, check --json, and the
// register tools, with exit statuses, JSON shape and the cleaned copy in --out.
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <map>
#include <sstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "check/check_fixture.h"
#include "consentguard/common/dates.h"
#include "consentguard/image/sanitiser.h"
#include "consentguard/register/register_store.h"
#include "support/video_fixture.h"

namespace consentguard::testing {
namespace {

Poco::JSON::Object::Ptr parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

class CheckCli : public ::testing::Test {
 protected:
  void SetUp() override {
    CG_REQUIRE_SHARED_TESTDATA();
    dir_ = scratchDir(std::string("check-cli-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    db_ = dir_ / "consentguard.db";
    const fs::path csv = dir_ / "register.csv";
    std::ofstream(csv) << registerCsv();
    // The identity crops carry no camera details: this school has switched the device check off.
    config_ = dir_ / "consentguard.properties";
    std::ofstream(config_) << "policy.device_check = false\n";
    const ProgramRun imported =
        cg("register import --db " + shellQuoted(db_) + " " + shellQuoted(csv));
    ASSERT_EQ(imported.status, 0) << imported.out;
    ASSERT_NE(imported.out.find("8 added"), std::string::npos) << imported.out;
  }

  ProgramRun cg(const std::string& arguments) { return runConsentguard(arguments); }

  ProgramRun enrol(const std::string& id, const std::string& name, int from, int to) {
    std::string photos;
    for (int i = from; i <= to; ++i) {
      photos += " " + shellQuoted(
                          testdata("identities/" + name + "/" + name + std::to_string(i) + ".png"));
    }
    return cg("enrol --db " + shellQuoted(db_) + " --person " + id + photos);
  }

  ProgramRun check(const std::string& channel, const fs::path& photo,
                   const std::string& extra = "") {
    return cg("check --json --db " + shellQuoted(db_) + " --config " + shellQuoted(config_) +
              " --channel " + channel + " --out " + shellQuoted(dir_ / "outbox") + " " + extra +
              " " + shellQuoted(photo));
  }

  // Today's folder, as the office leaves it before the newsletter: photos (one in a folder of
  // its own), a damaged copy, a note, and what copy tools and cameras leave that is never taken.
  fs::path todaysFolder() {
    const fs::path today = dir_ / "today";
    fs::create_directories(today / "class 2");
    fs::create_directories(today / ".thumbs");
    fs::create_directories(today / "outbox");
    const fs::path amy = testdata("identities/amy/amy5.png");
    fs::copy_file(amy, today / "amy5.png");
    fs::copy_file(testdata("identities/penny/penny5.png"), today / "penny5.png");
    fs::copy_file(testdata("identities/howard/howard5.png"), today / "class 2" / "howard5.png");
    fs::copy_file(testdata("groups/bbt1.jpg"), today / "bbt1.jpg");
    const auto bytes = bytesOf(testdata("groups/bbt1.jpg"));
    std::ofstream(today / "half.jpg", std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<long>(bytes.size() / 2));
    std::ofstream(today / "notes.txt") << "Sports day: remember the cones.\n";
    for (const auto& never : {today / ".hidden.png", today / "amy6.png.part",
                                 today / ".thumbs" / "amy5.png", today / "outbox" / "old.png"}) {
      fs::copy_file(amy, never);
    }
    return today;
  }

  ProgramRun checkMany(const std::string& files, const std::string& extra = "") {
    return cg("check --db " + shellQuoted(db_) + " --config " + shellQuoted(config_) +
              " --channel website " + extra + " " + files);
  }

  fs::path dir_, db_, config_;
};

TEST_F(CheckCli, APublishableFaceGivesExit0AndACleanCopyThatNeverOverwrites) {
  const ProgramRun enrolled = enrol("P001", "amy", 1, 4);
  ASSERT_EQ(enrolled.status, 0) << enrolled.out;
  EXPECT_NE(enrolled.out.find("4 of 4 photo(s) enrolled for Amy Fowler"), std::string::npos);

  const ProgramRun r = check("website", testdata("identities/amy/amy5.png"));
  ASSERT_EQ(r.status, 0) << r.out;
  auto json = parse(r.out);
  EXPECT_EQ(json->getValue<std::string>("verdict"), "publish");
  EXPECT_EQ(json->getArray("reasons")->size(), 0u);
  auto faces = json->getArray("faces");
  ASSERT_EQ(faces->size(), 1u);
  auto face = faces->getObject(0);
  EXPECT_EQ(face->getValue<std::string>("person"), "P001");
  EXPECT_EQ(face->getValue<std::string>("role"), "pupil");
  EXPECT_EQ(face->getValue<std::string>("status"), "consented");
  EXPECT_LT(face->getValue<double>("distance"), 0.53);
  EXPECT_GT(face->getObject("box")->getValue<int>("w"), 60);
  EXPECT_TRUE(json->has("metadata"));
  const fs::path output = json->getValue<std::string>("output");
  EXPECT_EQ(output, dir_ / "outbox" / "amy5.png");
  auto bytes = image::readFileBytes(output);
  ASSERT_TRUE(bytes.ok());
  EXPECT_TRUE(image::verifyClean(*bytes).ok());

  const ProgramRun again = check("website", testdata("identities/amy/amy5.png"));
  ASSERT_EQ(again.status, 0) << again.out;
  EXPECT_EQ(fs::path(parse(again.out)->getValue<std::string>("output")),
            dir_ / "outbox" / "amy5-1.png");
  int files = 0;  // the two copies, and no temporary file beside them
  for (const auto& entry : fs::directory_iterator(dir_ / "outbox")) files += entry.exists();
  EXPECT_EQ(files, 2);
}

TEST_F(CheckCli, ExitStatusFollowsTheVerdict) {
  ASSERT_EQ(enrol("P003", "howard", 1, 4).status, 0);
  const ProgramRun blocked = check("website", testdata("identities/howard/howard5.png"));
  EXPECT_EQ(blocked.status, 2) << blocked.out;
  auto json = parse(blocked.out);
  EXPECT_EQ(json->getValue<std::string>("verdict"), "block");
  auto reason = json->getArray("reasons")->getObject(0);
  EXPECT_EQ(reason->getValue<std::string>("code"), "no_photo");
  EXPECT_FALSE(reason->getValue<std::string>("message").empty());
  EXPECT_FALSE(json->has("output"));
  EXPECT_FALSE(fs::exists(dir_ / "outbox" / "howard5.png"));

  // Penny is not enrolled (no biometric consent): her face is unknown and goes to SLT.
  const ProgramRun review = check("website", testdata("identities/penny/penny5.png"));
  EXPECT_EQ(review.status, 1) << review.out;
  auto face = parse(review.out)->getArray("faces")->getObject(0);
  EXPECT_TRUE(face->isNull("person"));
  EXPECT_EQ(face->getValue<std::string>("status"), "unknown");
}

TEST_F(CheckCli, ACaptionWithAFullNameBlocks) {
  ASSERT_EQ(enrol("P001", "amy", 1, 4).status, 0);
  const ProgramRun r = check("website", testdata("identities/amy/amy5.png"),
                             "--caption 'Amy Fowler wins the spelling bee'");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(parse(r.out)->getArray("reasons")->getObject(0)->getValue<std::string>("code"),
            "full_name");
}

TEST_F(CheckCli, ConsentWithdrawnWithTheRegisterToolBlocksAtOnce) {
  ASSERT_EQ(enrol("P001", "amy", 1, 4).status, 0);
  ASSERT_EQ(check("website", testdata("identities/amy/amy5.png")).status, 0);
  const ProgramRun withdrawn = cg("register consent --db " + shellQuoted(db_) +
                                  " --person P001 --channel website --withdraw");
  ASSERT_EQ(withdrawn.status, 0) << withdrawn.out;
  const ProgramRun r = check("website", testdata("identities/amy/amy5.png"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(parse(r.out)->getArray("reasons")->getObject(0)->getValue<std::string>("code"),
            "no_consent");
}

TEST_F(CheckCli, EnrolmentIsRefusedWithoutBiometricConsent) {
  const ProgramRun r = enrol("P005", "penny", 1, 2);
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("no biometric consent"), std::string::npos) << r.out;
  const ProgramRun group = cg("enrol --db " + shellQuoted(db_) + " --person P001 " +
                              shellQuoted(testdata("groups/bbt1.jpg")));
  EXPECT_EQ(group.status, 3) << group.out;
  EXPECT_NE(group.out.find("shows 4 faces"), std::string::npos) << group.out;
}

TEST_F(CheckCli, ABadRegisterFileIsRejectedWithItsLineNumbers) {
  const fs::path bad = dir_ / "bad.csv";
  std::ofstream(bad) << "id,role,given_name,family_name,no_photo,consent_website,"
                        "consent_newsletter,consent_social_media,biometric_consent\n"
                        "P001,pupil,Amy,Fowler,no,yes,yes,yes,yes\n"
                        "P009,pupil,New,Pupil,perhaps,yes,yes,yes,no\n";
  const ProgramRun r = cg("register import --db " + shellQuoted(db_) + " " + shellQuoted(bad));
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.out.find("Line 3: no_photo must be yes or no, not 'perhaps'"), std::string::npos)
      << r.out;
  const ProgramRun list = cg("register list --db " + shellQuoted(db_));
  EXPECT_EQ(list.out.find("P009"), std::string::npos) << "nothing from a rejected file is kept";
}

TEST_F(CheckCli, SubjectAccessExportAndErasure) {
  ASSERT_EQ(enrol("P001", "amy", 1, 2).status, 0);
  ASSERT_EQ(
      cg("register no-photo --db " + shellQuoted(db_) + " --person P001 --on --note 'Court order'")
          .status,
      0);
  const ProgramRun exported = cg("register export --db " + shellQuoted(db_) + " --person P001");
  ASSERT_EQ(exported.status, 0) << exported.out;
  auto json = parse(exported.out);
  EXPECT_EQ(json->getValue<std::string>("family_name"), "Fowler");
  EXPECT_EQ(json->getValue<std::string>("no_photo_note"), "Court order");
  EXPECT_EQ(json->getValue<int>("face_templates_stored"), 2);
  EXPECT_EQ(json->getArray("consent")->size(), 3u);

  ASSERT_EQ(cg("register erase --db " + shellQuoted(db_) + " --person P001").status, 0);
  EXPECT_EQ(cg("register export --db " + shellQuoted(db_) + " --person P001").status, 3);
}

TEST_F(CheckCli, UsageAndSetUpErrors) {
  const fs::path photo = testdata("identities/amy/amy5.png");
  EXPECT_EQ(cg("check --channel website " + shellQuoted(photo)).status, 64);  // no --db
  const ProgramRun channel = check("instagram", photo);
  EXPECT_EQ(channel.status, 3);
  EXPECT_EQ(parse(channel.out)->getObject("error")->getValue<std::string>("code"),
            "unknown_channel");
  const ProgramRun missing = check("website", dir_ / "no-such-photo.jpg");
  EXPECT_EQ(missing.status, 3);
  const fs::path badConfig = dir_ / "bad.properties";
  std::ofstream(badConfig) << "policy.max_childs = 3\n";
  const ProgramRun config = cg("check --json --db " + shellQuoted(db_) + " --config " +
                               shellQuoted(badConfig) + " --channel website " + shellQuoted(photo));
  EXPECT_EQ(config.status, 4);
  EXPECT_NE(config.out.find("policy.max_childs"), std::string::npos) << config.out;
}

TEST_F(CheckCli, AReferencePhotoThatIsBlurredOrTooSmallIsRefusedWithAReason) {
  const cv::Mat crop = cv::imread(testdata("identities/amy/amy1.png").string(), cv::IMREAD_COLOR);
  cv::Mat blurred, small;
  cv::GaussianBlur(crop, blurred, {0, 0}, 3.0);
  cv::resize(crop, small, {}, 0.5, 0.5, cv::INTER_AREA);
  ASSERT_TRUE(cv::imwrite((dir_ / "blurred.png").string(), blurred));
  ASSERT_TRUE(cv::imwrite((dir_ / "small.png").string(), small));
  const ProgramRun r =
      cg("enrol --db " + shellQuoted(db_) + " --person P001 " + shellQuoted(dir_ / "small.png") +
         " " + shellQuoted(testdata("identities/amy/amy2.png")) + " " +
         shellQuoted(dir_ / "blurred.png"));
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("small.png: not enrolled. The face in this photo is too small"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("amy2.png: enrolled"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("blurred.png: not enrolled."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 of 3 photo(s) enrolled"), std::string::npos) << r.out;
  auto store = reg::RegisterStore::open(db_);
  ASSERT_TRUE(store.ok());
  auto templates = (*store)->templates();
  ASSERT_TRUE(templates.ok());
  ASSERT_EQ(templates->size(), 1u);
  EXPECT_EQ(templates->at(0).photo_date, todayIso()) << "a crop has no date: enrolled today";
}

TEST_F(CheckCli, RegisterListStaleNamesThePupilsToPhotographAgain) {
  ASSERT_EQ(enrol("P001", "amy", 1, 2).status, 0);
  ASSERT_EQ(enrol("P002", "bernadette", 1, 2).status, 0);
  const std::string list = "register list --stale --db " + shellQuoted(db_) + " --config " +
                           shellQuoted(config_);
  const ProgramRun fresh = cg(list);
  EXPECT_EQ(fresh.status, 0) << fresh.out;
  EXPECT_NE(fresh.out.find("Nobody needs photographing again"), std::string::npos) << fresh.out;
  // Amy's reference photos were taken 13 months ago.
  auto store = reg::RegisterStore::open(db_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->database()
                  .execute("UPDATE templates SET photo_date = ? WHERE person_id = 'P001'",
                           {monthsBefore(todayIso(), 13)})
                  .ok());
  const ProgramRun stale = cg(list);
  EXPECT_EQ(stale.status, 0) << stale.out;
  EXPECT_NE(stale.out.find("P001  pupil  Amy Fowler  newest reference photo " +
                           monthsBefore(todayIso(), 13) + ": older than 12 months"),
            std::string::npos)
      << stale.out;
  EXPECT_EQ(stale.out.find("P002"), std::string::npos) << stale.out;
  EXPECT_NE(stale.out.find("1 person(s) to photograph again"), std::string::npos) << stale.out;
}

TEST_F(CheckCli, CalibratePrintsHowSafeTheRegisterIs) {
  for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
           {"P001", "amy"}, {"P003", "howard"}, {"P004", "leonard"}, {"P007", "sheldon"}}) {
    ASSERT_EQ(enrol(id, name, 1, 5).status, 0) << name;
  }
  const ProgramRun r =
      cg("calibrate --db " + shellQuoted(db_) + " --config " + shellQuoted(config_));
  EXPECT_EQ(r.status, 0) << r.out;
  for (const std::string expected :
       {"20 face template(s) of 4 people", "Photos of the same person, each against the "
        "person's other photos: 20", "Strangers: each photo against everyone else, its own "
        "person left out: 20", "distance  same person within  stranger within",
        "The most alike different people"}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }
  // At 0.70 every photo of the same person is within reach of one of theirs.
  EXPECT_NE(r.out.find("0.70           20/20"), std::string::npos) << r.out;
  EXPECT_EQ(cg("calibrate").status, 64);
}

TEST_F(CheckCli, CalibrateWarnsAboutDifferentPeopleWhoSitTooClose) {
  // Amy's photos 3 and 4 enrolled, by mistake, for Bernadette.
  ASSERT_EQ(enrol("P001", "amy", 1, 2).status, 0);
  ASSERT_EQ(cg("enrol --db " + shellQuoted(db_) + " --person P002 " +
               shellQuoted(testdata("identities/amy/amy3.png")) + " " +
               shellQuoted(testdata("identities/amy/amy4.png")))
                .status,
            0);
  ASSERT_EQ(enrol("P003", "howard", 1, 3).status, 0);
  const ProgramRun r =
      cg("calibrate --db " + shellQuoted(db_) + " --config " + shellQuoted(config_));
  EXPECT_EQ(r.status, 0) << r.out;
  for (const std::string expected :
       {"WARNING: ", "sit closer together than the thresholds allow (",
        "Amy Fowler (P001) and Bernie Rostenkowski (P002) look so alike",
        "First check that they really are different people", "consentguard enrol"}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  }
  EXPECT_EQ(r.out.find("(P003) look"), std::string::npos) << r.out;
}

TEST_F(CheckCli, ModelsCheckNamesWhoseTemplatesAnEarlierPipelineMade) {
  ASSERT_EQ(enrol("P001", "amy", 1, 2).status, 0);
  ASSERT_EQ(enrol("P002", "bernadette", 1, 2).status, 0);
  const ProgramRun fresh = cg("models check --db " + shellQuoted(db_));
  EXPECT_EQ(fresh.status, 0) << fresh.out;
  EXPECT_NE(fresh.out.find("2 people enrolled, all by this version"), std::string::npos)
      << fresh.out;
  // Bernadette's templates as an earlier version made them (before the SSD detector).
  auto store = reg::RegisterStore::open(db_);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->database()
                  .execute("UPDATE templates SET pipeline = 'dlib-box-1' WHERE person_id = 'P002'")
                  .ok());
  const ProgramRun stale = cg("models check --db " + shellQuoted(db_));
  EXPECT_NE(stale.out.find("1 of them by an earlier version"), std::string::npos) << stale.out;
  EXPECT_NE(stale.out.find("Enrol them again"), std::string::npos) << stale.out;
  EXPECT_NE(stale.out.find(" P002"), std::string::npos) << stale.out;
  EXPECT_EQ(stale.out.find(" P001"), std::string::npos) << stale.out;
}

TEST_F(CheckCli, ADamagedPhotoIsBlockedAsUnreadable) {
  auto bytes = image::readFileBytes(testdata("groups/bbt1.jpg"));
  ASSERT_TRUE(bytes.ok());
  const fs::path half = dir_ / "half.jpg";
  std::ofstream(half, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes->data()), static_cast<long>(bytes->size() / 2));
  const ProgramRun r = check("website", half);
  EXPECT_EQ(r.status, 2) << r.out;
  auto json = parse(r.out);
  EXPECT_EQ(json->getValue<std::string>("verdict"), "block");
  auto reason = json->getArray("reasons")->getObject(0);
  EXPECT_EQ(reason->getValue<std::string>("code"), "unreadable");
  EXPECT_NE(reason->getValue<std::string>("message").find("incomplete"), std::string::npos);
  EXPECT_EQ(json->getArray("faces")->size(), 0u);
  EXPECT_FALSE(fs::exists(dir_ / "outbox"));
}

TEST_F(CheckCli, DevicesAreRegisteredWithTheRegisterTool) {
  const std::string db = shellQuoted(db_);
  const ProgramRun added =
      cg("register device add --db " + db +
         " --make Canon --model 'Canon EOS DIGITAL REBEL' --description 'Office'");
  ASSERT_EQ(added.status, 0) << added.out;
  EXPECT_NE(cg("register device list --db " + db).out.find("Canon EOS DIGITAL REBEL"),
            std::string::npos);
  // With the school's default configuration (device check on), Canon.jpg is now recognised as
  // the school's camera; it shows no face, which by default is for a person to look at.
  const ProgramRun r = cg("check --json --db " + db + " --channel website " +
                          shellQuoted(testdata("metadata/Canon.jpg")));
  EXPECT_EQ(r.status, 1) << r.out;
  auto reasons = parse(r.out)->getArray("reasons");
  ASSERT_EQ(reasons->size(), 1u) << r.out;
  EXPECT_EQ(reasons->getObject(0)->getValue<std::string>("code"), "no_faces");
}

TEST_F(CheckCli, AFolderIsCheckedFileByFileWithASummary) {
  ASSERT_EQ(enrol("P001", "amy", 1, 4).status, 0);
  const fs::path today = todaysFolder();
  const ProgramRun r =
      checkMany(shellQuoted(today), "--out " + shellQuoted(today / "outbox"));
  EXPECT_EQ(r.status, 2) << "the most severe verdict\n" << r.out;
  const std::string t = today.string();
  for (const std::string& line : std::vector<std::string>{
           "PUBLISH  " + t + "/amy5.png (clean copy: " + t + "/outbox/amy5.png)\n",
        "BLOCKED  " + t + "/bbt1.jpg: ", "REVIEW   " + t + "/class 2/howard5.png: ",
        "BLOCKED  " + t + "/half.jpg (could not be read): The photo file is incomplete",
        "BLOCKED  " + t + "/notes.txt (could not be read): ", "REVIEW   " + t + "/penny5.png: ",
        "6 files checked for website: 1 to publish, 2 to review, 3 to block (2 of them could "
        "not be read"}) {
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
  }
  // In name order, one line a file, and nothing hidden, half-copied or in the outbox taken.
  EXPECT_LT(r.out.find("amy5.png"), r.out.find("bbt1.jpg")) << r.out;
  EXPECT_LT(r.out.find("half.jpg"), r.out.find("notes.txt")) << r.out;
  for (const std::string never : {".hidden", "amy6", ".thumbs", "old.png"}) {
    EXPECT_EQ(r.out.find(never), std::string::npos) << never << "\n" << r.out;
  }
  EXPECT_TRUE(fs::exists(today / "outbox" / "amy5.png"));
}

TEST_F(CheckCli, ABatchInJsonGivesOneObjectALineAndASummary) {
  ASSERT_EQ(enrol("P001", "amy", 1, 4).status, 0);
  const fs::path today = todaysFolder();
  const bool video = haveVideoTools();  // a video in the batch is checked as a video
  if (video) {  // made beside the folder: ffmpeg leaves its frames there
    ASSERT_TRUE(makeVideo(dir_ / "assembly.mp4", {{videoScene("amy"), 2}}, {false, 90}));
    fs::copy_file(dir_ / "assembly.mp4", today / "assembly.mp4");
  }
  const ProgramRun r =
      checkMany(shellQuoted(today), "--json --out " + shellQuoted(today / "outbox"));
  EXPECT_EQ(r.status, 2) << r.out;
  std::istringstream lines(r.out);
  std::map<std::string, Poco::JSON::Object::Ptr> byName;
  Poco::JSON::Object::Ptr summary;
  for (std::string line; std::getline(lines, line);) {
    auto json = parse(line);
    if (json->has("summary")) {
      summary = json->getObject("summary");
      continue;
    }
    ASSERT_FALSE(summary) << "the summary comes last";
    byName[fs::path(json->getValue<std::string>("file")).filename().string()] = json;
  }
  ASSERT_EQ(byName.size(), video ? 7u : 6u) << r.out;
  EXPECT_EQ(byName["amy5.png"]->getValue<std::string>("verdict"), "publish");
  EXPECT_EQ(byName["amy5.png"]->getValue<std::string>("file"), (today / "amy5.png").string());
  EXPECT_EQ(byName["amy5.png"]->getValue<std::string>("output"),
            (today / "outbox" / "amy5.png").string());
  EXPECT_EQ(byName["amy5.png"]->getArray("faces")->getObject(0)->getValue<std::string>("person"),
            "P001");
  EXPECT_EQ(byName["penny5.png"]->getValue<std::string>("verdict"), "review");
  EXPECT_EQ(byName["bbt1.jpg"]->getValue<std::string>("verdict"), "block");
  EXPECT_EQ(byName["bbt1.jpg"]->getArray("faces")->size(), 4u);
  for (const char* unreadable : {"half.jpg", "notes.txt"}) {
    EXPECT_EQ(byName[unreadable]->getValue<std::string>("verdict"), "block") << unreadable;
    EXPECT_EQ(byName[unreadable]->getArray("reasons")->getObject(0)->getValue<std::string>("code"),
              "unreadable");
  }
  if (video) {
    EXPECT_EQ(byName["assembly.mp4"]->getValue<std::string>("verdict"), "publish") << r.out;
    EXPECT_EQ(byName["assembly.mp4"]->getArray("people")->size(), 1u) << r.out;
  }
  ASSERT_TRUE(summary) << r.out;
  EXPECT_EQ(summary->getValue<int>("files"), video ? 7 : 6);
  EXPECT_EQ(summary->getValue<int>("publish"), video ? 2 : 1);
  EXPECT_EQ(summary->getValue<int>("review"), 2);
  EXPECT_EQ(summary->getValue<int>("block"), 3);
  EXPECT_EQ(summary->getValue<int>("unreadable"), 2);
}

TEST_F(CheckCli, ABatchExitsWithItsMostSevereVerdict) {
  ASSERT_EQ(enrol("P001", "amy", 1, 4).status, 0);
  const fs::path amy = testdata("identities/amy/amy5.png");
  const fs::path penny = testdata("identities/penny/penny5.png");
  const ProgramRun both = checkMany(shellQuoted(amy) + " " + shellQuoted(amy));
  EXPECT_EQ(both.status, 0) << both.out;
  EXPECT_NE(both.out.find("2 files checked for website: 2 to publish, 0 to review, 0 to block."),
            std::string::npos)
      << both.out;
  EXPECT_EQ(checkMany(shellQuoted(amy) + " " + shellQuoted(penny)).status, 1);
  // A file that is not there is blocked with its reason, and the others are still checked.
  const ProgramRun missing =
      checkMany(shellQuoted(dir_ / "gone.jpg") + " " + shellQuoted(amy));
  EXPECT_EQ(missing.status, 2) << missing.out;
  EXPECT_NE(missing.out.find("BLOCKED  " + (dir_ / "gone.jpg").string() + " (could not be read)"),
            std::string::npos)
      << missing.out;
  EXPECT_NE(missing.out.find("PUBLISH  " + amy.string()), std::string::npos) << missing.out;
  // --name names one file; an empty folder has nothing to check.
  EXPECT_EQ(checkMany(shellQuoted(amy) + " " + shellQuoted(penny), "--name a.jpg").status, 64);
  fs::create_directories(dir_ / "empty");
  const ProgramRun empty = checkMany(shellQuoted(dir_ / "empty"), "--json");
  EXPECT_EQ(empty.status, 3) << empty.out;
  EXPECT_EQ(parse(empty.out)->getObject("error")->getValue<std::string>("code"), "no_files");
}

}  // namespace
}  // namespace consentguard::testing
