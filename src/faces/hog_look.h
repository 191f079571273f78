// dlib's HOG face detector taking a close look at one part of a photo: the SSD detector asks it
// whether a proposal or a turned face is a face, and the aligner where dlib would put the box
// of a face another detector found. HOG's time grows with the area it scans, so the part is
// scaled first so that the face expected there just fills HOG's 80 px window.
// Internal to the faces module. Not thread-safe: dlib's detector is not (each caller owns one).
#pragma once

#include <vector>

#include <dlib/image_processing/frontal_face_detector.h>
#include <opencv2/core.hpp>

namespace consentguard::faces {

// `box` grown by `margin` on every side, clipped to a photo of size `photo` (may be empty).
cv::Rect grownWithin(const cv::Rect& box, int margin, cv::Size photo);

// The faces HOG finds in `region` of `rgb` once the region is scaled by `scale` and turned
// clockwise by `turn` degrees (0, 90, 180 or 270): boxes in the photo's own pixels, as found
// upright in the turned copy.
std::vector<cv::Rect2f> hogFacesIn(dlib::frontal_face_detector& hog, const cv::Mat& rgb,
                                   const cv::Rect& region, double scale, int turn = 0);

// Whether HOG sees a face at `box` of `rgb` when the photo is turned by `turn`: it looks at the
// box and a third of its size around it, the face scaled to about 100 px, and wants a face
// centred near the middle.
bool hogSeesFace(dlib::frontal_face_detector& hog, const cv::Mat& rgb, const cv::Rect& box,
                 int turn);

}  // namespace consentguard::faces
