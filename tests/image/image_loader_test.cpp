// Bad input gets a clear, named error and never a crash; good input comes out upright.
#include "consentguard/image/image_loader.h"

#include <libexif/exif-data.h>
#include <webp/encode.h>
#include <zlib.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "consentguard/image/exif_orientation.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

using Bytes = std::vector<std::uint8_t>;

// A 60x40 picture: red in the top-left quarter, blue elsewhere, so a turn or flip shows.
cv::Mat markedPicture() {
  cv::Mat rgb(40, 60, CV_8UC3, cv::Scalar(0, 0, 255));
  rgb(cv::Rect(0, 0, 30, 20)).setTo(cv::Scalar(255, 0, 0));
  return rgb;
}

Bytes encode(const cv::Mat& rgb, const std::string& ext) {
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  Bytes out;
  cv::imencode(ext, bgr, out, {cv::IMWRITE_JPEG_QUALITY, 95});
  return out;
}

// Inserts an APP1 EXIF segment with the given Orientation right after the JPEG's SOI marker.
Bytes withOrientation(const Bytes& jpeg, int orientation) {
  ExifData* exif = exif_data_new();
  exif_data_set_byte_order(exif, EXIF_BYTE_ORDER_INTEL);
  ExifEntry* entry = exif_entry_new();
  exif_content_add_entry(exif->ifd[EXIF_IFD_0], entry);
  exif_entry_initialize(entry, EXIF_TAG_ORIENTATION);
  exif_set_short(entry->data, EXIF_BYTE_ORDER_INTEL, static_cast<ExifShort>(orientation));
  unsigned char* raw = nullptr;
  unsigned int size = 0;
  exif_data_save_data(exif, &raw, &size);  // starts with "Exif\0\0"
  Bytes out(jpeg.begin(), jpeg.begin() + 2);
  const unsigned length = size + 2;
  out.insert(out.end(), {0xff, 0xe1, std::uint8_t(length >> 8), std::uint8_t(length & 0xff)});
  out.insert(out.end(), raw, raw + size);
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  free(raw);
  exif_entry_unref(entry);
  exif_data_unref(exif);
  return out;
}

void putBigEndian32(Bytes& b, size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = std::uint8_t(v >> (24 - 8 * i));
}

std::string errorCode(const Bytes& bytes, const image::LoadLimits& limits = {}) {
  auto result = image::decodeImage(bytes, limits);
  if (result) return "ok";
  EXPECT_FALSE(result.error().message.empty());
  return result.error().code;
}

TEST(ImageLoader, EmptyFileIsRefused) {
  EXPECT_EQ(errorCode({}), "empty");
  const fs::path file = scratchDir("empty") / "photo.jpg";
  std::ofstream(file).close();
  auto result = image::loadImage(file);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "empty");
  EXPECT_NE(result.error().message.find("empty"), std::string::npos);
}

TEST(ImageLoader, TruncatedJpegIsRefusedNotHalfDecoded) {
  const Bytes whole = encode(markedPicture(), ".jpg");
  ASSERT_EQ(errorCode(whole), "ok");
  for (double part : {0.9, 0.6, 0.3}) {
    const Bytes cut(whole.begin(), whole.begin() + static_cast<long>(whole.size() * part));
    EXPECT_EQ(errorCode(cut), "truncated") << "kept " << part;
  }
}

TEST(ImageLoader, TruncatedRealPhotoIsRefused) {
  CG_REQUIRE_SHARED_TESTDATA();
  auto whole = image::readFileBytes(testdata("groups/bbt1.jpg"));
  ASSERT_TRUE(whole.ok());
  const Bytes cut(whole->begin(), whole->begin() + static_cast<long>(whole->size() / 2));
  EXPECT_EQ(errorCode(cut), "truncated");
}

TEST(ImageLoader, TextFileNamedJpgIsNotAnImage) {
  const fs::path file = scratchDir("text") / "holiday.jpg";
  std::ofstream(file) << "Dear parents, the school trip is on Friday.\n";
  auto result = image::loadImage(file);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "not_an_image");
}

TEST(ImageLoader, PngClaiming30000x30000IsRefusedBeforeDecoding) {
  Bytes png = encode(markedPicture(), ".png");
  putBigEndian32(png, 16, 30000);
  putBigEndian32(png, 20, 30000);
  // Give IHDR a correct CRC, so only the size is wrong.
  putBigEndian32(png, 29, static_cast<std::uint32_t>(crc32(0, png.data() + 12, 17)));
  auto result = image::decodeImage(png);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "too_many_pixels");
  EXPECT_NE(result.error().message.find("30000 x 30000"), std::string::npos);
}

TEST(ImageLoader, JpegOverThePixelLimitIsRefused) {
  image::LoadLimits limits;
  limits.max_pixels = 1000;  // the 60x40 picture has 2400
  EXPECT_EQ(errorCode(encode(markedPicture(), ".jpg"), limits), "too_many_pixels");
}

