// The image work of one photo's check (issue 23, part 4) on a 12-megapixel iPhone-sized HEIC,
// before and after the check read its file once. Figures only; nothing asserts.
//
// The photo: groups/bbt1.jpg scaled to 4032x3024 (the clutter stays), encoded by libheif's x265
// at quality 90, stored on its side with orientation 6 and the EXIF of metadata/GPS.jpg, as an
// iPad sends it. "Before" is the old sequence of PhotoChecker::check, made of the public calls it
// made: decodeImage() for the faces, readMetadata() for the rules, sanitise(bytes) for the clean
// copy (which reads the header and metadata again, decodes the pixels again, encodes the JPEG
// and verifies it). sanitise(bytes) now opens a HEIF once where it used to open it five times;
// the pixel decodes, the costly part, are as they were. "After" is what the check does now:
// parsePhoto() once, and sanitise() of that value (encode and verify).
#include <iomanip>
#include <iostream>
#include <opencv2/imgproc.hpp>

#include "bench_timing.h"
#include "consentguard/image/decode_counts.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"
#include "consentguard/image/parsed_photo.h"
#include "consentguard/image/sanitiser.h"
#include "support/heif_fixture.h"
#include "support/test_support.h"

namespace consentguard::bench {
namespace {

namespace cgt = consentguard::testing;
using Bytes = std::vector<std::uint8_t>;

Bytes makeIphoneHeic() {
  cv::Mat rgb = cgt::loadRgb(cgt::testdata("groups/bbt1.jpg"));
  cv::resize(rgb, rgb, cv::Size(4032, 3024), 0, 0, cv::INTER_CUBIC);
  cgt::HeifParts parts;
  cv::rotate(rgb, parts.rgb, cv::ROTATE_90_COUNTERCLOCKWISE);
  parts.orientation = 6;
  auto gps = image::readFileBytes(cgt::testdata("metadata/GPS.jpg"));
  if (gps) parts.exif = cgt::exifOfJpeg(*gps);
  return cgt::makeHeic(parts);
}

bool before(const Bytes& heic, int quality) {
  auto decoded = image::decodeImage(heic);
  auto metadata = image::readMetadata(heic);
  auto clean = image::sanitise(heic, {}, quality);
  return decoded.ok() && metadata.ok() && clean.ok();
}

bool after(const Bytes& heic, int quality) {
  auto photo = image::parsePhoto(heic);
  return photo.ok() && image::sanitise(*photo, quality).ok();
}

std::string counted(const std::function<bool()>& work) {
  image::resetDecodeCounts();
  const bool ok = work();
  const image::DecodeCounts c = image::decodeCounts();
  return (ok ? "" : "FAILED; ") + std::to_string(c.pixels) + " decodes, " +
         std::to_string(c.metadata) + " metadata reads, " + std::to_string(c.heif_opens) +
         " HEIF opens, " + std::to_string(c.headers) + " headers";
}

}  // namespace

void benchDecodes(int runs) {
  const Bytes heic = makeIphoneHeic();
  const int quality = image::kDefaultHeifJpegQuality;
  std::cout << "\nOne read of each file: 4032x3024 HEIC (orientation 6, EXIF with GPS), "
            << heic.size() / 1024 << " KiB, " << runs << " runs (median, best)\n";
  if (heic.empty()) {
    std::cout << "  libheif could not make the HEIC; skipped\n";
    return;
  }
  const std::string beforeCounts = counted([&] { return before(heic, quality); });
  const std::string afterCounts = counted([&] { return after(heic, quality); });
  const Timing old = measure(runs, [&] { (void)before(heic, quality); });
  const Timing now = measure(runs, [&] { (void)after(heic, quality); });
  print("before: decode, metadata, sanitise", old, beforeCounts);
  print("after: parse once, sanitise", now, afterCounts);
  std::cout << "  " << std::left << std::setw(34) << "after / before" << std::right << std::fixed
            << std::setprecision(2) << std::setw(9) << now.median_ms / old.median_ms << "\n";
}

}  // namespace consentguard::bench
