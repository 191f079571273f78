// Turns the bytes of a submitted photo into upright RGB pixels, or an Error that names the
// problem (empty, truncated, corrupt, unsupported, too large). Fail closed: a JPEG that decodes
// only with warnings is an error, never a half-grey picture. The EXIF orientation is applied, so
// that face boxes are in the coordinates of the picture as a person sees it.
// Free functions; thread-safe. The returned cv::Mat owns its pixels.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include <opencv2/core.hpp>

#include "consentguard/common/result.h"
#include "consentguard/image/image_format.h"

namespace consentguard::image {

struct LoadLimits {
  std::uint64_t max_bytes = 64ull << 20;     // a 64 MiB file is far above any school camera's
  std::uint64_t max_pixels = 60'000'000;     // 60 megapixels; refuses decompression bombs
};

struct UprightImage {
  cv::Mat rgb;                 // CV_8UC3, R,G,B order, already turned upright
  ImageFormat format = ImageFormat::kJpeg;
  int orientation = 1;         // the EXIF orientation (1-8) that was applied
};

Result<std::vector<std::uint8_t>> readFileBytes(const std::filesystem::path& path,
                                                const LoadLimits& limits = {});

Result<UprightImage> decodeImage(std::span<const std::uint8_t> bytes,
                                 const LoadLimits& limits = {});

Result<UprightImage> loadImage(const std::filesystem::path& path, const LoadLimits& limits = {});

}  // namespace consentguard::image
