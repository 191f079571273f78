// Finds the 68 facial landmarks inside a detected face box and cuts out the 150x150 chip,
// rotated and scaled so the eyes and mouth sit where the recognition network expects them.
// The model is loaded once. align() is const and safe to call from several threads;
// alignFromOtherDetector() is not (it runs dlib's HOG detector, which keeps scratch state).
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "consentguard/common/result.h"

namespace consentguard::faces {

struct AlignedFace {
  std::vector<cv::Point2f> landmarks;  // 68 points, in the photo's pixels
  cv::Mat chip;                        // 150x150 CV_8UC3 RGB
};

class FaceAligner {
 public:
  static Result<std::unique_ptr<FaceAligner>> load(const std::filesystem::path& landmarksModel);
  ~FaceAligner();

  // `face` is a box as dlib's detectors give it (the predictor was trained on those).
  AlignedFace align(const cv::Mat& rgb, const cv::Rect& face) const;

  // For a face found by another detector (`found`): dlib's HOG detector looks again in the
  // region around it, at a scale where the face is about 90 px, and its box is used when it
  // finds one; otherwise `fallback`, that box mapped the way dlib's boxes usually lie.
  // (bbt2.jpg: from the SSD's boxes, mapped, Leonard was 0.56 from his own templates and
  // Sheldon nearer Stuart; from HOG's boxes, 0.43 and 0.43.)
  AlignedFace alignFromOtherDetector(const cv::Mat& rgb, const cv::Rect& found,
                                     const cv::Rect& fallback);

 private:
  struct Model;
  explicit FaceAligner(std::unique_ptr<Model> model);
  std::unique_ptr<Model> model_;
};

}  // namespace consentguard::faces
