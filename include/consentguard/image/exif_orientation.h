// Reads the EXIF Orientation tag (1-8) of a JPEG and turns pixels upright accordingly.
// Free functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>

#include <opencv2/core.hpp>

namespace consentguard::image {

// 1 (already upright) when the file has no EXIF, no Orientation tag, or an invalid value: a
// missing tag means the camera stored the picture upright.
int readExifOrientation(std::span<const std::uint8_t> jpeg);

// Returns the pixels as they should be displayed for the given EXIF orientation.
cv::Mat applyOrientation(const cv::Mat& pixels, int orientation);

}  // namespace consentguard::image
