#include "consentguard/faces/reference_quality.h"

#include <cmath>
#include <numbers>
#include <opencv2/imgproc.hpp>

namespace consentguard::faces {
namespace {

// dlib's 68-point layout: outer eye corners and the tip of the nose.
constexpr size_t kRightEyeOuter = 36, kLeftEyeOuter = 45, kNoseTip = 30;

double laplacianVariance(const cv::Mat& rgb, const cv::Rect& box) {
  const cv::Rect inside = box & cv::Rect(0, 0, rgb.cols, rgb.rows);
  if (inside.area() == 0) return 0.0;
  cv::Mat grey, scaled, laplacian;
  cv::cvtColor(rgb(inside), grey, cv::COLOR_RGB2GRAY);
  const double scale = 100.0 / inside.width;
  cv::resize(grey, scaled, cv::Size(), scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
  cv::Laplacian(scaled, laplacian, CV_64F);
  cv::Scalar mean, deviation;
  cv::meanStdDev(laplacian, mean, deviation);
  return deviation[0] * deviation[0];
}

}  // namespace

ReferenceQuality measureReference(const cv::Mat& rgb, const FoundFace& face) {
  ReferenceQuality q;
  q.face_px = std::min(face.box.width, face.box.height);
  q.sharpness = laplacianVariance(rgb, face.box);
  if (face.landmarks.size() == 68) {
    const cv::Point2f right = face.landmarks[kRightEyeOuter], left = face.landmarks[kLeftEyeOuter];
    const cv::Point2f nose = face.landmarks[kNoseTip];
    const cv::Point2f eyes = left - right;
    const double eyeDistance = std::hypot(eyes.x, eyes.y);
    if (eyeDistance > 0) {
      // The nose's offset from the eyes' middle, along the line between the eyes.
      const cv::Point2f middle = (left + right) * 0.5f;
      const cv::Point2f offset = nose - middle;
      q.turn = std::abs(offset.x * eyes.x + offset.y * eyes.y) / (eyeDistance * eyeDistance);
      q.tilt_degrees = std::abs(std::atan2(eyes.y, eyes.x)) * 180.0 / std::numbers::pi;
    }
  } else {
    q.turn = 1.0;  // no landmarks: the pose cannot be judged, so it is not accepted
  }
  return q;
}

Status checkReference(const ReferenceQuality& q) {
  if (q.face_px < kMinReferenceFacePx) {
    return makeError("face_too_small",
                     "The face in this photo is too small (" + std::to_string(q.face_px) +
                         " pixels across; at least " + std::to_string(kMinReferenceFacePx) +
                         " are needed). Take the photo closer, or use the camera's full size.",
                     std::to_string(q.face_px) + " px");
  }
  if (q.sharpness < kMinReferenceSharpness) {
    return makeError("blurred",
                     "The face in this photo is blurred. Take it again in good light, holding "
                     "the camera still.",
                     "sharpness " + std::to_string(q.sharpness));
  }
  if (q.turn > kMaxReferenceTurn) {
    return makeError("turned",
                     "The face in this photo is turned to one side. Take it again with the pupil "
                     "looking straight at the camera.",
                     "turn " + std::to_string(q.turn));
  }
  if (q.tilt_degrees > kMaxReferenceTiltDegrees) {
    return makeError("tilted",
                     "The head in this photo is tilted. Take it again with the pupil's head "
                     "upright.",
                     "tilt " + std::to_string(q.tilt_degrees) + " degrees");
  }
  return okStatus();
}

}  // namespace consentguard::faces
