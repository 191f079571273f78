// libFuzzer harness: one photo format's loader, metadata reader and sanitiser, as a submitted
// file meets them. Built once per format (CG_FUZZ_FORMAT: jpeg, png, webp, heic), each starting
// from that format's seeds; bytes sniffed as another format are skipped, so that each harness
// spends its time inside its own decoder. Whatever the bytes, each call must return a Result:
// a crash, a leak or undefined behaviour is a finding (ASan, UBSan).
#include <cstdint>
#include <span>

#include "consentguard/image/image_format.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"
#include "consentguard/image/sanitiser.h"

namespace {

using consentguard::image::ImageFormat;

constexpr ImageFormat kFormat = ImageFormat::CG_FUZZ_FORMAT;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  namespace image = consentguard::image;
  const std::span<const std::uint8_t> bytes(data, size);
  auto header = image::readImageHeader(bytes);
  if (header && header->format != kFormat) return -1;  // not kept in the corpus
  // Small limits keep each run quick; the limits themselves are part of what is tested.
  image::LoadLimits limits;
  limits.max_pixels = 4'000'000;
  (void)image::readMetadata(bytes);
  auto decoded = image::decodeImage(bytes, limits);
  if (!decoded) return 0;
  auto clean = image::sanitise(bytes, limits);
  if (clean) {
    // What the sanitiser writes must always read back clean.
    if (!image::verifyClean(clean->bytes)) __builtin_trap();
  }
  return 0;
}
