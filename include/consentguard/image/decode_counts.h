// How many times this process has read image files, by kind of work: headers parsed, pixels
// decoded, metadata read, HEIF files opened. The photo check reads each submitted file once and
// its clean copy once (issue 23); the counts let a test and the bench prove it.
// These are the only process-wide values the image module keeps: plain counters, safe to read,
// bump and reset from any thread. Tests that compare counts must not run image work in parallel.
#pragma once

#include <cstdint>

namespace consentguard::image {

struct DecodeCounts {
  std::uint64_t headers = 0;     // a file's format and size sniffed (readImageHeader and kin)
  std::uint64_t pixels = 0;      // a JPEG, PNG, WebP or HEIF picture decoded into pixels
  std::uint64_t metadata = 0;    // a file's metadata read (readMetadata, readExifOrientation)
  std::uint64_t heif_opens = 0;  // a HEIF file's boxes parsed by libheif
};

DecodeCounts decodeCounts();
void resetDecodeCounts();

}  // namespace consentguard::image
