// PNG: a signature and a list of chunks, each with a length, a type, data and a CRC. The walk
// checks all of them, so that the sanitiser copies only chunks it has read whole and verified.
// Text chunks may be deflated (zTXt, iTXt): inflation stops at a cap, because a few kilobytes
// can claim gigabytes.
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "metadata_parts.h"

namespace consentguard::image::detail {
namespace {

constexpr std::array<std::uint8_t, 8> kSignature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
constexpr std::size_t kMaxTextChunk = 1u << 20;  // far above any real caption or XMP packet
constexpr std::size_t kMaxAllText = 8u << 20;

bool isAsciiLetter(std::uint8_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

std::string_view asText(ByteSpan bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Splits "keyword\0rest"; a keyword without its NUL is malformed.
Result<std::pair<std::string, ByteSpan>> splitKeyword(const PngChunk& chunk) {
  const std::string_view text = asText(chunk.data);
  const std::size_t nul = text.find('\0');
  if (nul == std::string_view::npos || nul == 0 || nul > 79) {
    return badMetadata("PNG " + chunk.type + " chunk has no valid keyword");
  }
  return std::pair{std::string(text.substr(0, nul)), chunk.data.subspan(nul + 1)};
}

// The text of tEXt, zTXt or iTXt; iTXt's XMP packet goes to the XMP reader instead.
Status readTextChunk(const PngChunk& chunk, PhotoMetadata& out, std::size_t& budget) {
  auto split = splitKeyword(chunk);
  if (!split) return split.error();
  auto [keyword, rest] = *split;
  std::string text;
  bool compressed = chunk.type == "zTXt";
  if (chunk.type == "iTXt") {
    // compression flag, method, language tag\0, translated keyword\0, text
    if (rest.size() < 2) return badMetadata("PNG iTXt chunk cut short");
    compressed = rest[0] != 0;
    std::string_view tail = asText(rest.subspan(2));
    for (int field = 0; field < 2; ++field) {
      const std::size_t nul = tail.find('\0');
      if (nul == std::string_view::npos) return badMetadata("PNG iTXt chunk cut short");
      tail.remove_prefix(nul + 1);
    }
    rest = rest.subspan(rest.size() - tail.size());
  } else if (compressed) {
    if (rest.empty()) return badMetadata("PNG zTXt chunk cut short");
    rest = rest.subspan(1);  // compression method
  }
  if (compressed) {
    auto inflated = inflateCapped(rest, std::min(kMaxTextChunk, budget));
    if (!inflated) return inflated.error();
    text = std::move(*inflated);
  } else {
    text.assign(asText(rest));
  }
  if (text.size() > budget) return badMetadata("PNG text chunks are too large");
  budget -= text.size();
  if (chunk.type == "iTXt" && keyword == "XML:com.adobe.xmp") {
    addBlock(out, "XMP");
    readXmp({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, out);
    return okStatus();
  }
  addBlock(out, "PNG text");
  addText(out, "PNG " + chunk.type + " " + keyword, text);
  return okStatus();
}

}  // namespace

Result<std::string> inflateCapped(ByteSpan compressed, std::size_t limit) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) return badMetadata("zlib inflateInit failed");
  stream.next_in = const_cast<Bytef*>(compressed.data());
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  std::array<char, 16384> buffer;
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream.avail_out = buffer.size();
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer.data(), buffer.size() - stream.avail_out);
    if (out.size() > limit) {
      inflateEnd(&stream);
      return badMetadata("compressed text expands past " + std::to_string(limit) +
                         " bytes (a decompression bomb)");
    }
    if (status == Z_BUF_ERROR && stream.avail_in == 0) break;
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END)
    return badMetadata("compressed text is damaged (zlib " + std::to_string(status) + ")");
  return out;
}

bool isAllowedPngChunk(std::string_view type) {
  static constexpr std::array<std::string_view, 11> kAllowed = {
      "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "sBIT", "bKGD", "pHYs"};
  return std::find(kAllowed.begin(), kAllowed.end(), type) != kAllowed.end();
}

Result<PngLayout> walkPng(ByteSpan bytes) {
  if (bytes.size() < kSignature.size() ||
      !std::equal(kSignature.begin(), kSignature.end(), bytes.begin())) {
    return corruptImage("PNG signature missing");
  }
  PngLayout layout;
  std::size_t pos = kSignature.size();
  while (true) {
    if (bytes.size() - pos < 12) return truncatedImage("PNG ends before its IEND chunk");
    const std::uint32_t length = readBe32(bytes.data() + pos);
    const ByteSpan typeBytes = bytes.subspan(pos + 4, 4);
    if (!std::all_of(typeBytes.begin(), typeBytes.end(), isAsciiLetter)) {
      return corruptImage("PNG chunk type is not four letters at offset " + std::to_string(pos));
    }
    const std::string type(typeBytes.begin(), typeBytes.end());
    if (length > 0x7fffffff || length > bytes.size() - pos - 12) {
      const std::string what = "PNG chunk " + type + " claims " + std::to_string(length) +
                               " bytes, past the end of the file";
      // An ancillary chunk (lower-case first letter) is metadata; a critical one is the image.
      if (std::islower(static_cast<unsigned char>(type[0]))) return badMetadata(what);
      return truncatedImage(what);
    }
    const ByteSpan whole = bytes.subspan(pos, std::size_t{length} + 12);
    const uLong crc = crc32(0, whole.data() + 4, length + 4);
    if (crc != readBe32(whole.data() + 8 + length)) {
      return corruptImage("PNG chunk " + type + " at offset " + std::to_string(pos) +
                          " fails its CRC check");
    }
    if (layout.chunks.empty() && type != "IHDR")
      return corruptImage("PNG does not start with IHDR");
    layout.chunks.push_back({type, whole.subspan(8, length), whole});
    pos += whole.size();
    if (type == "IEND") {
      layout.trailing_bytes = bytes.size() - pos;
      return layout;
    }
  }
}

Status readPngMetadata(const PngLayout& layout, PhotoMetadata& out) {
  std::size_t textBudget = kMaxAllText;
  for (const PngChunk& chunk : layout.chunks) {
    if (chunk.type == "tEXt" || chunk.type == "zTXt" || chunk.type == "iTXt") {
      Status status = readTextChunk(chunk, out, textBudget);
      if (!status) return status;
    } else if (chunk.type == "eXIf") {
      Status status = readExif(chunk.data, out, "PNG eXIf");
      if (!status) return status;
    } else if (chunk.type == "tIME") {
      addBlock(out, "PNG tIME");
    } else if (chunk.type == "iCCP") {
      addBlock(out, "PNG iCCP");
    } else if (!isAllowedPngChunk(chunk.type)) {
      addBlock(out, "PNG " + chunk.type + " chunk");
    }
  }
  if (layout.trailing_bytes > 0) addBlock(out, "Trailing data");
  return okStatus();
}

}  // namespace consentguard::image::detail
