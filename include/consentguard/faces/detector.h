// Finds faces in an upright RGB photo. Uses dlib's MMOD CNN detector when its model file is
// present (better with tilted and turned faces) together with dlib's built-in HOG detector
// (which finds the smallest faces at its working scale), merging the two; without the MMOD
// file, HOG alone. A missed face is a safeguarding risk, an extra box only a review.
// The photo is scaled to a working resolution chosen so that the smallest face we promise to
// find (DetectorOptions) reaches the detector's own minimum window.
// Not thread-safe (dlib's detectors keep scratch state): give each worker its own FaceDetector.
#pragma once

#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "consentguard/common/result.h"
#include "consentguard/faces/models.h"

namespace consentguard::faces {

enum class DetectorKind { kHog, kMmod };

struct DetectorOptions {
  // The smallest face to find, as a fraction of the photo's long side: 40 px in a 1920 px photo.
  double min_face_fraction = 40.0 / 1920.0;
  // ...but never smaller than this many pixels (small photos and face crops).
  double min_face_px = 20.0;
  // Upscaling costs time with the square of the factor; cap it.
  double max_upscale = 4.0;
  // Force HOG even when the MMOD model is present (used to compare the two).
  bool force_hog = false;
};

struct FaceBox {
  cv::Rect box;          // in the upright photo's pixels
  double score = 0.0;    // detector confidence (HOG and MMOD scales differ)
};

class FaceDetector {
 public:
  static Result<std::unique_ptr<FaceDetector>> create(const ModelPaths& models,
                                                      const DetectorOptions& options = {});
  virtual ~FaceDetector() = default;

  virtual DetectorKind kind() const = 0;
  // The factor the photo is resized by before detection.
  double workingScale(cv::Size photo) const;
  // Every face, left to right, in the photo's own pixels.
  virtual std::vector<FaceBox> detect(const cv::Mat& rgb);

 protected:
  FaceDetector(const DetectorOptions& options, double minimumWindow)
      : options_(options), minimum_window_(minimumWindow) {}
  virtual std::vector<FaceBox> detectAtWorkingScale(const cv::Mat& rgb) = 0;

 private:
  DetectorOptions options_;
  double minimum_window_;  // the smallest face, in pixels, the detector itself finds
};

std::string detectorName(DetectorKind kind);

}  // namespace consentguard::faces
