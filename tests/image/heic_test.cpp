// HEIC photos (iPhone and iPad): made by the test with libheif from its own picture, with a
// rotation, GPS and a caption. They are read upright with their metadata, published as a clean
// JPEG (by our reader and by exiftool), and hostile HEIC files are refused with a named error.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>

#include <opencv2/imgproc.hpp>

#include "consentguard/image/exif_orientation.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"
#include "consentguard/image/sanitiser.h"
#include "image/image_fixtures.h"
#include "support/heif_fixture.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

// 320 x 240, a gradient with a red block at the top left: any turn or mirror shows.
cv::Mat lopsidedPicture() {
  cv::Mat rgb(240, 320, CV_8UC3);
  for (int y = 0; y < rgb.rows; ++y) {
    for (int x = 0; x < rgb.cols; ++x) {
      rgb.at<cv::Vec3b>(y, x) = {static_cast<uchar>(x * 255 / 320),
                                 static_cast<uchar>(y * 255 / 240), 128};
    }
  }
  cv::rectangle(rgb, cv::Rect(10, 10, 80, 50), cv::Scalar(255, 0, 0), cv::FILLED);
  return rgb;
}

const std::string kXmp =
    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
    "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:description><rdf:Alt><rdf:li "
    "xml:lang=\"x-default\">Sports day with Amy Fowler</rdf:li></rdf:Alt></dc:description>"
    "</rdf:Description></rdf:RDF></x:xmpmeta>";

double meanDifference(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size()) return 1e9;
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  const cv::Scalar m = cv::mean(diff);
  return (m[0] + m[1] + m[2]) / 3;
}

std::string exiftoolOf(const std::vector<std::uint8_t>& bytes, const std::string& name) {
  const fs::path file = scratchDir("heic-exiftool-" + name) / name;
  std::ofstream(file, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  FILE* pipe = popen(("exiftool -a -G1 -s " + shellQuoted(file) + " 2>&1").c_str(), "r");
  std::string out;
  std::array<char, 4096> buffer{};
  while (pipe && fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
  if (pipe) pclose(pipe);
  return out;
}

class HeicTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CG_REQUIRE_SHARED_TESTDATA();
    parts_.rgb = lopsidedPicture();
    parts_.orientation = 6;  // stored on its side, shown turned 90 degrees clockwise
    parts_.exif = exifOfJpeg(readTestFile("metadata/GPS.jpg"));
    ASSERT_FALSE(parts_.exif.empty());
    parts_.xmp = kXmp;
    heic_ = makeHeic(parts_);
    ASSERT_FALSE(heic_.empty());
  }
  HeifParts parts_;
  std::vector<std::uint8_t> heic_;
};

TEST_F(HeicTest, IsReadUprightWithItsGpsCameraAndCaption) {
  auto header = image::readImageHeader(heic_);
  ASSERT_TRUE(header.ok()) << header.error().detail;
  EXPECT_EQ(header->format, image::ImageFormat::kHeic);
  EXPECT_EQ(header->width, 240);  // turned: the stored 320 x 240 is shown 240 x 320
  EXPECT_EQ(header->height, 320);
  auto image = image::decodeImage(heic_);
  ASSERT_TRUE(image.ok()) << image.error().detail;
  EXPECT_LT(meanDifference(image->rgb, image::applyOrientation(parts_.rgb, 6)), 6.0);
  EXPECT_GT(meanDifference(image->rgb, image::applyOrientation(parts_.rgb, 8)), 30.0);
  auto metadata = image::readMetadata(heic_);
  ASSERT_TRUE(metadata.ok()) << metadata.error().detail;
  EXPECT_TRUE(metadata->has_gps);
  EXPECT_FALSE(metadata->camera_make.empty());
  bool caption = false;
  for (const auto& f : metadata->text_fields) {
    caption = caption || f.value.find("Amy Fowler") != std::string::npos;
  }
  EXPECT_TRUE(caption) << "the XMP caption is read for the full-name rule";
  EXPECT_NE(std::find(metadata->blocks.begin(), metadata->blocks.end(), "HEIF EXIF"),
            metadata->blocks.end());
  EXPECT_NE(std::find(metadata->blocks.begin(), metadata->blocks.end(), "HEIF XMP"),
            metadata->blocks.end());
}

