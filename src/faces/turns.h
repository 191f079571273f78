// Quarter turns of a photo, for faces that are not upright in it: children lying down, a phone
// held sideways, a file stored sideways or upside down without an orientation tag. A turn is
// how far the photo is turned clockwise (0, 90, 180 or 270 degrees) for such a face to stand
// upright; boxes and points move between the photo's pixels and the turned copy's exactly.
// Internal to the faces module. Pure functions; thread-safe.
#pragma once

#include <array>

#include <opencv2/core.hpp>

namespace consentguard::faces {

constexpr std::array<int, 3> kQuarterTurns = {90, 180, 270};

// The photo turned clockwise by `turn` degrees (a copy; 0 returns the photo itself).
cv::Mat turnPhoto(const cv::Mat& photo, int turn);

// A box of the photo (of size `photo`) in the turned copy's pixels, and back.
cv::Rect2f toTurned(const cv::Rect2f& box, cv::Size photo, int turn);
cv::Rect2f fromTurned(const cv::Rect2f& box, cv::Size photo, int turn);
cv::Point2f fromTurned(const cv::Point2f& point, cv::Size photo, int turn);

}  // namespace consentguard::faces
