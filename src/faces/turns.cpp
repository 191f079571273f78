#include "turns.h"

#include <opencv2/core.hpp>

namespace consentguard::faces {

cv::Mat turnPhoto(const cv::Mat& photo, int turn) {
  cv::Mat turned;
  switch (turn) {
    case 90: cv::rotate(photo, turned, cv::ROTATE_90_CLOCKWISE); return turned;
    case 180: cv::rotate(photo, turned, cv::ROTATE_180); return turned;
    case 270: cv::rotate(photo, turned, cv::ROTATE_90_COUNTERCLOCKWISE); return turned;
    default: return photo;
  }
}

// Boxes are mapped as continuous areas: [x, x+w) in the photo lands at [W-x-w, W-x) when
// mirrored, with no off-by-one.
cv::Rect2f toTurned(const cv::Rect2f& b, cv::Size photo, int turn) {
  const float W = static_cast<float>(photo.width), H = static_cast<float>(photo.height);
  switch (turn) {
    case 90: return {H - b.y - b.height, b.x, b.height, b.width};
    case 180: return {W - b.x - b.width, H - b.y - b.height, b.width, b.height};
    case 270: return {b.y, W - b.x - b.width, b.height, b.width};
    default: return b;
  }
}

cv::Rect2f fromTurned(const cv::Rect2f& b, cv::Size photo, int turn) {
  const float W = static_cast<float>(photo.width), H = static_cast<float>(photo.height);
  switch (turn) {
    case 90: return {b.y, H - b.x - b.width, b.height, b.width};
    case 180: return {W - b.x - b.width, H - b.y - b.height, b.width, b.height};
    case 270: return {W - b.y - b.height, b.x, b.height, b.width};
    default: return b;
  }
}

cv::Point2f fromTurned(const cv::Point2f& p, cv::Size photo, int turn) {
  const float W = static_cast<float>(photo.width), H = static_cast<float>(photo.height);
  switch (turn) {
    case 90: return {p.y, H - p.x};
    case 180: return {W - p.x, H - p.y};
    case 270: return {W - p.y, p.x};
    default: return p;
  }
}

}  // namespace consentguard::faces
