// The concrete face detectors behind FaceDetector::create. Internal to the faces module.
#pragma once

#include <memory>

#include "consentguard/faces/detector.h"
#include "ssd_network.h"
#include "tiny_network.h"

namespace consentguard::faces {

std::unique_ptr<FaceDetector> makeSsdDetector(std::unique_ptr<SsdNetwork> network,
                                              std::unique_ptr<TinyNetwork> proposer,
                                              const DetectorOptions& options);

}  // namespace consentguard::faces
