// Computes the 128-number descriptor of a face chip with dlib's face-recognition ResNet (the
// network converted from face-api at set-up). Two descriptors of the same person are usually
// within 0.5 of each other (euclidean distance); of different people, further apart.
// Not thread-safe (the network keeps its activations): give each worker its own FaceDescriber.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "consentguard/common/result.h"

namespace consentguard::faces {

using Descriptor = std::array<float, 128>;

double distance(const Descriptor& a, const Descriptor& b);

class FaceDescriber {
 public:
  static Result<std::unique_ptr<FaceDescriber>> load(const std::filesystem::path& model);
  ~FaceDescriber();

  // Each chip is 150x150 CV_8UC3 RGB (FaceAligner's output).
  std::vector<Descriptor> describe(const std::vector<cv::Mat>& chips);

  // A whole face crop as face-api takes it: padded to a square with black, centred, then
  // resized to 150x150. Used to check the converted network against face-api's own output.
  static cv::Mat squareCropLikeFaceApi(const cv::Mat& rgb);

 private:
  struct Network;
  explicit FaceDescriber(std::unique_ptr<Network> network);
  std::unique_ptr<Network> network_;
};

}  // namespace consentguard::faces
