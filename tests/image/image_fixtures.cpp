#include "image/image_fixtures.h"

#include <zlib.h>

#include "consentguard/image/image_loader.h"
#include "support/test_support.h"

namespace consentguard::testing {

Bytes readTestFile(const std::string& relative) {
  auto bytes = image::readFileBytes(testdata(relative));
  EXPECT_TRUE(bytes.ok()) << relative;
  return bytes.ok() ? *bytes : Bytes{};
}

Bytes withSegment(const Bytes& jpeg, std::uint8_t marker, const Bytes& payload) {
  const std::size_t length = payload.size() + 2;
  Bytes out = {jpeg.at(0), jpeg.at(1), 0xff, marker, std::uint8_t(length >> 8),
               std::uint8_t(length & 0xff)};
  out.insert(out.end(), payload.begin(), payload.end());
  out.insert(out.end(), jpeg.begin() + 2, jpeg.end());
  return out;
}

Bytes pngChunk(const std::string& type, const Bytes& data) {
  Bytes chunk;
  chunk.reserve(data.size() + 12);
  for (int shift = 24; shift >= 0; shift -= 8) chunk.push_back(std::uint8_t(data.size() >> shift));
  chunk.insert(chunk.end(), type.begin(), type.end());
  chunk.insert(chunk.end(), data.begin(), data.end());
  const uLong crc = crc32(0, chunk.data() + 4, static_cast<uInt>(data.size() + 4));
  for (int shift = 24; shift >= 0; shift -= 8) chunk.push_back(std::uint8_t(crc >> shift));
  return chunk;
}

}  // namespace consentguard::testing
