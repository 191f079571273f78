// The face detector a school's fresh install runs (SSD, with TinyFaceDetector proposing small
// faces), on real photos and fixtures made from them: the port against face-api's own output,
// every reference crop, small faces pasted into real 1920 px photos, flipped and rotated
// copies, and photos with no face at all. HOG and MMOD are checked on the small face too.
#include "consentguard/faces/detector.h"

#include <Poco/JSON/Parser.h>

#include <fstream>
#include <opencv2/imgproc.hpp>

#include "faces/ssd_network.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

const std::vector<std::string> kPeople = {"amy",  "bernadette", "howard",  "leonard",
                                          "penny", "raj",        "sheldon", "stuart"};

// Pastes a reference crop so that its face is about `facePx` wide (the face fills about 70%
// of the 150 px crop); returns where the crop went.
cv::Rect pasteFace(cv::Mat& photo, const std::string& person, int n, int facePx, cv::Point at) {
  const cv::Mat crop = loadRgb(testdata("identities/" + person + "/" + person +
                                        std::to_string(n) + ".png"));
  cv::Mat small;
  const double scale = facePx / (0.7 * crop.cols);
  cv::resize(crop, small, cv::Size(), scale, scale, cv::INTER_AREA);
  const cv::Rect where(at, small.size());
  small.copyTo(photo(where));
  return where;
}

bool foundIn(const std::vector<faces::FaceBox>& faces, const cv::Rect& where) {
  return std::any_of(faces.begin(), faces.end(), [&](const faces::FaceBox& f) {
    const cv::Point centre(f.box.x + f.box.width / 2, f.box.y + f.box.height / 2);
    return where.contains(centre);
  });
}

