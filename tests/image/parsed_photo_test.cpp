// parsePhoto() and sanitise(ParsedPhoto) give what decodeImage(), readMetadata() and
// sanitise(bytes) give, file for file (issue 23, part 4: one read, the same outcomes): on the
// shared camera files, a WebP, a HEIC, and JPEGs whose Orientation is stored against the
// specification or after a comment, where libexif's two ways of reading it differ.
#include "consentguard/image/parsed_photo.h"

#include <webp/encode.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "consentguard/image/sanitiser.h"
#include "image/image_fixtures.h"
#include "support/heif_fixture.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

Bytes jpegOf(const cv::Mat& rgb) {
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  Bytes jpeg;
  cv::imencode(".jpg", bgr, jpeg);
  return jpeg;
}

cv::Mat gradient(int width, int height) {
  cv::Mat rgb(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) rgb.at<cv::Vec3b>(y, x) = {uchar(x * 4), uchar(y * 4), 90};
  }
  return rgb;
}

// "Exif\0\0" and a little-endian TIFF whose IFD0 holds only Orientation, of the given EXIF type
// (1 BYTE, 3 SHORT, 4 LONG, 8 SSHORT, 9 SLONG), value 6.
Bytes exifOrientation(std::uint8_t type) {
  return {'E',  'x',  'i',  'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0,  // header, IFD0 at 8
          1,    0,                                                   // one entry
          0x12, 0x01, type, 0,   1, 0, 0,   0,   6,  0, 0, 0,        // Orientation, 1 value: 6
          0,    0,    0,    0};                                      // no next IFD
}

void expectSameAsBefore(const Bytes& bytes, const std::string& name) {
  SCOPED_TRACE(name);
  const auto parsed = image::parsePhoto(bytes);
  auto decoded = image::decodeImage(bytes);
  auto metadata =
      decoded ? image::readMetadata(bytes) : Result<image::PhotoMetadata>(decoded.error());
  ASSERT_EQ(parsed.ok(), decoded.ok() && metadata.ok());
  if (!parsed) {
    const Error& before = decoded ? metadata.error() : decoded.error();
    EXPECT_EQ(parsed.error().code, before.code);
    EXPECT_EQ(parsed.error().message, before.message);
    return;
  }
  EXPECT_EQ(parsed->image.orientation, decoded->orientation);
  EXPECT_EQ(parsed->image.format, decoded->format);
  ASSERT_EQ(parsed->image.rgb.size(), decoded->rgb.size());
  EXPECT_EQ(cv::norm(parsed->image.rgb, decoded->rgb, cv::NORM_INF), 0.0);
  EXPECT_EQ(parsed->metadata.orientation, metadata->orientation);
  EXPECT_EQ(parsed->metadata.blocks, metadata->blocks);
  EXPECT_EQ(parsed->metadata.text_fields.size(), metadata->text_fields.size());
  EXPECT_EQ(parsed->metadata.camera_model, metadata->camera_model);
  EXPECT_EQ(parsed->metadata.has_gps, metadata->has_gps);

  const auto fromParsed = image::sanitise(*parsed);
  const auto fromBytes = image::sanitise(bytes);
  ASSERT_EQ(fromParsed.ok(), fromBytes.ok());
  if (!fromBytes) {
    EXPECT_EQ(fromParsed.error().code, fromBytes.error().code);
    return;
  }
  EXPECT_EQ(fromParsed->bytes, fromBytes->bytes);
  EXPECT_EQ(fromParsed->orientation_applied, fromBytes->orientation_applied);
  EXPECT_EQ(fromParsed->lossless, fromBytes->lossless);
}

TEST(ParsedPhotoTest, TheSharedCameraFilesReadAsBefore) {
  for (const char* name : {"Apple.jpg", "Canon.jpg", "ExtendedXMP.jpg", "GPS.jpg", "IPTC.jpg",
                           "MWG.jpg", "PNG.png", "XMP.jpg"}) {
    expectSameAsBefore(readTestFile(std::string("metadata/") + name), name);
  }
}

TEST(ParsedPhotoTest, AWebpAndAHeicReadAsBefore) {
  const cv::Mat rgb = gradient(48, 32);
  std::uint8_t* webp = nullptr;
  const size_t size = WebPEncodeRGB(rgb.data, rgb.cols, rgb.rows, int(rgb.step), 90, &webp);
  expectSameAsBefore(Bytes(webp, webp + size), "lossy.webp");
  WebPFree(webp);
  HeifParts parts;
  parts.rgb = gradient(64, 48);
  parts.orientation = 6;
  expectSameAsBefore(makeHeic(parts), "turned.heic");
}

TEST(ParsedPhotoTest, OrientationStoredAgainstTheSpecificationTurnsThePixelsAsBefore) {
  const Bytes jpeg = jpegOf(gradient(64, 48));
  for (const std::uint8_t type : {1, 3, 4, 8, 9}) {
    expectSameAsBefore(withSegment(jpeg, 0xe1, exifOrientation(type)),
                       "Orientation of EXIF type " + std::to_string(type));
  }
  // The two readings differ here, which is why the parse keeps both.
  const Bytes asLong = withSegment(jpeg, 0xe1, exifOrientation(4));
  EXPECT_EQ(image::decodeImage(asLong)->orientation, 6);
  EXPECT_EQ(image::readMetadata(asLong)->orientation, 1);
  EXPECT_EQ(image::parsePhoto(asLong)->image.orientation, 6);
  EXPECT_EQ(image::parsePhoto(asLong)->metadata.orientation, 1);
  // libexif's own scan gives up at a comment before the EXIF; the metadata reader does not.
  const Bytes commented =
      withSegment(withSegment(jpeg, 0xe1, exifOrientation(3)), 0xfe, {'h', 'i'});
  expectSameAsBefore(commented, "comment before the EXIF");
  EXPECT_EQ(image::parsePhoto(commented)->image.orientation, 1);
  EXPECT_EQ(image::parsePhoto(commented)->metadata.orientation, 6);
}

TEST(ParsedPhotoTest, ErrorsComeInTheOrderDecodeThenMetadataGaveThem) {
  expectSameAsBefore({}, "empty");
  expectSameAsBefore({'G', 'I', 'F', '8', '9', 'a', 0, 0}, "GIF");
  Bytes cut = jpegOf(gradient(64, 48));
  cut.resize(cut.size() / 2);
  expectSameAsBefore(cut, "cut short");
  const Bytes jpeg = jpegOf(gradient(64, 48));
  expectSameAsBefore(
      withSegment(jpeg, 0xe1, {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 99, 0, 0, 0}),
      "EXIF pointing outside itself");
  const auto tooBig = image::parsePhoto(jpeg, {1ull << 20, 100});
  ASSERT_FALSE(tooBig.ok());
  EXPECT_EQ(tooBig.error().code, "too_many_pixels");
}

}  // namespace
}  // namespace consentguard::testing
