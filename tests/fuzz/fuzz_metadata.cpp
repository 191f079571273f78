// libFuzzer harness: the metadata reader alone (EXIF, XMP, extended XMP, IPTC, PNG text, HEIF
// items), which parses more hostile structure than any decoder. Every input must give a Result.
#include <cstdint>
#include <span>

#include "consentguard/image/metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  (void)consentguard::image::readMetadata(std::span<const std::uint8_t>(data, size));
  return 0;
}
