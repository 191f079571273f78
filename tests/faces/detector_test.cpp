// The working resolution: a face of about 40 px in a 1920 px photo must still be found.
#include "consentguard/faces/detector.h"

#include <opencv2/imgproc.hpp>

#include "support/test_support.h"

namespace consentguard::testing {
namespace {

// A 1920x1080 'photo': smooth noise, with a reference face shrunk to `facePx` pasted at `at`.
cv::Mat photoWithSmallFace(int facePx, cv::Point at) {
  cv::Mat photo(1080, 1920, CV_8UC3);
  cv::RNG rng(7);
  rng.fill(photo, cv::RNG::UNIFORM, cv::Scalar::all(60), cv::Scalar::all(190));
  cv::GaussianBlur(photo, photo, cv::Size(0, 0), 6);
  const cv::Mat crop = loadRgb(testdata("reference/face_rectangular.png"));
  // The face fills about 70% of the crop's width.
  const double scale = facePx / (0.7 * crop.cols);
  cv::Mat small;
  cv::resize(crop, small, cv::Size(), scale, scale, cv::INTER_AREA);
  small.copyTo(photo(cv::Rect(at, small.size())));
  return photo;
}

bool foundNear(const std::vector<faces::FaceBox>& faces, cv::Point at, int facePx) {
  const cv::Rect expected(at.x, at.y, facePx * 10 / 7, facePx * 2);
  for (const auto& f : faces) {
    if ((f.box & expected).area() > 0) return true;
  }
  return false;
}

TEST(Detector, WorkingScaleBringsA40PxFaceToTheDetectorsWindow) {
  faces::DetectorOptions options;
  options.force_hog = true;
  auto hog = faces::FaceDetector::create(modelPaths(), options);
  ASSERT_TRUE(hog.ok());
  EXPECT_NEAR((*hog)->workingScale({1920, 1080}), 2.0, 1e-9);   // HOG's window is 80 px
  EXPECT_NEAR((*hog)->workingScale({150, 150}), 4.0, 1e-9);     // capped for small crops
  EXPECT_LT((*hog)->workingScale({4000, 3000}), 1.0);          // big photos are shrunk
}

class SmallFace : public ::testing::TestWithParam<bool> {};

TEST_P(SmallFace, A40PxFaceInA1920PxPhotoIsFound) {
  CG_REQUIRE_SHARED_TESTDATA();
  if (GetParam()) CG_REQUIRE_MMOD();
  faces::FaceEngine& engine = GetParam() ? *mmodEngine() : hogEngine();
  const cv::Point at(1300, 600);
  const auto faces = engine.detector().detect(photoWithSmallFace(40, at));
  EXPECT_TRUE(foundNear(faces, at, 40)) << faces.size() << " face(s) found, none at the face";
  EXPECT_LE(faces.size(), 1u) << "the noise background has no faces";
}

TEST_P(SmallFace, ItIsFoundButTooSmallToIdentify) {
  CG_REQUIRE_SHARED_TESTDATA();
  if (GetParam()) CG_REQUIRE_MMOD();
  faces::FaceEngine& engine = GetParam() ? *mmodEngine() : hogEngine();
  const auto found = engine.analyse(photoWithSmallFace(40, {300, 200}));
  ASSERT_FALSE(found.empty());
  EXPECT_FALSE(found.front().identifiable);
}

TEST_P(SmallFace, APhotoWithNoFaceHasNone) {
  if (GetParam()) CG_REQUIRE_MMOD();
  faces::FaceEngine& engine = GetParam() ? *mmodEngine() : hogEngine();
  cv::Mat photo(1080, 1920, CV_8UC3, cv::Scalar(120, 160, 200));
  cv::rectangle(photo, {400, 300, 600, 400}, cv::Scalar(40, 40, 40), cv::FILLED);
  EXPECT_TRUE(engine.detector().detect(photo).empty());
}

INSTANTIATE_TEST_SUITE_P(Detectors, SmallFace, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Mmod" : "Hog"; });

}  // namespace
}  // namespace consentguard::testing
