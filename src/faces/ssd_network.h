// face-api's SsdMobilenetv1 face detector, rebuilt layer by layer on OpenCV's DNN module from
// the TensorFlow.js weights that @vladmandic/face-api ships on npm. The network is fully
// convolutional: it runs on an input of any size, with its anchors fixed in pixels (the sizes
// they have in the 512x512 input the model was trained on).
// Internal to the faces module. Not thread-safe (OpenCV's Net keeps its activations): each
// detector owns its own SsdNetwork.
//
// How the network is wired, for the next engineer (facts from face-api's src/ssdMobilenetv1):
// - Input RGB, x/127.5 - 1. MobileNetV1: a 3x3/2 convolution to 32 channels, then 13 blocks of
//   depthwise 3x3 (BatchNorm, eps 0.001) and pointwise 1x1 (its BatchNorm folded in as an
//   offset), each followed by ReLU6; stride 2 in blocks 2, 4, 6 and 12. TensorFlow's "SAME"
//   padding (stride 2 on an even size pads only at the bottom and right).
// - Four extra pairs: 1x1 then 3x3/2 (256/512, 128/256, 128/256, 64/128), with ReLU6.
// - Six heads (block 11, block 13, and each extra pair): per anchor 4 box values (ty, tx, th, tw)
//   and 3 class values, channel-last in TensorFlow; score = sigmoid(class 1).
// - Decoding: cy = ty/10*ha + cya; cx = tx/10*wa + cxa; h = exp(th/5)*ha; w = exp(tw/5)*wa.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "consentguard/common/result.h"

namespace consentguard::faces {

struct SsdCandidate {
  cv::Rect2f box;  // in the input's pixels
  float score = 0.0f;
  bool dlib_box = false;  // a box of dlib's HOG detector (SsdDetector's small-face pass)
};

class SsdNetwork {
 public:
  // Reads ssd_mobilenetv1_model-weights_manifest.json and its .bin. Checks every tensor's shape
  // and that the anchors made in code equal the 5118 stored with the model.
  static Result<std::unique_ptr<SsdNetwork>> load(const std::filesystem::path& manifest,
                                                  const std::filesystem::path& weights);
  ~SsdNetwork();

  // The network's input side for the whole-image pass.
  static constexpr int kInputSize = 512;

  // Every anchor's box and score at or above `minScore`, before non-maximum suppression.
  // `rgb` is CV_8UC3; its sides need not be multiples of 32. `smallHeadsOnly` skips the four
  // heads whose anchors are larger than 180 px (and the layers that feed only them).
  std::vector<SsdCandidate> run(const cv::Mat& rgb, float minScore, bool smallHeadsOnly);
  // The same for several images of one size in one pass: a list of candidates per image.
  std::vector<std::vector<SsdCandidate>> runBatch(const std::vector<cv::Mat>& images,
                                                  float minScore, bool smallHeadsOnly);

  // face-api's own use of the network: the photo padded to a square at the bottom and right
  // with black, resized to 512 (as TensorFlow resizes), non-maximum suppression at IoU 0.5,
  // boxes clipped to the square; best first, in the photo's pixels.
  std::vector<SsdCandidate> detectWholeImage(const cv::Mat& rgb, float minScore);

  // The anchors (cy, cx, h, w in pixels) for an input of this size, in the network's order.
  std::vector<cv::Vec4f> anchorsFor(cv::Size input, bool smallHeadsOnly) const;

  // Set how many threads OpenCV's DNN uses (process-wide in OpenCV).
  static void setThreads(int threads);

 private:
  struct Impl;
  explicit SsdNetwork(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Greedy non-maximum suppression: best first; a box is dropped when its IoU with a kept box is
// over `maxIou`, or its intersection over the smaller of the two is over `maxOverSmaller`.
std::vector<SsdCandidate> suppressOverlaps(std::vector<SsdCandidate> candidates, float maxIou,
                                           float maxOverSmaller = 1.01f);

}  // namespace consentguard::faces
