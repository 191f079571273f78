// Finds the 68 facial landmarks inside a detected face box and cuts out the 150x150 chip,
// rotated and scaled so the eyes and mouth sit where the recognition network expects them.
// The model is loaded once; align() is const and safe to call from several threads.
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

  AlignedFace align(const cv::Mat& rgb, const cv::Rect& face) const;

 private:
  struct Model;
  explicit FaceAligner(std::unique_ptr<Model> model);
  std::unique_ptr<Model> model_;
};

}  // namespace consentguard::faces
