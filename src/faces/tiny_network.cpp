#include "tiny_network.h"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cmath>

#include "dnn_layers.h"

namespace consentguard::faces {
namespace {

constexpr int kAnchors = 5;
constexpr float kStride = 32.0f;
constexpr std::array<std::pair<float, float>, kAnchors> kAnchorSizes = {
    {{1.603231f, 2.094468f}, {6.041143f, 7.080126f}, {2.882459f, 3.518061f},
     {4.266906f, 5.178857f}, {9.041765f, 10.66308f}}};

Error invalid(const std::string& detail) {
  return makeError("model_invalid",
                   "The small-face proposal model files are not the expected ones. Run "
                   "scripts/setup again to fetch them.",
                   detail);
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace

struct TinyNetwork::Impl {
  cv::dnn::Net net;
};

TinyNetwork::TinyNetwork(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TinyNetwork::~TinyNetwork() = default;

Result<std::unique_ptr<TinyNetwork>> TinyNetwork::load(const std::filesystem::path& manifest,
                                                       const std::filesystem::path& weights) {
  auto tensors = readTfjsWeights(manifest, weights, "small-face proposal model");
  if (!tensors) return tensors.error();
  auto take = [&](const std::string& name, const std::vector<long>& shape) -> const TfjsTensor* {
    auto it = tensors->find(name);
    return it != tensors->end() && it->second.shape == shape ? &it->second : nullptr;
  };
  auto impl = std::make_unique<Impl>();
  cv::dnn::Net& net = impl->net;
  try {
    const TfjsTensor* f0 = take("conv0/filters", {3, 3, 3, 16});
    const TfjsTensor* b0 = take("conv0/bias", {16});
    if (!f0 || !b0) return invalid("conv0 is missing or has another shape");
    int x = dnn::addConvolution(net, "conv0", 0, *f0, b0->values, 1, false, dnn::Padding::kValid,
                                dnn::Activation::kLeaky);
    long channels = 16;
    for (int i = 1; i <= 5; ++i) {
      const std::string name = "conv" + std::to_string(i);
      const long out = channels * 2;
      x = dnn::addMaxPool(net, name + "/pool", x, 2, 2);
      const TfjsTensor* dw = take(name + "/depthwise_filter", {3, 3, channels, 1});
      const TfjsTensor* pw = take(name + "/pointwise_filter", {1, 1, channels, out});
      const TfjsTensor* bias = take(name + "/bias", {out});
      if (!dw || !pw || !bias) return invalid(name + " is missing or has another shape");
      x = dnn::addConvolution(net, name + "/depthwise", x, *dw,
                              std::vector<float>(static_cast<size_t>(channels), 0.0f), 1, true,
                              dnn::Padding::kOne, dnn::Activation::kNone);
      x = dnn::addConvolution(net, name + "/pointwise", x, *pw, bias->values, 1, false,
                              dnn::Padding::kValid, dnn::Activation::kLeaky);
      channels = out;
    }
    x = dnn::addMaxPool(net, "conv5/pool_s1", x, 2, 1);
    const TfjsTensor* f8 = take("conv8/filters", {1, 1, 512, kAnchors * 5});
    const TfjsTensor* b8 = take("conv8/bias", {kAnchors * 5});
    if (!f8 || !b8) return invalid("conv8 is missing or has another shape");
    dnn::addConvolution(net, "conv8", x, *f8, b8->values, 1, false, dnn::Padding::kValid,
                        dnn::Activation::kNone);
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  } catch (const cv::Exception& e) {
    return invalid(std::string("OpenCV could not build the network: ") + e.what());
  }
  return std::unique_ptr<TinyNetwork>(new TinyNetwork(std::move(impl)));
}

std::vector<SsdCandidate> TinyNetwork::run(const cv::Mat& rgb, float minScore) {
  // The unpadded first convolution loses 2 px; pad so that every pooling halves evenly.
  const int width = ((rgb.cols - 2 + 31) / 32) * 32 + 2;
  const int height = ((rgb.rows - 2 + 31) / 32) * 32 + 2;
  cv::Mat input = rgb;
  if (width != rgb.cols || height != rgb.rows) {
    cv::copyMakeBorder(rgb, input, 0, height - rgb.rows, 0, width - rgb.cols,
                       cv::BORDER_CONSTANT, cv::Scalar::all(0));
  }
  cv::Mat blob = cv::dnn::blobFromImage(input, 1.0 / 256, cv::Size(),
                                        cv::Scalar(117.001, 114.697, 97.404), false, false,
                                        CV_32F);
  impl_->net.setInput(blob);
  const cv::Mat out = impl_->net.forward("conv8");  // [1, 25, rows, cols]
  const int rows = out.size[2], cols = out.size[3], plane = rows * cols;
  const float* v = out.ptr<float>();
  const float minLogit = std::log(minScore / (1.0f - minScore));
  std::vector<SsdCandidate> found;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      for (int a = 0; a < kAnchors; ++a) {
        auto at = [&](int k) { return v[(a * 5 + k) * plane + r * cols + c]; };
        if (at(4) < minLogit) continue;
        const float cx = (c + sigmoid(at(0))) * kStride, cy = (r + sigmoid(at(1))) * kStride;
        const float w = std::exp(at(2)) * kAnchorSizes[a].first * kStride;
        const float h = std::exp(at(3)) * kAnchorSizes[a].second * kStride;
        found.push_back({cv::Rect2f(cx - w / 2, cy - h / 2, w, h), sigmoid(at(4))});
      }
  return found;
}

}  // namespace consentguard::faces
