// The concrete face detectors behind FaceDetector::create. Internal to the faces module.
#pragma once

#include <memory>

#include "consentguard/faces/detector.h"
#include "second_look.h"
#include "ssd_network.h"
#include "tiny_network.h"

namespace consentguard::faces {

std::unique_ptr<FaceDetector> makeSsdDetector(std::unique_ptr<SsdNetwork> network,
                                              std::unique_ptr<TinyNetwork> proposer,
                                              std::unique_ptr<SsdNetwork> turnedNetwork,
                                              std::unique_ptr<SecondLook> secondLook,
                                              const DetectorOptions& options);

// dlib's box for the face the SSD boxed as `ssd` (the landmark predictor was trained on dlib's).
cv::Rect ssdLandmarkBox(const cv::Rect2f& ssd);

}  // namespace consentguard::faces
