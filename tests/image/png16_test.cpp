// 16-bit PNGs (a scanner's or a photo editor's export) are read as 8 bits a sample with the
// right colours, and without a 16-bit copy of the photo or a second 8-bit one (issue 23).
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "consentguard/image/image_loader.h"

namespace consentguard::testing {
namespace {

// Every sample differs from its neighbours in both bytes, so that a wrong channel order, a
// wrong half of the sample or a shifted row shows.
cv::Mat sixteenBitPicture(int rows, int cols) {
  cv::Mat bgr(rows, cols, CV_16UC3);
  for (int y = 0; y < rows; ++y) {
    auto* row = bgr.ptr<cv::Vec3w>(y);
    for (int x = 0; x < cols; ++x) {
      for (int c = 0; c < 3; ++c) {
        row[x][c] = static_cast<ushort>((x * 263 + y * 1031 + c * 20011) % 65536);
      }
    }
  }
  return bgr;
}

std::vector<std::uint8_t> png(const cv::Mat& picture) {
  std::vector<uchar> bytes;
  cv::imencode(".png", picture, bytes, {cv::IMWRITE_PNG_COMPRESSION, 1});
  return {bytes.begin(), bytes.end()};
}

long statusKb(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
  }
  return -1;
}

TEST(Png16Test, SamplesAreTheHighByteInRgbOrder) {
  const cv::Mat bgr16 = sixteenBitPicture(97, 131);
  auto image = image::decodeImage(png(bgr16));
  ASSERT_TRUE(image) << image.error().detail;
  ASSERT_EQ(image->rgb.type(), CV_8UC3);
  ASSERT_EQ(image->rgb.size(), bgr16.size());
  int wrong = 0;
  for (int y = 0; y < bgr16.rows; ++y) {
    for (int x = 0; x < bgr16.cols; ++x) {
      const cv::Vec3w in = bgr16.at<cv::Vec3w>(y, x);
      const cv::Vec3b out = image->rgb.at<cv::Vec3b>(y, x);
      for (int c = 0; c < 3; ++c) {
        // libpng strips (>> 8) or scales (rounds): either is within 1 of the high byte.
        if (std::abs(int(out[c]) - int(in[2 - c] >> 8)) > 1) ++wrong;
      }
    }
  }
  EXPECT_EQ(wrong, 0);
}

// The peak resident memory while decoding, against the 8-bit photo's size. The allocator's
// free memory is given back first (malloc_trim) and the kernel's high-water mark reset
// (clear_refs 5), so that every page the decode touches shows. A 16-bit copy would add twice
// the photo, and a colour conversion into a new picture once more: either fails the bound.
TEST(Png16Test, DecodingHoldsAboutOneCopyOfThePhoto) {
  const cv::Mat bgr16 = sixteenBitPicture(2000, 3000);
  const auto bytes = png(bgr16);
  malloc_trim(0);
  if (!(std::ofstream("/proc/self/clear_refs") << "5" << std::flush)) {
    GTEST_SKIP() << "this kernel does not let the test reset its peak memory";
  }
  const long before = statusKb("VmRSS:");
  auto image = image::decodeImage(bytes);
  const long peak = statusKb("VmHWM:");
  ASSERT_TRUE(image) << image.error().detail;
  const long photoKb = long(image->rgb.total() * image->rgb.elemSize() / 1024);
  EXPECT_LT(peak - before, photoKb * 3 / 2)
      << "decoding a " << photoKb / 1024 << " MB photo raised the peak by "
      << (peak - before) / 1024 << " MB";
}

}  // namespace
}  // namespace consentguard::testing
