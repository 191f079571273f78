// The SSD detector's turned pass: faces turned a quarter or half turn (children lying in a
// circle, a phone held sideways, a file stored sideways or upside down with no orientation tag),
// which the upright passes do not find.
//
// - The photo, shrunk to 320 px, is turned by 90, 180 and 270 degrees, and the copies go
//   through the SSD's whole-pass network, unpadded: the two quarter turns share a size and go in
//   one batch, the half turn alone. The pass has its own copy of the network and runs beside
//   the upright passes, filling the time their networks leave a core idle.
//   Measured with `consentguard_bench 7 --turned`: 320 px found every face 384 px did on the
//   shared photos and the circle test at 60% of the cost, and 3 squares of 384 px (the first
//   version) cost 1.5x the upright detection.
// - dlib's HOG detector, which finds only upright faces, is the judge: a turned face the SSD
//   finds at 0.4 or more counts only where HOG sees a face at its turn.
// - When one turn holds more such faces than HOG sees upright, the photo is taken to be
//   stored turned: every pass runs again on the photo so turned, so that its small faces are
//   found too, and its faces win over the upright boxes they overlap unless HOG prefers those.
// - Otherwise each turned face is added where no face was found, and replaces an upright box
//   only where HOG sees a face at the new turn and none at the old.
// Internal to the faces module. Not thread-safe (the network and HOG keep state).
#pragma once

#include <array>
#include <functional>
#include <vector>

#include <dlib/image_processing/frontal_face_detector.h>
#include <opencv2/core.hpp>

#include "consentguard/faces/detector.h"
#include "ssd_network.h"
#include "turns.h"

namespace consentguard::faces {

// The SSD's faces at each quarter turn (in kQuarterTurns' order), in the photo's own pixels,
// each with its turn. Uses the whole pass's network.
using TurnedCandidates = std::array<std::vector<FaceBox>, kQuarterTurns.size()>;
TurnedCandidates findTurnedCandidates(const cv::Mat& rgb, SsdNetwork& network);

// Finds the faces in an upright photo with every upright pass.
using UprightDetection = std::function<std::vector<FaceBox>(const cv::Mat& rgb)>;

// Adds to `faces`, found in `rgb` by `detectUpright`, the turned faces among `candidates` that
// HOG confirms; upright boxes that were a turned face taken at the wrong turn are dropped.
void addTurnedFaces(const cv::Mat& rgb, TurnedCandidates candidates,
                    dlib::frontal_face_detector& hog, const UprightDetection& detectUpright,
                    std::vector<FaceBox>& faces);

}  // namespace consentguard::faces
