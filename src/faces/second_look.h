// The second, independent look that a box the SSD alone found must pass to be a face (issue 23):
// face-api's TinyFaceDetector, a network of another design trained apart, on the box and a
// margin around it at a size where the face fills a third of its input; and dlib's HOG. A box
// either of them agrees with is a face.
// Why: the SSD put a 0.59 box on a painted landscape behind a portrait, and scores clasped hands
// 0.40 to 0.60. A box the SSD scores at kSureScore or more needs no second look (no box on a
// non-face scored that high on the shared photos or the children's). Boxes the small-face pass
// or the turned pass found have had their second look already (a TinyFaceDetector proposal
// the SSD confirmed, or HOG).
// Internal to the faces module. Not thread-safe: each detector owns its own.
#pragma once

#include <memory>

#include <dlib/image_processing/frontal_face_detector.h>
#include <opencv2/core.hpp>

#include "tiny_network.h"

namespace consentguard::faces {

class SecondLook {
 public:
  static constexpr float kSureScore = 0.8f;

  explicit SecondLook(std::unique_ptr<TinyNetwork> network);

  // Whether the box `box` of `rgb` (upright) is a face to another detector.
  bool agrees(const cv::Mat& rgb, const cv::Rect2f& box);

 private:
  // TinyFaceDetector on the box's square, `around` times its side.
  bool tinyAgrees(const cv::Mat& rgb, const cv::Rect2f& box, float around);

  std::unique_ptr<TinyNetwork> network_;
  dlib::frontal_face_detector hog_ = dlib::get_frontal_face_detector();
};

}  // namespace consentguard::faces
