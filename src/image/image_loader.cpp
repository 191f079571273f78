#include "consentguard/image/image_loader.h"

#include <turbojpeg.h>
#include <webp/decode.h>

#include <fstream>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "consentguard/image/exif_orientation.h"
#include "heif_file.h"
#include "read_parts.h"

namespace consentguard::image {
namespace {

Error damaged(const std::string& detail, bool incomplete) {
  return incomplete ? truncatedImage(detail) : corruptImage(detail);
}

Result<cv::Mat> decodeJpeg(std::span<const std::uint8_t> bytes, const ImageHeader& header) {
  detail::countPixels();
  std::unique_ptr<void, decltype(&tjDestroy)> handle(tjInitDecompress(), &tjDestroy);
  if (!handle) return makeError("internal", "The photo could not be read.", "tjInitDecompress");
  cv::Mat rgb(header.height, header.width, CV_8UC3);
  // Any libjpeg warning (premature end of data, corrupt entropy data) stops the decode: a photo
  // that is half grey could hide a face.
  if (tjDecompress2(handle.get(), bytes.data(), static_cast<unsigned long>(bytes.size()), rgb.data,
                    header.width, static_cast<int>(rgb.step), header.height, TJPF_RGB,
                    TJFLAG_STOPONWARNING) != 0) {
    return damaged(tjGetErrorStr2(handle.get()), jpegLacksEndMarker(bytes));
  }
  return rgb;
}

Result<cv::Mat> decodePng(std::span<const std::uint8_t> bytes) {
  detail::countPixels();
  const cv::Mat encoded(1, static_cast<int>(bytes.size()), CV_8UC1,
                        const_cast<std::uint8_t*>(bytes.data()));
  // IMREAD_COLOR asks for 8 bits a sample: OpenCV then has libpng strip a 16-bit PNG to 8 bits
  // row by row (png_set_strip_16), straight into the one 8-bit picture, so no 16-bit copy of
  // the photo is ever made (IMREAD_UNCHANGED or IMREAD_ANYDEPTH would make one, twice the size
  // of the photo, before any conversion). The channels are then swapped in place: cvtColor, even
  // "in place", allocates a second picture (issue 23; tests/image/png16_test.cpp).
  cv::Mat pixels;
  try {
    pixels = cv::imdecode(encoded, cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    return damaged(e.what(), false);
  }
  if (pixels.empty()) return damaged("libpng could not decode the PNG (see OpenCV's log)", false);
  for (int y = 0; y < pixels.rows; ++y) {
    auto* row = pixels.ptr<cv::Vec3b>(y);
    for (int x = 0; x < pixels.cols; ++x) std::swap(row[x][0], row[x][2]);
  }
  return pixels;
}

Result<cv::Mat> decodeWebp(std::span<const std::uint8_t> bytes, const ImageHeader& header) {
  detail::countPixels();
  cv::Mat rgb(header.height, header.width, CV_8UC3);
  if (!WebPDecodeRGBInto(bytes.data(), bytes.size(), rgb.data, rgb.total() * rgb.elemSize(),
                         static_cast<int>(rgb.step))) {
    return damaged("WebPDecodeRGBInto failed", false);
  }
  return rgb;
}

}  // namespace

Result<std::vector<std::uint8_t>> readFileBytes(const std::filesystem::path& path,
                                                const LoadLimits& limits) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return makeError("not_found", "The file " + path.filename().string() + " could not be found.",
                     path.string() + ": not a regular file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return makeError("io_error", "The file could not be read.", ec.message());
  if (size > limits.max_bytes) {
    return makeError("too_large",
                     "The file is too large (" + std::to_string(size >> 20) +
                         " MB). Photos up to " + std::to_string(limits.max_bytes >> 20) +
                         " MB are accepted: export a smaller copy.",
                     path.string());
  }
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> bytes(size);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
    return makeError("io_error", "The file could not be read.", path.string() + ": short read");
  }
  return bytes;
}

Status detail::checkFileSize(std::span<const std::uint8_t> bytes, const LoadLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return makeError("too_large", "The file is too large. Export a smaller copy of the photo.",
                     std::to_string(bytes.size()) + " bytes");
  }
  return okStatus();
}

Status detail::checkPixels(const ImageHeader& header, const LoadLimits& limits) {
  const std::uint64_t pixels = std::uint64_t(header.width) * std::uint64_t(header.height);
  if (pixels > limits.max_pixels) {
    return makeError("too_many_pixels",
                     "The photo is too large (" + std::to_string(header.width) + " x " +
                         std::to_string(header.height) + " pixels). Export a copy of at most " +
                         std::to_string(limits.max_pixels / 1'000'000) + " megapixels.",
                     std::to_string(pixels) + " pixels declared in the header");
  }
  return okStatus();
}

Result<cv::Mat> detail::decodeStoredPixels(std::span<const std::uint8_t> bytes,
                                           const OpenedImage& image) {
  const ImageHeader& header = image.header;
  Result<cv::Mat> pixelsOrError = [&]() -> Result<cv::Mat> {
    switch (header.format) {
      case ImageFormat::kJpeg:
        return decodeJpeg(bytes, header);
      case ImageFormat::kPng:
        return decodePng(bytes);
      case ImageFormat::kWebp:
        return decodeWebp(bytes, header);
      case ImageFormat::kHeic:
      case ImageFormat::kAvif:
        if (!image.heif) return makeError("internal", "The photo could not be read.", "no HEIF");
        return image.heif->decodeRgb();
    }
    return makeError("internal", "The photo could not be read.", "unhandled format");
  }();
  if (!pixelsOrError) return pixelsOrError.error();
  if (pixelsOrError->cols != header.width || pixelsOrError->rows != header.height) {
    return damaged("decoded size differs from the header", false);
  }
  return pixelsOrError;
}

Result<UprightImage> decodeImage(std::span<const std::uint8_t> bytes, const LoadLimits& limits) {
  if (Status size = detail::checkFileSize(bytes, limits); !size) return size.error();
  auto opened = detail::openImage(bytes);
  if (!opened) return opened.error();
  if (Status pixels = detail::checkPixels(opened->header, limits); !pixels) return pixels.error();
  auto stored = detail::decodeStoredPixels(bytes, *opened);
  if (!stored) return stored.error();

  UprightImage image;
  image.format = opened->header.format;
  // PNG and WebP files from school devices do not carry EXIF orientation in practice; only
  // JPEG's is honoured here (issue #3's metadata reader reports the others). A HEIF picture is
  // already turned by libheif from its own boxes (irot, imir); by the HEIF standard its EXIF
  // orientation, if any, must then be ignored.
  image.orientation = image.format == ImageFormat::kJpeg ? readExifOrientation(bytes) : 1;
  image.rgb = applyOrientation(*stored, image.orientation);
  return image;
}

Result<UprightImage> loadImage(const std::filesystem::path& path, const LoadLimits& limits) {
  auto bytes = readFileBytes(path, limits);
  if (!bytes) return bytes.error();
  return decodeImage(*bytes, limits);
}

}  // namespace consentguard::image