TEST_F(HeicTest, IsPublishedAsAnUprightJpegThatExiftoolFindsClean) {
  auto clean = image::sanitise(heic_, {}, 90);
  ASSERT_TRUE(clean.ok()) << clean.error().detail;
  EXPECT_EQ(clean->format, image::ImageFormat::kJpeg);
  EXPECT_FALSE(clean->lossless);
  EXPECT_TRUE(image::verifyClean(clean->bytes).ok());
  auto shown = image::decodeImage(clean->bytes);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->rgb.cols, 240);
  EXPECT_LT(meanDifference(shown->rgb, image::applyOrientation(parts_.rgb, 6)), 8.0);
  if (std::system("command -v exiftool >/dev/null 2>&1") != 0) {
    if (runningInCi()) FAIL() << "CI=true but exiftool is not installed";
    GTEST_SKIP() << "SKIPPED: exiftool is not installed";
  }
  const std::string before = exiftoolOf(heic_, "original.heic");
  EXPECT_NE(before.find("GPSLatitude"), std::string::npos) << before;
  const std::string after = exiftoolOf(clean->bytes, "published.jpg");
  for (const std::string tag : {"GPS", "Make", "Model", "SerialNumber", "DateTimeOriginal",
                                "Orientation", "XMP", "Description", "Amy"}) {
    EXPECT_EQ(after.find(tag), std::string::npos) << tag << " in\n" << after;
  }
}

TEST_F(HeicTest, HostileFilesAreRefusedWithANamedError) {
  // Cut short.
  for (const size_t keep : {size_t{40}, heic_.size() / 2, heic_.size() - 10}) {
    const std::vector<std::uint8_t> cut(heic_.begin(), heic_.begin() + static_cast<long>(keep));
    auto image = image::decodeImage(cut);
    ASSERT_FALSE(image.ok()) << keep;
    EXPECT_TRUE(image.error().code == "truncated" || image.error().code == "corrupt")
        << keep << ": " << image.error().code;
    EXPECT_FALSE(image.error().message.empty());
  }
  // A huge declared size: the ispe box says 100000 x 100000.
  std::vector<std::uint8_t> huge = heic_;
  const std::string ispe = "ispe";
  auto at = std::search(huge.begin(), huge.end(), ispe.begin(), ispe.end());
  ASSERT_NE(at, huge.end());
  const size_t pos = static_cast<size_t>(at - huge.begin()) + 8;  // after "ispe", version, flags
  for (const size_t field : {pos, pos + 4}) {
    huge[field] = 0x00; huge[field + 1] = 0x01; huge[field + 2] = 0x86; huge[field + 3] = 0xA0;
  }
  auto big = image::decodeImage(huge);
  ASSERT_FALSE(big.ok());
  EXPECT_TRUE(big.error().code == "too_many_pixels" || big.error().code == "corrupt")
      << big.error().code << ": " << big.error().detail;
  EXPECT_FALSE(image::sanitise(huge).ok());
  // A burst: two pictures in one file.
  HeifParts burst = parts_;
  burst.pictures = 2;
  auto two = image::readImageHeader(makeHeic(burst));
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().code, "several_images");
  EXPECT_NE(two.error().message.find("one picture per file"), std::string::npos);
  // "ftyp" with no HEIF brand is not taken for a photo.
  std::vector<std::uint8_t> mp4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm',
                                   0, 0, 2, 0,    'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
  auto video = image::readImageHeader(mp4);
  ASSERT_FALSE(video.ok());
  EXPECT_EQ(video.error().code, "unsupported_format");
}

}  // namespace
}  // namespace consentguard::testing
