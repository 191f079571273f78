// readMetadata(): sniffs the format, walks the file's containers (JPEG segments, PNG chunks, WebP
// RIFF chunks) and hands each metadata block to its parser. Anything that is not picture data is
// listed as a block, known or not, because the sanitiser must be able to prove it removed it.
#include "consentguard/image/metadata.h"

#include "heif_file.h"

#include <algorithm>
#include <map>

#include "metadata_parts.h"
#include "read_parts.h"

namespace consentguard::image {
namespace detail {

Error badMetadata(const std::string& detail) {
  return makeError("bad_metadata",
                   "The photo's hidden information (metadata) is damaged or deliberately "
                   "malformed, so Consent Guard cannot check it. Open the photo in an image "
                   "editor or the camera's app, save a new copy and submit that.",
                   detail);
}

std::uint16_t readBe16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

std::uint32_t readBe32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

std::uint32_t readLe32(const std::uint8_t* p) {
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) |
         std::uint32_t{p[0]};
}

bool hasPrefix(ByteSpan bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), bytes.begin(),
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

void addBlock(PhotoMetadata& out, const std::string& block) {
  if (std::find(out.blocks.begin(), out.blocks.end(), block) == out.blocks.end()) {
    out.blocks.push_back(block);
  }
}

}  // namespace detail

namespace {

using namespace detail;

constexpr std::string_view kExifPrefix{"Exif\0\0", 6};
constexpr std::string_view kXmpPrefix{"http://ns.adobe.com/xap/1.0/\0", 29};
constexpr std::string_view kExtendedXmpPrefix{"http://ns.adobe.com/xmp/extension/\0", 35};
constexpr std::string_view kPhotoshopPrefix{"Photoshop 3.0\0", 14};
constexpr std::string_view kIccPrefix{"ICC_PROFILE\0", 12};
constexpr std::string_view kMpfPrefix{"MPF\0", 4};

std::string appName(std::uint8_t marker) { return "APP" + std::to_string(marker - 0xe0); }

// Extended XMP (XMP spec part 3, 1.1.3.1): chunks of one packet, keyed by a GUID, each with the
// full length and its own offset. The claimed lengths are checked against the file so that a
// few small segments cannot make us allocate gigabytes.
class ExtendedXmp {
 public:
  explicit ExtendedXmp(std::size_t budget) : budget_(budget) {}

  Status add(ByteSpan payload) {
    if (payload.size() < 32 + 8) return badMetadata("extended XMP segment too short");
    const std::string guid(payload.begin(), payload.begin() + 32);
    const std::uint32_t total = readBe32(payload.data() + 32);
    const std::uint32_t offset = readBe32(payload.data() + 36);
    const ByteSpan data = payload.subspan(40);
    auto it = packets_.find(guid);
    if (it == packets_.end()) {
      if (total > budget_) return badMetadata("extended XMP claims more bytes than the file has");
      budget_ -= total;
      it = packets_.emplace(guid, std::vector<std::uint8_t>(total, ' ')).first;
    }
    std::vector<std::uint8_t>& packet = it->second;
    if (offset > packet.size() || data.size() > packet.size() - offset) {
      return badMetadata("extended XMP chunk lies outside its packet");
    }
    std::copy(data.begin(), data.end(), packet.begin() + offset);
    return okStatus();
  }

  void readInto(PhotoMetadata& out) const {
    for (const auto& [guid, packet] : packets_) readXmp(packet, out);
  }

