// The reference photo checks: each limit refuses with its own plain reason, and the shared
// reference crops pass while blurred and small copies of them do not.
#include "consentguard/faces/reference_quality.h"

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "support/test_support.h"

namespace consentguard::faces {
namespace {

namespace cgt = consentguard::testing;

ReferenceQuality good() { return {120, 200.0, 0.05, 3.0}; }

TEST(ReferenceQuality, EachLimitRefusesWithItsOwnReason) {
  EXPECT_TRUE(checkReference(good()).ok());
  struct Case {
    ReferenceQuality q;
    std::string code, words;
  };
  std::vector<Case> cases;
  ReferenceQuality q = good();
  q.face_px = kMinReferenceFacePx - 1;
  cases.push_back({q, "face_too_small", "too small"});
  q = good();
  q.sharpness = kMinReferenceSharpness - 1;
  cases.push_back({q, "blurred", "blurred"});
  q = good();
  q.turn = kMaxReferenceTurn + 0.01;
  cases.push_back({q, "turned", "looking straight at the camera"});
  q = good();
  q.tilt_degrees = kMaxReferenceTiltDegrees + 1;
  cases.push_back({q, "tilted", "upright"});
  for (const auto& c : cases) {
    const Status s = checkReference(c.q);
    ASSERT_FALSE(s.ok()) << c.code;
    EXPECT_EQ(s.error().code, c.code);
    EXPECT_NE(s.error().message.find(c.words), std::string::npos) << s.error().message;
    EXPECT_EQ(s.error().message.back(), '.');
  }
}

TEST(ReferenceQuality, TheSharedCropsPassAndWorseCopiesAreRefused) {
  CG_REQUIRE_SHARED_TESTDATA();
  FaceEngine& engine = cgt::ssdEngine();
  for (const std::string person : {"amy", "howard", "penny", "stuart"}) {
    const cv::Mat crop = cgt::loadRgb(cgt::testdata("identities/" + person + "/" + person + "1.png"));
    EXPECT_TRUE(engine.describeReference(crop).ok()) << person;

    cv::Mat blurred;
    cv::GaussianBlur(crop, blurred, {0, 0}, 3.0);
    auto b = engine.describeReference(blurred);
    ASSERT_FALSE(b.ok()) << person << " blurred";
    EXPECT_TRUE(b.error().code == "blurred" || b.error().code == "no_face") << b.error().code;

    cv::Mat small;
    cv::resize(crop, small, {}, 0.5, 0.5, cv::INTER_AREA);
    auto s = engine.describeReference(small);
    ASSERT_FALSE(s.ok()) << person << " small";
    EXPECT_EQ(s.error().code, "face_too_small") << s.error().message;
    // The same copy is still good enough to be described, as in any photo.
    EXPECT_TRUE(engine.describeOnlyFace(crop).ok());
  }
}

TEST(ReferenceQuality, ThePoseIsMeasuredFromTheLandmarks) {
  CG_REQUIRE_SHARED_TESTDATA();
  const cv::Mat crop = cgt::loadRgb(cgt::testdata("identities/amy/amy1.png"));
  auto found = cgt::ssdEngine().analyse(crop);
  ASSERT_EQ(found.size(), 1u);
  const ReferenceQuality upright = measureReference(crop, found[0]);
  EXPECT_LT(upright.tilt_degrees, kMaxReferenceTiltDegrees);
  // The same landmarks, turned 40 degrees about the face's centre, are a tilted head.
  FoundFace turned = found[0];
  const cv::Point2f centre(static_cast<float>(crop.cols) / 2, static_cast<float>(crop.rows) / 2);
  const cv::Mat rotation = cv::getRotationMatrix2D(centre, 40, 1.0);
  cv::transform(found[0].landmarks, turned.landmarks, rotation);
  EXPECT_NEAR(measureReference(crop, turned).tilt_degrees, 40, 16);
  EXPECT_EQ(checkReference(measureReference(crop, turned)).error().code, "tilted");
  // And with the tip of the nose below the corner of one eye, a head turned to the side.
  FoundFace aside = found[0];
  aside.landmarks[30].x = aside.landmarks[36].x;
  EXPECT_GT(measureReference(crop, aside).turn, kMaxReferenceTurn);
  EXPECT_EQ(checkReference(measureReference(crop, aside)).error().code, "turned");
  // Without landmarks the pose cannot be judged, so the photo is not accepted.
  FoundFace none = found[0];
  none.landmarks.clear();
  EXPECT_FALSE(checkReference(measureReference(crop, none)).ok());
}

}  // namespace
}  // namespace consentguard::faces
