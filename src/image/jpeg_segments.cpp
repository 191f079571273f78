// Walks a JPEG's marker segments without trusting any length in it. libjpeg skips APPn and COM
// segments it does not need, so metadata there (and after EOI) is invisible to a decoder; this
// walk is how readMetadata() and the tests see every byte that is not picture data.
#include <cstring>

#include "metadata_parts.h"

namespace consentguard::image::detail {
namespace {

bool isStandalone(std::uint8_t marker) {
  return marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

// Returns the offset of the next marker (its 0xFF) after a scan's entropy-coded data, where
// 0xFF00 is a stuffed byte and 0xFFD0-D7 are restart markers, or npos at the end of the bytes.
std::size_t skipEntropyData(ByteSpan bytes, std::size_t pos) {
  while (pos < bytes.size()) {
    const void* found = std::memchr(bytes.data() + pos, 0xff, bytes.size() - pos);
    if (!found) return std::string::npos;
    const std::size_t at = static_cast<const std::uint8_t*>(found) - bytes.data();
    if (at + 1 >= bytes.size()) return std::string::npos;
    const std::uint8_t next = bytes[at + 1];
    if (next == 0x00 || (next >= 0xd0 && next <= 0xd7)) {
      pos = at + 2;
    } else if (next == 0xff) {
      pos = at + 1;  // fill byte before a marker
    } else {
      return at;
    }
  }
  return std::string::npos;
}

}  // namespace

Result<JpegLayout> walkJpeg(ByteSpan bytes) {
  if (bytes.size() < 4 || bytes[0] != 0xff || bytes[1] != 0xd8) {
    return corruptImage("JPEG does not start with SOI");
  }
  const bool lacksEnd = bytes[bytes.size() - 2] != 0xff || bytes[bytes.size() - 1] != 0xd9;
  JpegLayout layout;
  std::size_t pos = 2;
  while (true) {
    if (pos >= bytes.size()) return truncatedImage("JPEG ends before its EOI marker");
    if (bytes[pos] != 0xff) {
      return badMetadata("unexpected byte 0x" + std::to_string(bytes[pos]) + " between JPEG " +
                         "segments at offset " + std::to_string(pos));
    }
    while (pos < bytes.size() && bytes[pos] == 0xff) ++pos;
    if (pos >= bytes.size()) return truncatedImage("JPEG ends inside a marker");
    const std::uint8_t marker = bytes[pos++];
    if (marker == 0xd9) {
      layout.trailing_bytes = bytes.size() - pos;
      return layout;
    }
    if (isStandalone(marker)) continue;
    if (marker == 0x00 || marker == 0xd8) {
      return badMetadata("invalid JPEG marker at offset " + std::to_string(pos - 1));
    }
    if (pos + 2 > bytes.size()) return truncatedImage("JPEG ends inside a segment length");
    const std::size_t length = readBe16(bytes.data() + pos);
    if (length < 2) return badMetadata("JPEG segment length below 2 at " + std::to_string(pos));
    if (length > bytes.size() - pos) {
      const std::string what = "JPEG segment 0xFF" + std::to_string(marker) + " at offset " +
                               std::to_string(pos) + " claims " + std::to_string(length) +
                               " bytes, past the end of the file";
      return lacksEnd ? truncatedImage(what) : badMetadata(what);
    }
    layout.segments.push_back({marker, bytes.subspan(pos + 2, length - 2)});
    pos += length;
    if (marker == 0xda) {
      pos = skipEntropyData(bytes, pos);
      if (pos == std::string::npos) return truncatedImage("JPEG scan data runs to the end");
    }
  }
}

}  // namespace consentguard::image::detail