 private:
  std::size_t budget_;
  std::map<std::string, std::vector<std::uint8_t>> packets_;
};

Status readApp(const JpegSegment& segment, PhotoMetadata& out, ExtendedXmp& extended,
               std::vector<std::uint8_t>& photoshop, int* pixel_orientation) {
  const ByteSpan p = segment.payload;
  switch (segment.marker) {
    case 0xe0:  // JFIF is part of the codec, unless it carries a thumbnail.
      if (hasPrefix(p, {"JFIF\0", 5}) && p.size() >= 14 && (p[12] == 0 || p[13] == 0)) break;
      addBlock(out, hasPrefix(p, {"JFIF\0", 5}) || hasPrefix(p, {"JFXX\0", 5}) ? "JFIF thumbnail"
                                                                               : "APP0");
      break;
    case 0xe1:
      if (hasPrefix(p, kExifPrefix)) {
        return readExif(p.subspan(kExifPrefix.size()), out, "EXIF", pixel_orientation);
      }
      if (hasPrefix(p, kXmpPrefix)) {
        addBlock(out, "XMP");
        readXmp(p.subspan(kXmpPrefix.size()), out);
      } else if (hasPrefix(p, kExtendedXmpPrefix)) {
        addBlock(out, "Extended XMP");
        return extended.add(p.subspan(kExtendedXmpPrefix.size()));
      } else {
        addBlock(out, "APP1");
      }
      break;
    case 0xe2:
      addBlock(out, hasPrefix(p, kIccPrefix)   ? "ICC profile"
                    : hasPrefix(p, kMpfPrefix) ? "MPF"
                                               : "APP2");
      break;
    case 0xed:
      if (hasPrefix(p, kPhotoshopPrefix)) {
        addBlock(out, "Photoshop");
        photoshop.insert(photoshop.end(), p.begin() + kPhotoshopPrefix.size(), p.end());
      } else {
        addBlock(out, "APP13");
      }
      break;
    case 0xee:  // Adobe's APP14 says how the colours are coded; it is part of the codec.
      if (!hasPrefix(p, "Adobe")) addBlock(out, "APP14");
      break;
    default:
      addBlock(out, appName(segment.marker));
  }
  return okStatus();
}

// `pixel_orientation` gets the orientation decodeImage() turns the pixels by: that of
// readExifOrientation(), whose libexif scan of the file stops at the first marker before the
// EXIF that is not an APPn segment (and finds no orientation then).
Status readJpeg(ByteSpan bytes, PhotoMetadata& out, int& pixel_orientation) {
  auto layout = walkJpeg(bytes);
  if (!layout) return layout.error();
  ExtendedXmp extended(bytes.size());
  std::vector<std::uint8_t> photoshop;
  bool libexifWouldLook = true;
  for (const JpegSegment& segment : layout->segments) {
    if (segment.marker >= 0xe0 && segment.marker <= 0xef) {
      const bool exif = segment.marker == 0xe1 && hasPrefix(segment.payload, kExifPrefix);
      Status status = readApp(segment, out, extended, photoshop,
                              exif && libexifWouldLook ? &pixel_orientation : nullptr);
      libexifWouldLook = libexifWouldLook && !exif;
      if (!status) return status;
    } else if (segment.marker == 0xfe) {
      libexifWouldLook = false;
      addBlock(out, "JPEG comment");
      addText(out, "JPEG comment",
              {reinterpret_cast<const char*>(segment.payload.data()), segment.payload.size()});
    } else {
      libexifWouldLook = false;
    }
  }
  extended.readInto(out);
  if (!photoshop.empty()) {
    Status status = readPhotoshopResources(photoshop, out);
    if (!status) return status;
  }
  if (layout->trailing_bytes > 0) addBlock(out, "Trailing data");
  return okStatus();
}

// WebP: a RIFF container of chunks (fourcc, little-endian size, data padded to even length).
Status readWebp(ByteSpan bytes, PhotoMetadata& out) {
  if (bytes.size() < 12) return truncatedImage("WebP shorter than its RIFF header");
  const std::uint64_t riffEnd = std::uint64_t{readLe32(bytes.data() + 4)} + 8;
  if (riffEnd > bytes.size()) return truncatedImage("WebP RIFF size runs past the end");
  std::size_t pos = 12;
  while (pos + 8 <= riffEnd) {
    const std::string fourcc(bytes.begin() + pos, bytes.begin() + pos + 4);
    const std::uint32_t size = readLe32(bytes.data() + pos + 4);
    if (size > riffEnd - pos - 8) return badMetadata("WebP chunk " + fourcc + " runs past the end");
    const ByteSpan data = bytes.subspan(pos + 8, size);
    pos += 8 + size + (size & 1);
    if (fourcc == "EXIF") {
      Status status =
          readExif(hasPrefix(data, kExifPrefix) ? data.subspan(6) : data, out, "WebP EXIF");
      if (!status) return status;
    } else if (fourcc == "XMP ") {
      addBlock(out, "WebP XMP");
      readXmp(data, out);
    } else if (fourcc == "ICCP") {
      addBlock(out, "WebP ICC profile");
    } else if (fourcc != "VP8 " && fourcc != "VP8L" && fourcc != "VP8X" && fourcc != "ALPH") {
      addBlock(out, "WebP " + fourcc + " chunk");
    }
  }
  if (riffEnd < bytes.size()) addBlock(out, "Trailing data");
  return okStatus();
}

// HEIF: metadata items attached to the picture, as libheif lists them. EXIF starts with the
// offset of its TIFF header (4 bytes, big-endian); XMP is a "mime" item of application/rdf+xml.
Status readHeif(const HeifFile* heif, PhotoMetadata& out) {
  if (!heif) return makeError("internal", "The photo could not be read.", "HEIF not opened");
  for (const auto& block : heif->metadata()) {
    const ByteSpan data(block.data);
    if (block.type == "Exif") {
      if (data.size() < 4) return badMetadata("HEIF EXIF shorter than its offset");
      const std::uint64_t offset = readBe32(data.data());
      if (offset > data.size() - 4) return badMetadata("HEIF EXIF offset past its end");
      ByteSpan tiff = data.subspan(4 + offset);
      if (hasPrefix(tiff, kExifPrefix)) tiff = tiff.subspan(kExifPrefix.size());
      if (Status s = readExif(tiff, out, "HEIF EXIF"); !s) return s;
    } else if (block.type == "mime" && block.content_type == "application/rdf+xml") {
      addBlock(out, "HEIF XMP");
      readXmp(data, out);
    } else {
      addBlock(out, "HEIF " + block.type + (block.content_type.empty() ? "" : " " +
                                            block.content_type) + " metadata");
    }
  }
  if (heif->thumbnails() > 0) addBlock(out, "HEIF thumbnail");
  if (heif->hasDepth()) addBlock(out, "HEIF depth map");
  return okStatus();
}

}  // namespace

