#include "consentguard/image/image_format.h"

#include <turbojpeg.h>
#include <webp/decode.h>

#include "heif_file.h"
#include "read_parts.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

namespace consentguard::image {
namespace {

constexpr std::array<std::uint8_t, 8> kPngSignature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

bool startsWith(std::span<const std::uint8_t> bytes, std::string_view prefix, size_t at = 0) {
  return bytes.size() >= at + prefix.size() &&
         std::memcmp(bytes.data() + at, prefix.data(), prefix.size()) == 0;
}

std::uint32_t readBigEndian32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

}  // namespace

Error truncatedImage(const std::string& what) {
  return makeError("truncated",
                   "The photo file is incomplete (it may not have finished copying). Copy it again "
                   "from the camera or the original folder.",
                   what);
}

Error corruptImage(const std::string& what) {
  return makeError("corrupt",
                   "The photo file is damaged and cannot be read. Export it again from the camera "
                   "or the original folder.",
                   what);
}

namespace {

Error unsupported(const std::string& format) {
  return makeError("unsupported_format",
                   "This is a " + format +
                       " file, which Consent Guard does not accept. Save the photo as JPEG, PNG or "
                       "HEIC and submit it again.",
                   format + " signature");
}

Result<ImageHeader> readPngHeader(std::span<const std::uint8_t> bytes) {
  // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4).
  if (bytes.size() < 24) return truncatedImage("PNG shorter than its IHDR chunk");
  if (!startsWith(bytes, "IHDR", 12)) return corruptImage("PNG does not start with an IHDR chunk");
  const std::uint32_t width = readBigEndian32(bytes.data() + 16);
  const std::uint32_t height = readBigEndian32(bytes.data() + 20);
  if (width == 0 || height == 0 || width > 0x7fffffff || height > 0x7fffffff) {
    return corruptImage("PNG IHDR has impossible dimensions");
  }
  return ImageHeader{ImageFormat::kPng, static_cast<int>(width), static_cast<int>(height)};
}

}  // namespace

bool jpegLacksEndMarker(std::span<const std::uint8_t> bytes) {
  return bytes.size() < 4 || bytes[bytes.size() - 2] != 0xff || bytes[bytes.size() - 1] != 0xd9;
}

namespace {

Result<ImageHeader> readJpegHeader(std::span<const std::uint8_t> bytes) {
  std::unique_ptr<void, decltype(&tjDestroy)> handle(tjInitDecompress(), &tjDestroy);
  if (!handle) return makeError("internal", "The photo could not be read.", "tjInitDecompress");
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(handle.get(), bytes.data(), static_cast<unsigned long>(bytes.size()),
                          &width, &height, &subsampling, &colorspace) != 0) {
    const std::string why = tjGetErrorStr2(handle.get());
    return jpegLacksEndMarker(bytes) ? truncatedImage(why) : corruptImage(why);
  }
  if (width <= 0 || height <= 0) return corruptImage("JPEG header has impossible dimensions");
  return ImageHeader{ImageFormat::kJpeg, width, height};
}

Result<detail::OpenedImage> readWebpHeader(std::span<const std::uint8_t> bytes) {
  WebPBitstreamFeatures features;
  const VP8StatusCode status = WebPGetFeatures(bytes.data(), bytes.size(), &features);
  if (status == VP8_STATUS_NOT_ENOUGH_DATA) return truncatedImage("WebP header incomplete");
  if (status != VP8_STATUS_OK)
    return corruptImage("WebPGetFeatures status " + std::to_string(status));
  if (features.has_animation) return unsupported("animated WebP");
  detail::OpenedImage image;
  image.header = ImageHeader{ImageFormat::kWebp, features.width, features.height};
  image.webp_lossless = features.format == 2;
  image.webp_alpha = features.has_alpha != 0;
  return image;
}

Result<detail::OpenedImage> opened(Result<ImageHeader> header) {
  if (!header) return header.error();
  detail::OpenedImage image;
  image.header = *header;
  return image;
}

}  // namespace

std::string formatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kWebp:
      return "WebP";
    case ImageFormat::kHeic:
      return "HEIC";
    case ImageFormat::kAvif:
      return "AVIF";
  }
  return "unknown";
}

std::string fileExtension(ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng:
      return ".png";
    case ImageFormat::kWebp:
      return ".webp";
    case ImageFormat::kHeic:
      return ".heic";
    case ImageFormat::kAvif:
      return ".avif";
    case ImageFormat::kJpeg:
      break;
  }
  return ".jpg";
}

std::string mediaType(ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng:
      return "image/png";
    case ImageFormat::kWebp:
      return "image/webp";
    case ImageFormat::kHeic:
      return "image/heic";
    case ImageFormat::kAvif:
      return "image/avif";
    case ImageFormat::kJpeg:
      break;
  }
  return "image/jpeg";
}

Result<ImageHeader> readImageHeader(std::span<const std::uint8_t> bytes) {
  auto image = detail::openImage(bytes);
  if (!image) return image.error();
  return image->header;
}

Result<detail::OpenedImage> detail::openImage(std::span<const std::uint8_t> bytes) {
  countHeader();
  if (bytes.empty()) {
    return makeError("empty", "The file is empty (0 bytes). Copy the photo again.", "0 bytes");
  }
  if (bytes.size() >= 3 && bytes[0] == 0xff && bytes[1] == 0xd8 && bytes[2] == 0xff) {
    return opened(readJpegHeader(bytes));
  }
  if (bytes.size() >= kPngSignature.size() &&
      std::equal(kPngSignature.begin(), kPngSignature.end(), bytes.begin())) {
    return opened(readPngHeader(bytes));
  }
  if (startsWith(bytes, "RIFF") && startsWith(bytes, "WEBP", 8)) return readWebpHeader(bytes);
  if (sniffHeif(bytes)) {
    auto heif = HeifFile::open(bytes);
    if (!heif) return heif.error();
    OpenedImage image;
    image.header = ImageHeader{heif->format(), heif->width(), heif->height()};
    image.heif = std::move(heif.value());
    return image;
  }
  if (startsWith(bytes, "ftyp", 4)) return unsupported("video (MP4 or MOV)");
  if (startsWith(bytes, "GIF8")) return unsupported("GIF");
  if (startsWith(bytes, "BM")) return unsupported("BMP");
  if (startsWith(bytes, "II*") || startsWith(bytes, "MM")) return unsupported("TIFF or raw");
  return makeError("not_an_image",
                   "This file is not a photo Consent Guard can read (it is not JPEG, PNG, WebP "
                   "or HEIC). "
                   "Check that the right file was chosen.",
                   "no known image signature");
}

}  // namespace consentguard::image