TEST(ImageLoader, FileOverTheByteLimitIsRefused) {
  image::LoadLimits limits;
  limits.max_bytes = 100;
  const fs::path file = scratchDir("big") / "big.jpg";
  const Bytes jpeg = encode(markedPicture(), ".jpg");
  std::ofstream(file, std::ios::binary)
      .write(reinterpret_cast<const char*>(jpeg.data()), static_cast<std::streamsize>(jpeg.size()));
  auto result = image::loadImage(file, limits);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "too_large");
}

TEST(ImageLoader, OtherFormatsAreNamedAndRefused) {
  const std::string heic = std::string("\0\0\0\x18", 4) + "ftypheic" + std::string(12, '\0');
  EXPECT_EQ(errorCode(Bytes(heic.begin(), heic.end())), "unsupported_format");
  const std::string gif = "GIF89a" + std::string(20, '\0');
  EXPECT_EQ(errorCode(Bytes(gif.begin(), gif.end())), "unsupported_format");
}

TEST(ImageLoader, CorruptJpegHeaderIsRefused) {
  Bytes jpeg = encode(markedPicture(), ".jpg");
  for (size_t i = 4; i < 200 && i < jpeg.size(); ++i) jpeg[i] = 0x55;  // keep the signature
  const std::string code = errorCode(jpeg);
  EXPECT_TRUE(code == "corrupt" || code == "truncated") << code;
}

TEST(ImageLoader, CorruptPngIsRefused) {
  Bytes png = encode(markedPicture(), ".png");
  for (size_t i = 40; i < png.size() - 12; ++i) png[i] ^= 0xa5;  // scramble the IDAT data
  const std::string code = errorCode(png);
  EXPECT_TRUE(code == "corrupt" || code == "truncated") << code;
}

TEST(ImageLoader, PngAndWebpDecodeToTheSamePixels) {
  const cv::Mat original = markedPicture();
  auto png = image::decodeImage(encode(original, ".png"));
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(cv::norm(png->rgb, original, cv::NORM_INF), 0.0);

  std::uint8_t* webp = nullptr;
  const size_t size = WebPEncodeLosslessRGB(original.data, original.cols, original.rows,
                                            static_cast<int>(original.step), &webp);
  ASSERT_GT(size, 0u);
  auto decoded = image::decodeImage(Bytes(webp, webp + size));
  WebPFree(webp);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->format, image::ImageFormat::kWebp);
  EXPECT_EQ(cv::norm(decoded->rgb, original, cv::NORM_INF), 0.0);
}

// Where the red top-left quarter of the stored picture ends up after each orientation.
TEST(ImageLoader, ExifOrientationIsAppliedForAllEightValues) {
  const Bytes jpeg = encode(markedPicture(), ".jpg");
  struct Expect {
    int orientation;
    cv::Size size;
    cv::Point red;
  };
  const std::vector<Expect> cases = {{1, {60, 40}, {5, 5}},   {2, {60, 40}, {55, 5}},
                                     {3, {60, 40}, {55, 35}}, {4, {60, 40}, {5, 35}},
                                     {5, {40, 60}, {5, 5}},   {6, {40, 60}, {35, 5}},
                                     {7, {40, 60}, {35, 55}}, {8, {40, 60}, {5, 55}}};
  for (const auto& c : cases) {
    auto result = image::decodeImage(withOrientation(jpeg, c.orientation));
    ASSERT_TRUE(result.ok()) << c.orientation;
    EXPECT_EQ(result->orientation, c.orientation);
    EXPECT_EQ(result->rgb.size(), c.size) << "orientation " << c.orientation;
    const auto pixel = result->rgb.at<cv::Vec3b>(c.red);
    EXPECT_GT(pixel[0], 200) << "orientation " << c.orientation;  // red
    EXPECT_LT(pixel[2], 60) << "orientation " << c.orientation;
  }
}

TEST(ImageLoader, CameraFilesFromTestdataAreReadWithTheirOrientation) {
  CG_REQUIRE_SHARED_TESTDATA();
  for (const char* name : {"Apple.jpg", "Canon.jpg", "ExtendedXMP.jpg", "GPS.jpg", "IPTC.jpg",
                           "MWG.jpg", "XMP.jpg", "PNG.png"}) {
    auto result = image::loadImage(testdata(std::string("metadata/") + name));
    ASSERT_TRUE(result.ok()) << name << ": " << result.error().detail;
    EXPECT_FALSE(result->rgb.empty());
  }
  auto bytes = image::readFileBytes(testdata("metadata/MWG.jpg"));
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(image::readExifOrientation(*bytes), 6);
}

}  // namespace
}  // namespace consentguard::testing
