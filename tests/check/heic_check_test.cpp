// A HEIC through the whole check, as an iPad sends it: Amy's photo stored on its side with a
// rotation, GPS and the camera in its EXIF is recognised upright and published as a clean JPEG;
// the same photo of Howard (on the no-photo list) blocks.
#include "check/check_fixture.h"
#include "consentguard/image/metadata.h"
#include "consentguard/image/sanitiser.h"
#include "support/heif_fixture.h"

#include <opencv2/imgproc.hpp>

namespace consentguard::testing {
namespace {

class HeicCheckTest : public RegisterCheckTest {
 protected:
  // The person's probe photo, stored turned a quarter to the left and marked to be shown
  // turned back (orientation 6), as a phone held upright stores it.
  std::vector<std::uint8_t> heicOf(const std::string& person) {
    HeifParts parts;
    cv::rotate(loadRgb(probePhoto(person)), parts.rgb, cv::ROTATE_90_COUNTERCLOCKWISE);
    parts.orientation = 6;
    parts.exif = exifOfJpeg(bytesOf(testdata("metadata/GPS.jpg")));
    return makeHeic(parts);
  }
};

TEST_F(HeicCheckTest, AConsentedPupilsHeicPublishesUprightAndCleanAndTheNoPhotoTwinBlocks) {
  const auto amy = heicOf("amy");
  ASSERT_FALSE(amy.empty());
  const auto result = runBytes(amy, "website", "IMG_0412.HEIC");
  ASSERT_EQ(result.decision.verdict, Verdict::kPublish) << ::testing::PrintToString(codes(result));
  ASSERT_EQ(result.faces.size(), 1u);
  EXPECT_EQ(result.faces[0].person, "P001");
  ASSERT_TRUE(result.published);
  EXPECT_EQ(result.published->format, image::ImageFormat::kJpeg);
  EXPECT_TRUE(image::verifyClean(result.published->bytes).ok());
  auto shown = image::decodeImage(result.published->bytes);
  ASSERT_TRUE(shown.ok());
  const cv::Mat upright = loadRgb(probePhoto("amy"));
  EXPECT_EQ(shown->rgb.size(), upright.size()) << "published upright, as the faces were checked";

  const auto howard = heicOf("howard");
  const auto blocked = runBytes(howard, "website", "IMG_0413.HEIC");
  EXPECT_EQ(blocked.decision.verdict, Verdict::kBlock);
  const auto why = codes(blocked);
  EXPECT_NE(std::find(why.begin(), why.end(), "no_photo"), why.end());
  EXPECT_FALSE(blocked.published);
}

}  // namespace
}  // namespace consentguard::testing
