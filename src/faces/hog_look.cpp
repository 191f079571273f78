#include "hog_look.h"

#include <algorithm>

#include <dlib/opencv/cv_image.h>
#include <opencv2/imgproc.hpp>

#include "turns.h"

namespace consentguard::faces {

cv::Rect grownWithin(const cv::Rect& box, int margin, cv::Size photo) {
  return cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin,
                  box.height + 2 * margin) &
         cv::Rect(cv::Point(0, 0), photo);
}

std::vector<cv::Rect2f> hogFacesIn(dlib::frontal_face_detector& hog, const cv::Mat& rgb,
                                   const cv::Rect& region, double scale, int turn) {
  if (region.area() == 0 || scale <= 0) return {};
  cv::Mat patch;
  cv::resize(rgb(region), patch, cv::Size(), scale, scale,
             scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
  const cv::Size upright = patch.size();
  patch = turnPhoto(patch, turn);
  std::vector<dlib::rect_detection> hits;
  hog(dlib::cv_image<dlib::rgb_pixel>(patch), hits, 0.0);
  std::vector<cv::Rect2f> faces;
  for (const auto& hit : hits) {
    const auto& r = hit.rect;
    const cv::Rect2f inPatch = fromTurned(
        cv::Rect2f(static_cast<float>(r.left()), static_cast<float>(r.top()),
                   static_cast<float>(r.width()), static_cast<float>(r.height())),
        upright, turn);
    const auto s = static_cast<float>(scale);
    faces.emplace_back(region.x + inPatch.x / s, region.y + inPatch.y / s, inPatch.width / s,
                       inPatch.height / s);
  }
  return faces;
}

bool hogSeesFace(dlib::frontal_face_detector& hog, const cv::Mat& rgb, const cv::Rect& box,
                 int turn) {
  const int side = std::max(1, std::max(box.width, box.height));
  const cv::Rect region = grownWithin(box, side / 3, rgb.size());
  const cv::Point2f centre(region.x + region.width / 2.0f, region.y + region.height / 2.0f);
  const float near = 0.35f * static_cast<float>(std::max(region.width, region.height));
  const auto faces = hogFacesIn(hog, rgb, region, 100.0 / side, turn);
  return std::any_of(faces.begin(), faces.end(), [&](const cv::Rect2f& f) {
    return cv::norm(cv::Point2f(f.x + f.width / 2, f.y + f.height / 2) - centre) < near;
  });
}

}  // namespace consentguard::faces
