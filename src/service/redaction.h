// A copy of a photo with some faces covered beyond recognition, for SLT to publish when the
// rest of the photo may be shared. Each face's box is enlarged by a quarter on every side (the
// detector's box is tight: hair, ears and jaw identify a child too) and filled solid black: no
// blur or mosaic that software could undo. The face detector is then run on the copy, and the
// copy is refused if any face is still found where one was covered.
// Free function; thread-safe as long as each thread has its own engine.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/image/image_loader.h"

namespace consentguard::service {

struct RedactedPhoto {
  std::vector<std::uint8_t> jpeg;  // the upright copy, without metadata
  std::vector<cv::Rect> covered;   // the areas filled, in the copy's pixels
};

// `faces` are boxes in the upright photo's pixels. Errors: "unreadable", "not_covered" (a face
// is still found in a covered area), "encode_failed".
Result<RedactedPhoto> redactFaces(const std::vector<std::uint8_t>& original,
                                  const std::vector<cv::Rect>& faces, faces::FaceEngine& engine,
                                  const image::LoadLimits& limits = {});

}  // namespace consentguard::service