TEST(SsdPort, MatchesFaceApiOnItsOwnImages) {
  CG_REQUIRE_SHARED_TESTDATA();
  auto network = faces::SsdNetwork::load(modelPaths().ssdManifest(), modelPaths().ssdWeights());
  ASSERT_TRUE(network.ok()) << network.error().detail;  // includes the 5118 stored anchors
  std::ifstream in(testdata("reference/ssd_mobilenetv1.json"));
  Poco::JSON::Parser parser;
  auto oracle = parser.parse(in).extract<Poco::JSON::Object::Ptr>();
  const std::map<std::string, std::string> files = {
      {"bbt1.jpg", "groups/bbt1.jpg"},
      {"bbt2.jpg", "groups/bbt2.jpg"},
      {"amy1.png", "identities/amy/amy1.png"},
      {"stuart5.png", "identities/stuart/stuart5.png"},
      {"face1.png", "reference/face1.png"}};
  int compared = 0;
  for (const auto& [name, path] : files) {
    auto expected = oracle->getObject(name)->getArray("faces");
    auto found = (*network)->detectWholeImage(loadRgb(testdata(path)), 0.3f);
    ASSERT_EQ(found.size(), expected->size()) << name;
    for (size_t i = 0; i < found.size(); ++i) {
      auto face = expected->getObject(i);
      const cv::Rect2f& box = found[i].box;
      EXPECT_NEAR(box.x, face->getValue<double>("x"), 2.0) << name << " face " << i;
      EXPECT_NEAR(box.y, face->getValue<double>("y"), 2.0) << name << " face " << i;
      EXPECT_NEAR(box.width, face->getValue<double>("w"), 2.0) << name << " face " << i;
      EXPECT_NEAR(box.height, face->getValue<double>("h"), 2.0) << name << " face " << i;
      EXPECT_NEAR(found[i].score, face->getValue<double>("score"), 0.02) << name << " face " << i;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 7);
}

TEST(SsdDetector, FindsEveryReferenceCropAndItsMirrorImage) {
  CG_REQUIRE_SHARED_TESTDATA();
  int found = 0;
  for (const auto& person : kPeople) {
    for (int n = 1; n <= 5; ++n) {
      const std::string name = person + std::to_string(n) + ".png";
      cv::Mat crop = loadRgb(testdata("identities/" + person + "/" + name));
      for (bool mirrored : {false, true}) {
        if (mirrored) cv::flip(crop, crop, 1);
        const auto faces = ssdEngine().detector().detect(crop);
        EXPECT_EQ(faces.size(), 1u) << name << (mirrored ? " mirrored" : "");
        found += faces.size() == 1;
      }
    }
  }
  EXPECT_EQ(found, 80);  // stuart5.png, which HOG cannot find, included
}

TEST(SsdDetector, FindsSmallFacesInA1920PxPhoto) {
  CG_REQUIRE_SHARED_TESTDATA();
  cv::Mat photo = backgroundWithoutFaces();
  std::vector<std::pair<int, cv::Rect>> pasted;
  int i = 0;
  for (int px : {32, 40, 48}) {
    for (const std::string person : {"penny", "raj", "sheldon"}) {
      const cv::Point at(120 + 200 * (i % 9), 150 + 330 * (i / 9) + 120 * (i % 2));
      pasted.push_back({px, pasteFace(photo, person, 1 + i % 5, px, at)});
      ++i;
    }
  }
  const auto faces = ssdEngine().detector().detect(photo);
  for (const auto& [px, where] : pasted) {
    EXPECT_TRUE(foundIn(faces, where)) << "a " << px << " px face at " << where.x << "," << where.y;
  }
  EXPECT_EQ(faces.size(), pasted.size()) << "only the pasted faces are faces";
  for (const auto& f : faces) {
    EXPECT_LT(f.box.width, 70) << "a small face's box is about its size";
  }
}

TEST(SsdDetector, FindsLargeFacesOnAPlainBackdrop) {
  // Faces 160 to 300 px across with no body or scene around them, as on a studio backdrop:
  // the whole pass scored some of these under 0.4 (a 200 px face was missed, and its photo
  // published), so a large proposal the whole pass did not find is shown to dlib's HOG.
  CG_REQUIRE_SHARED_TESTDATA();
  int i = 0;
  for (int px : {160, 200, 240, 300}) {
    cv::Mat photo = plainBackdrop();
    std::vector<cv::Rect> pasted;
    for (const std::string person : {"amy", "howard", "penny", "stuart"}) {
      const cv::Point at(40 + 470 * (i % 4), 120 + 280 * (i % 2));
      pasted.push_back(pasteFace(photo, person, 1 + i % 5, px, at));
      ++i;
    }
    const auto faces = ssdEngine().detector().detect(photo);
    for (const auto& where : pasted) {
      EXPECT_TRUE(foundIn(faces, where)) << "a " << px << " px face at " << where.x << "," << where.y;
    }
    EXPECT_EQ(faces.size(), pasted.size()) << px << " px: only the pasted faces are faces";
  }
}

TEST(SsdDetector, FindsTheFacesInFlippedAndTurnedGroupPhotos) {
  CG_REQUIRE_SHARED_TESTDATA();
  const cv::Mat group = loadRgb(testdata("groups/bbt1.jpg"));
  cv::Mat flipped, tilted;
  cv::flip(group, flipped, 1);
  const cv::Mat turn = cv::getRotationMatrix2D({group.cols / 2.0f, group.rows / 2.0f}, 12, 1.0);
  cv::warpAffine(group, tilted, turn, group.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT);
  EXPECT_EQ(ssdEngine().detector().detect(group).size(), 4u);
  EXPECT_EQ(ssdEngine().detector().detect(flipped).size(), 4u);
  EXPECT_EQ(ssdEngine().detector().detect(tilted).size(), 4u);
}

TEST(SsdDetector, PhotosWithNoFaceHaveNoBox) {
  CG_REQUIRE_SHARED_TESTDATA();
  // Not the mirrored background: there a clasped hand scores 0.50 (a known false box, in
  // issue 10's closing note; it sends the photo to a person, never publishes it).
  cv::Mat background = backgroundWithoutFaces(), turned, small;
  cv::rotate(background, turned, cv::ROTATE_90_CLOCKWISE);
  cv::resize(background, small, {640, 360}, 0, 0, cv::INTER_AREA);
  cv::Mat flat(1080, 1920, CV_8UC3, cv::Scalar(120, 160, 200));
  cv::rectangle(flat, {400, 300, 600, 400}, cv::Scalar(40, 40, 40), cv::FILLED);
  cv::Mat noise(1080, 1920, CV_8UC3);
  cv::RNG(7).fill(noise, cv::RNG::UNIFORM, cv::Scalar::all(0), cv::Scalar::all(255));
  int n = 0;
  for (const cv::Mat* photo : {&background, &turned, &small, &flat, &noise}) {
    const auto faces = ssdEngine().detector().detect(*photo);
    EXPECT_TRUE(faces.empty()) << "photo " << n << ": " << faces.size() << " box(es), the first "
                               << (faces.empty() ? 0.0 : faces.front().score);
    ++n;
  }
}

TEST(SsdDetector, ScanningTheWholePhotoFindsTheSameSmallFaces) {
  // The proposals only make the small-face pass cheaper: scanning everything finds no more.
  CG_REQUIRE_SHARED_TESTDATA();
  cv::Mat photo = backgroundWithoutFaces();
  const cv::Rect where = pasteFace(photo, "amy", 2, 36, {900, 500});
  faces::DetectorOptions everywhere;
  everywhere.ssd_scan_whole_photo = true;
  auto full = faces::FaceDetector::create(modelPaths(), everywhere);
  ASSERT_TRUE(full.ok());
  const auto scanned = (*full)->detect(photo);
  const auto proposed = ssdEngine().detector().detect(photo);
  EXPECT_TRUE(foundIn(scanned, where));
  EXPECT_TRUE(foundIn(proposed, where));
  EXPECT_EQ(scanned.size(), proposed.size());
}

TEST(Detector, AConfiguredDetectorWithoutItsModelIsAnErrorNamingTheFix) {
  const fs::path empty = scratchDir("no-models");
  for (const char* name : {"ssd", "mmod"}) {
    faces::DetectorOptions options;
    options.kinds = faces::parseDetectorList(name).value();
    auto detector = faces::FaceDetector::create({empty}, options);
    ASSERT_FALSE(detector.ok()) << name;
    EXPECT_EQ(detector.error().code, "model_missing");
    EXPECT_NE(detector.error().message.find(std::string(name) == "ssd" ? "scripts/fetch-models"
                                                                        : "engine.detector"),
              std::string::npos)
        << detector.error().message;
  }
}

TEST(Detector, ListsOfDetectorsAreParsed) {
  using K = faces::DetectorKind;
  EXPECT_EQ(faces::parseDetectorList("ssd").value(), std::vector<K>{K::kSsd});
  EXPECT_EQ(faces::parseDetectorList(" mmod , hog").value(), (std::vector<K>{K::kMmod, K::kHog}));
  EXPECT_EQ(faces::parseDetectorList("mmod+hog").value(), (std::vector<K>{K::kMmod, K::kHog}));
  EXPECT_EQ(faces::detectorListName({K::kSsd, K::kHog}), "ssd+hog");
  EXPECT_EQ(faces::parseDetectorList("sdd").error().code, "bad_detector");
  EXPECT_EQ(faces::parseDetectorList("").error().code, "bad_detector");
}

// The older detectors on the small face they were tuned for: 40 px in a 1920 px photo.
class SmallFace : public ::testing::TestWithParam<std::string> {};

TEST_P(SmallFace, A40PxFaceInA1920PxPhotoIsFoundButTooSmallToIdentify) {
  CG_REQUIRE_SHARED_TESTDATA();
  CG_REQUIRE_DETECTOR(GetParam());
  faces::FaceEngine& engine = *engineNamed(GetParam());
  cv::Mat photo = backgroundWithoutFaces();
  const cv::Rect where = pasteFace(photo, "leonard", 1, 40, {1300, 600});
  const auto found = engine.analyse(photo);
  ASSERT_EQ(found.size(), 1u) << GetParam();
  EXPECT_TRUE(where.contains(found.front().box.tl() + cv::Point(found.front().box.size() / 2)));
  EXPECT_FALSE(found.front().identifiable);
}

INSTANTIATE_TEST_SUITE_P(Detectors, SmallFace, ::testing::Values("ssd", "hog", "mmod"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace consentguard::testing
