// Issue 23, part 4: a photo's check reads the submitted file once and the clean copy once. The
// image module counts every header parse, pixel decode, metadata read and HEIF open
// (consentguard/image/decode_counts.h); a JPEG carrying a camera's EXIF with GPS, a PNG and a
// HEIC (stored on its side, with EXIF) go through the whole check to a clean copy, and the
// counts are taken for the check and, separately, for verifying that copy once more.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "check/check_fixture.h"
#include "consentguard/image/decode_counts.h"
#include "consentguard/image/sanitiser.h"
#include "support/heif_fixture.h"

namespace consentguard::testing {
namespace {

using image::DecodeCounts;

std::vector<std::uint8_t> encoded(const cv::Mat& rgb, const std::string& extension) {
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  std::vector<std::uint8_t> bytes;
  cv::imencode(extension, bgr, bytes);
  return bytes;
}

// Amy's probe photo as a camera JPEG: the APP1 EXIF of metadata/GPS.jpg (camera, GPS) after SOI.
std::vector<std::uint8_t> cameraJpeg() {
  std::vector<std::uint8_t> jpeg = encoded(loadRgb(probePhoto("amy")), ".jpg");
  const std::vector<std::uint8_t> tiff = exifOfJpeg(bytesOf(testdata("metadata/GPS.jpg")));
  std::vector<std::uint8_t> app1 = {0xff, 0xe1, 0, 0, 'E', 'x', 'i', 'f', 0, 0};
  app1.insert(app1.end(), tiff.begin(), tiff.end());
  app1[2] = static_cast<std::uint8_t>((app1.size() - 2) >> 8);
  app1[3] = static_cast<std::uint8_t>((app1.size() - 2) & 0xff);
  jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());
  return jpeg;
}

// As an iPad sends it: stored turned a quarter to the left, marked to be shown turned back.
std::vector<std::uint8_t> ipadHeic() {
  HeifParts parts;
  cv::rotate(loadRgb(probePhoto("amy")), parts.rgb, cv::ROTATE_90_COUNTERCLOCKWISE);
  parts.orientation = 6;
  parts.exif = exifOfJpeg(bytesOf(testdata("metadata/GPS.jpg")));
  return makeHeic(parts);
}

std::string describe(const DecodeCounts& c) {
  return std::to_string(c.headers) + " header parses, " + std::to_string(c.pixels) +
         " pixel decodes, " + std::to_string(c.metadata) + " metadata reads, " +
         std::to_string(c.heif_opens) + " HEIF opens";
}

class OneReadTest : public RegisterCheckTest {
 protected:
  // Checks the photo (which must publish) and verifies its clean copy again, counting each.
  void expectOneReadEach(const std::vector<std::uint8_t>& bytes, const std::string& name,
                         bool heif) {
    SCOPED_TRACE(name);
    ASSERT_FALSE(bytes.empty());
    image::resetDecodeCounts();
    const auto result = runBytes(bytes, "website", name);
    const DecodeCounts check = image::decodeCounts();
    ASSERT_EQ(result.decision.verdict, Verdict::kPublish)
        << ::testing::PrintToString(codes(result));
    ASSERT_TRUE(result.published);

    image::resetDecodeCounts();
    ASSERT_TRUE(image::verifyClean(result.published->bytes).ok());
    const DecodeCounts verify = image::decodeCounts();
    // Verifying a clean copy (never HEIF: a HEIC is published as JPEG) reads it once.
    EXPECT_EQ(verify.headers, 1u) << describe(verify);
    EXPECT_EQ(verify.pixels, 1u) << describe(verify);
    EXPECT_EQ(verify.metadata, 1u) << describe(verify);
    EXPECT_EQ(verify.heif_opens, 0u) << describe(verify);

    // The check: the submitted file read once, and its clean copy verified once.
    EXPECT_EQ(check.headers, 1u + verify.headers) << describe(check);
    EXPECT_EQ(check.pixels, 1u + verify.pixels) << describe(check);
    EXPECT_EQ(check.metadata, 1u + verify.metadata) << describe(check);
    EXPECT_EQ(check.heif_opens, heif ? 1u : 0u) << describe(check);
  }
};

TEST_F(OneReadTest, ACameraJpegIsReadOnceAndItsCleanCopyOnce) {
  expectOneReadEach(cameraJpeg(), "amy.jpg", false);
}

TEST_F(OneReadTest, APngIsReadOnceAndItsCleanCopyOnce) {
  expectOneReadEach(encoded(loadRgb(probePhoto("amy")), ".png"), "amy.png", false);
}

TEST_F(OneReadTest, AnIpadHeicIsOpenedAndDecodedOnceAndItsJpegCopyReadOnce) {
  expectOneReadEach(ipadHeic(), "IMG_0412.HEIC", true);
}

}  // namespace
}  // namespace consentguard::testing
