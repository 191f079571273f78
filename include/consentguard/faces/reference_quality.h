// Whether a photo is good enough to enrol a pupil from. A template from a poor reference photo
// makes recognition worse for as long as it is kept: a blurred or turned face lies nearer other
// people, and a small one carries little detail. So a reference photo is measured before it is
// enrolled, and refused with a reason the office can act on:
//   - size: the face at least kMinReferenceFacePx wide in the photo;
//   - sharpness: the variance of the Laplacian of the face, scaled to 100 px wide;
//   - pose: how far the nose tip sits from the middle of the eyes (turned left or right), and
//     the tilt of the line between the eyes, from the 68 landmarks.
// The limits were set on the shared reference crops and their blurred, small and turned
// copies (`consentguard_bench 1 --reference-eval`; the issue #11 closing note).
// Free functions; thread-safe.
#pragma once

#include <opencv2/core.hpp>

#include "consentguard/common/result.h"
#include "consentguard/faces/face_engine.h"

namespace consentguard::faces {

struct ReferenceQuality {
  int face_px = 0;         // the face box's smaller side, in the photo's pixels
  double sharpness = 0.0;  // variance of the Laplacian at 100 px
  double turn = 0.0;       // |nose offset| / eye distance: 0 facing the camera
  double tilt_degrees = 0.0;
};

inline constexpr int kMinReferenceFacePx = 80;
inline constexpr double kMinReferenceSharpness = 40.0;
inline constexpr double kMaxReferenceTurn = 0.3;
inline constexpr double kMaxReferenceTiltDegrees = 25.0;

ReferenceQuality measureReference(const cv::Mat& rgb, const FoundFace& face);

// Errors: "face_too_small", "blurred", "turned", "tilted", each for the office.
Status checkReference(const ReferenceQuality& quality);

}  // namespace consentguard::faces
