// face-api's TinyFaceDetector (a tiny YOLOv2 with depthwise-separable convolutions), rebuilt on
// OpenCV's DNN module from the TensorFlow.js weights in @vladmandic/face-api. About a tenth of
// the SSD's cost at full resolution, with more false boxes: the SSD detector uses it only to
// propose where small faces may be, and confirms each proposal itself.
// Internal to the faces module. Not thread-safe: each detector owns its own TinyNetwork.
//
// Wiring (from face-api's src/tinyYolov2): input RGB minus the mean (117.001, 114.697, 97.404),
// divided by 256; a 3x3 convolution without padding to 16 channels; then five blocks of
// (2x2/2 max pool, padded 3x3 depthwise + 1x1 pointwise) to 32, 64, 128, 256, 512 channels;
// a 2x2/1 max pool; a 1x1 convolution to 5 anchors x (x, y, w, h, score); leaky ReLU (0.1).
// Decoding per cell (stride 32): centre = (cell + sigmoid(t)) * 32, size = exp(t) * anchor * 32.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "consentguard/common/result.h"
#include "ssd_network.h"

namespace consentguard::faces {

class TinyNetwork {
 public:
  static Result<std::unique_ptr<TinyNetwork>> load(const std::filesystem::path& manifest,
                                                   const std::filesystem::path& weights);
  ~TinyNetwork();

  // Every box at or above `minScore`, in the input's pixels, before non-maximum suppression.
  std::vector<SsdCandidate> run(const cv::Mat& rgb, float minScore);

 private:
  struct Impl;
  explicit TinyNetwork(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace consentguard::faces
