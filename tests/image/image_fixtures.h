// Small builders of image files for the metadata and sanitiser tests: test files read whole, a
// JPEG with a marker segment inserted, a PNG chunk with its CRC.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace consentguard::testing {

using Bytes = std::vector<std::uint8_t>;

// A file under ../shared/testdata, read whole (an empty vector and a test failure if unreadable).
Bytes readTestFile(const std::string& relative);

// `jpeg` with a segment (marker 0xFF `marker`, its length, `payload`) inserted right after SOI.
Bytes withSegment(const Bytes& jpeg, std::uint8_t marker, const Bytes& payload);

// A PNG chunk: length, type, data and a correct CRC.
Bytes pngChunk(const std::string& type, const Bytes& data);

}  // namespace consentguard::testing