Result<PhotoMetadata> readMetadata(std::span<const std::uint8_t> bytes) {
  auto image = openImage(bytes);
  if (!image) return image.error();
  MetadataExtras extras;
  return readOpenedMetadata(bytes, *image, extras);
}

Result<PhotoMetadata> detail::readOpenedMetadata(std::span<const std::uint8_t> bytes,
                                                 const OpenedImage& image,
                                                 MetadataExtras& extras) {
  countMetadata();
  PhotoMetadata out;
  out.format = image.header.format;
  Status status = okStatus();
  switch (image.header.format) {
    case ImageFormat::kJpeg:
      status = readJpeg(bytes, out, extras.pixel_orientation);
      break;
    case ImageFormat::kWebp:
      status = readWebp(bytes, out);
      break;
    case ImageFormat::kHeic:
    case ImageFormat::kAvif:
      status = readHeif(image.heif ? &*image.heif : nullptr, out);
      break;
    case ImageFormat::kPng: {
      auto layout = walkPng(bytes);
      if (!layout) return layout.error();
      status = readPngMetadata(*layout, out);
      for (const PngChunk& chunk : layout->chunks) {
        if (isAllowedPngChunk(chunk.type)) extras.png_kept_chunks.push_back(chunk.whole);
      }
      break;
    }
  }
  if (!status) return status.error();
  return out;
}

}  // namespace consentguard::image
