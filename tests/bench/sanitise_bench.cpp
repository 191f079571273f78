// Sanitiser timings on a 12-megapixel camera-sized JPEG carrying EXIF with GPS, beside
// `exiftool -all= -o OUT FILE` on the same file in the same run, so the two are comparable on
// this machine. Figures only; nothing asserts.
//
// The photo: groups/bbt1.jpg scaled to 4000x3000, JPEG quality 90, with the APP1 EXIF segment of
// metadata/GPS.jpg (camera, caption, GPS, thumbnail) inserted after SOI.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "bench_timing.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"
#include "consentguard/image/sanitiser.h"
#include "support/test_support.h"

namespace consentguard::bench {
namespace {

namespace cgt = consentguard::testing;
using Bytes = std::vector<std::uint8_t>;

double medianOf(int runs, const std::function<void()>& work) {
  return measure(runs, work, /*warmUp=*/false).median_ms;
}

// The first APP1 "Exif" segment of a JPEG, marker and length included.
Bytes exifSegment(const Bytes& jpeg) {
  for (std::size_t pos = 2; pos + 4 <= jpeg.size() && jpeg[pos] == 0xff;) {
    const std::size_t length = (jpeg[pos + 2] << 8) | jpeg[pos + 3];
    if (jpeg[pos + 1] == 0xe1 && std::equal(jpeg.begin() + pos + 4, jpeg.begin() + pos + 8,
                                            std::string_view("Exif").begin())) {
      return Bytes(jpeg.begin() + pos, jpeg.begin() + pos + 2 + length);
    }
    pos += 2 + length;
  }
  return {};
}

Bytes makeCameraPhoto() {
  cv::Mat rgb = cgt::loadRgb(cgt::testdata("groups/bbt1.jpg"));
  cv::resize(rgb, rgb, cv::Size(4000, 3000), 0, 0, cv::INTER_CUBIC);
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  Bytes jpeg;
  cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, 90});
  const Bytes exif = exifSegment(*image::readFileBytes(cgt::testdata("metadata/GPS.jpg")));
  jpeg.insert(jpeg.begin() + 2, exif.begin(), exif.end());
  return jpeg;
}

void row(const std::string& label, double value, const std::string& unit) {
  std::cout << "  " << std::left << std::setw(40) << label << std::right << std::setw(9) << value
            << " " << unit << "\n";
}

}  // namespace

void benchSanitiser(int runs) {
  const Bytes photo = makeCameraPhoto();
  const auto metadata = image::readMetadata(photo);
  std::cout << "\nSanitiser: 4000x3000 JPEG, " << photo.size() / 1024 << " KiB, GPS "
            << (metadata.ok() && metadata->has_gps ? "present" : "MISSING") << ", " << runs
            << " runs (median)\n";
  std::cout << std::fixed << std::setprecision(1);
  const double readMs = medianOf(runs, [&] { (void)image::readMetadata(photo); });
  row("readMetadata", readMs, "ms");
  bool ok = true;
  const double ours = medianOf(runs, [&] { ok = image::sanitise(photo).ok() && ok; });
  row(ok ? "sanitise (lossless, re-read, decode)" : "sanitise (FAILED)", ours, "ms");

  const cgt::fs::path dir = cgt::scratchDir("sanitise-bench");
  const cgt::fs::path in = dir / "camera.jpg", out = dir / "exiftool-clean.jpg";
  std::ofstream(in, std::ios::binary)
      .write(reinterpret_cast<const char*>(photo.data()),
             static_cast<std::streamsize>(photo.size()));
  const std::string command =
      "exiftool -q -q -all= -o '" + out.string() + "' '" + in.string() + "' >/dev/null 2>&1";
  const int exiftoolRuns = std::min(runs, 3);
  int status = 0;
  const double theirs = medianOf(exiftoolRuns, [&] {
    cgt::fs::remove(out);  // exiftool will not overwrite
    status = std::system(command.c_str());
  });
  if (status != 0 || !cgt::fs::exists(out)) {
    std::cout << "  exiftool -all= : not available (install exiftool to compare)\n";
    return;
  }
  row("exiftool -all= -o (" + std::to_string(exiftoolRuns) + " runs)", theirs, "ms");
  row("ratio exiftool / sanitise", theirs / ours, "x");
}

}  // namespace consentguard::bench
