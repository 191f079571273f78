// Recognises an image's format from its first bytes (never from a file name or a Content-Type)
// and reads its width and height from the header without decoding the pixels, so that a
// decompression bomb is refused before any memory is spent on it. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "consentguard/common/result.h"

namespace consentguard::image {

// kHeic: HEIF with HEVC (iPhone and iPad photos); kAvif: HEIF with AV1. Both read with libheif.
enum class ImageFormat { kJpeg, kPng, kWebp, kHeic, kAvif };

std::string formatName(ImageFormat format);
std::string fileExtension(ImageFormat format);  // ".jpg", ".png", ".webp", ".heic", ".avif"
std::string mediaType(ImageFormat format);      // "image/jpeg", ... "image/heic", "image/avif"

struct ImageHeader {
  ImageFormat format;
  int width = 0;
  int height = 0;
};

// Sniffs the format and reads the dimensions. Errors: "empty", "not_an_image",
// "unsupported_format" (a real image format that we do not accept, e.g. GIF, or a video),
// "truncated" and "corrupt" (a header that cannot be read or claims impossible dimensions),
// "several_images" (a HEIF burst or sequence: one picture per file is checked).
Result<ImageHeader> readImageHeader(std::span<const std::uint8_t> bytes);

// A JPEG that does not end with its EOI marker was cut short (or has trailing data).
bool jpegLacksEndMarker(std::span<const std::uint8_t> bytes);

// The two errors every reader of image files gives, with the same words for staff: the file
// was cut short ("truncated"), or it is damaged ("corrupt"). `detail` is for the log.
Error truncatedImage(const std::string& detail);
Error corruptImage(const std::string& detail);

}  // namespace consentguard::image
