// The pieces behind readMetadata() and sanitise(), shared between their source files but not part
// of the public API: bounds-checked walkers over JPEG segments and PNG chunks, and the parsers of
// the individual metadata formats. Every parser takes untrusted bytes, checks every length and
// offset before using it, and reports malformed input as an Error instead of reading past it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/image/image_format.h"
#include "consentguard/image/metadata.h"

namespace consentguard::image::detail {

using ByteSpan = std::span<const std::uint8_t>;

Error badMetadata(const std::string& detail);

std::uint16_t readBe16(const std::uint8_t* p);
std::uint32_t readBe32(const std::uint8_t* p);
std::uint32_t readLe32(const std::uint8_t* p);
bool hasPrefix(ByteSpan bytes, std::string_view prefix);

// Adds a free-text field unless the value is blank after trimming; trims it and makes it UTF-8.
void addText(PhotoMetadata& out, std::string name, std::string_view value);
void addBlock(PhotoMetadata& out, const std::string& block);
// Bytes that are not valid UTF-8 are taken as Latin-1 (what IPTC and PNG tEXt use by default).
std::string toUtf8(std::string_view text);
std::string trim(std::string_view text);
// UCS-2/UTF-16 up to the first NUL; unpaired surrogates become U+FFFD.
std::string utf16ToUtf8(ByteSpan bytes, bool little_endian);

// --- JPEG ---
struct JpegSegment {
  std::uint8_t marker = 0;  // the byte after 0xFF, e.g. 0xE1 for APP1
  ByteSpan payload;         // the bytes after the two length bytes
};
struct JpegLayout {
  std::vector<JpegSegment> segments;  // every marker segment with a length, in file order
  std::size_t trailing_bytes = 0;     // bytes after the EOI marker
};
// Walks markers, the entropy-coded data of every scan, and up to EOI. Errors: "bad_metadata"
// (a segment length that runs past the end or is impossible), "truncated" (no EOI).
Result<JpegLayout> walkJpeg(ByteSpan bytes);

// --- EXIF (a TIFF structure, without the "Exif\0\0" prefix) ---
// Validates every IFD (offsets, counts, loops) and then reads the fields with libexif.
// `where` prefixes the block names, e.g. "EXIF" or "PNG eXIf". When `pixel_orientation` is given,
// it gets the Orientation as readExifOrientation() reads it (libexif fixing the tag's format to
// the specification's), from the same parse.
Status readExif(ByteSpan tiff, PhotoMetadata& out, const std::string& where,
                int* pixel_orientation = nullptr);

// --- XMP packet (UTF-8 or UTF-16), IPTC (Photoshop image resources) ---
void readXmp(ByteSpan packet, PhotoMetadata& out);
Status readPhotoshopResources(ByteSpan resources, PhotoMetadata& out);

// --- PNG ---
struct PngChunk {
  std::string type;  // four ASCII letters
  ByteSpan data;
  ByteSpan whole;  // length, type, data and CRC, as stored
};
struct PngLayout {
  std::vector<PngChunk> chunks;    // IHDR first, IEND last
  std::size_t trailing_bytes = 0;  // bytes after IEND
};
// Checks the signature, every length and CRC, IHDR first and IEND last. Errors: "corrupt",
// "truncated", "bad_metadata" (an ancillary chunk whose length runs past the end).
Result<PngLayout> walkPng(ByteSpan bytes);
// The chunks the sanitiser keeps: those that say how to draw the pixels, and nothing else.
bool isAllowedPngChunk(std::string_view type);
Status readPngMetadata(const PngLayout& layout, PhotoMetadata& out);
// zlib inflate that stops with "bad_metadata" beyond `limit` bytes (decompression bombs).
Result<std::string> inflateCapped(ByteSpan compressed, std::size_t limit);

}  // namespace consentguard::image::detail
