#include "ssd_network.h"

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>

#include "dnn_layers.h"
#include "tfjs_weights.h"

namespace consentguard::faces {
namespace {

namespace fs = std::filesystem;

constexpr float kBatchNormEps = 0.001f;
constexpr int kHeads = 6;
constexpr int kSmallHeads = 2;  // anchors of at most 180 px: enough for boxes up to 160 px
// Per head: the anchors per cell, and the stride in pixels (the 512 input's grid: 32 .. 1).
constexpr std::array<int, kHeads> kAnchorsPerCell = {3, 6, 6, 6, 6, 6};
constexpr std::array<int, kHeads> kStride = {16, 32, 64, 128, 256, 512};
constexpr int kStoredAnchors = 5118;

Error invalid(const std::string& detail) {
  return makeError("model_invalid",
                   "The face detector model files are not the expected ones. Run scripts/setup "
                   "again to fetch them.",
                   detail);
}

// Grid size after `halvings` stride-2 layers with "SAME" padding.
int gridSide(int side, int halvings) {
  for (int i = 0; i < halvings; ++i) side = (side + 1) / 2;
  return side;
}
int halvingsFor(int head) { return 4 + head; }

// Builds the OpenCV network from the tensors, checking each one's shape.
class NetBuilder {
 public:
  explicit NetBuilder(const TfjsTensors& tensors) : tensors_(tensors) {}

  const TfjsTensor* take(const std::string& name, const std::vector<long>& shape) {
    auto it = tensors_.find(name);
    if (it == tensors_.end()) {
      problem_ = name + " is missing";
      return nullptr;
    }
    if (it->second.shape != shape) {
      problem_ = name + " has shape " + describeShape(it->second.shape) + ", expected " +
                 describeShape(shape);
      return nullptr;
    }
    return &it->second;
  }

  int convolution(const std::string& name, int input, const TfjsTensor& filters,
                  const std::vector<float>& bias, int stride, bool depthwise, bool relu6) {
    return dnn::addConvolution(net_, name, input, filters, bias, stride, depthwise,
                               dnn::Padding::kSame,
                               relu6 ? dnn::Activation::kRelu6 : dnn::Activation::kNone);
  }

  // A convolution whose BatchNorm is already folded in as an offset.
  int pointwise(const std::string& prefix, int input, long k, long in, long out, int stride) {
    const TfjsTensor* w = take(prefix + "/weights", {k, k, in, out});
    const TfjsTensor* b = take(prefix + "/convolution_bn_offset", {out});
    if (!w || !b) return -1;
    return convolution(prefix, input, *w, b->values, stride, false, true);
  }

  // A depthwise 3x3 convolution with its BatchNorm folded into the weights.
  int depthwise(const std::string& prefix, int input, long channels, int stride) {
    const TfjsTensor* w = take(prefix + "/depthwise_weights", {3, 3, channels, 1});
    const TfjsTensor* gamma = take(prefix + "/BatchNorm/gamma", {channels});
    const TfjsTensor* beta = take(prefix + "/BatchNorm/beta", {channels});
    const TfjsTensor* mean = take(prefix + "/BatchNorm/moving_mean", {channels});
    const TfjsTensor* var = take(prefix + "/BatchNorm/moving_variance", {channels});
    if (!w || !gamma || !beta || !mean || !var) return -1;
    TfjsTensor folded = *w;
    std::vector<float> bias(static_cast<size_t>(channels));
    for (long c = 0; c < channels; ++c) {
      const float scale = gamma->values[c] / std::sqrt(var->values[c] + kBatchNormEps);
      for (long tap = 0; tap < 9; ++tap) folded.values[tap * channels + c] *= scale;
      bias[c] = beta->values[c] - mean->values[c] * scale;
    }
    return convolution(prefix, input, folded, bias, stride, true, true);
  }

  // A head's box and class convolutions; their names are appended to `outputs`.
  bool head(int index, int input, long channels, std::vector<std::string>& outputs) {
    const std::string prefix = "Prediction/BoxPredictor_" + std::to_string(index);
    const long anchors = kAnchorsPerCell[index];
    for (auto [part, values] : {std::pair{"BoxEncodingPredictor", 4L}, {"ClassPredictor", 3L}}) {
      const std::string name = prefix + "/" + part;
      const TfjsTensor* w = take(name + "/weights", {1, 1, channels, anchors * values});
      const TfjsTensor* b = take(name + "/biases", {anchors * values});
      if (!w || !b) return false;
      convolution(name, input, *w, b->values, 1, false, false);
      outputs.push_back(name);
    }
    return true;
  }

  cv::dnn::Net& net() { return net_; }
  const std::string& problem() const { return problem_; }

 private:
  const TfjsTensors& tensors_;
  cv::dnn::Net net_;
  std::string problem_;
};

struct BuiltNet {
  cv::dnn::Net net;
  std::vector<std::string> outputs;  // box, class, box, class, ... head by head
};

Result<BuiltNet> buildNet(const TfjsTensors& tensors, bool smallHeadsOnly) {
  NetBuilder b(tensors);
  BuiltNet built;
  auto failed = [&] { return invalid(b.problem()); };
  int x = b.pointwise("MobilenetV1/Conv2d_0_pointwise", 0, 3, 3, 32, 2);
  if (x < 0) return failed();
  long channels = 32;
  int block11 = -1;
  const std::array<long, 14> widths = {32, 64, 128, 128, 256, 256, 512, 512,
                                       512, 512, 512, 512, 1024, 1024};
  for (int i = 1; i <= 13; ++i) {
    const int stride = (i == 2 || i == 4 || i == 6 || i == 12) ? 2 : 1;
    const std::string prefix = "MobilenetV1/Conv2d_" + std::to_string(i);
    x = b.depthwise(prefix + "_depthwise", x, channels, stride);
    if (x < 0) return failed();
    x = b.pointwise(prefix + "_pointwise", x, 1, channels, widths[i], 1);
    if (x < 0) return failed();
    channels = widths[i];
    if (i == 11) block11 = x;
  }
  if (!b.head(0, block11, 512, built.outputs) || !b.head(1, x, 1024, built.outputs)) {
    return failed();
  }
  if (!smallHeadsOnly) {
    const std::array<std::pair<long, long>, 4> extras = {{{256, 512}, {128, 256}, {128, 256},
                                                          {64, 128}}};
    for (int e = 0; e < 4; ++e) {
      const auto [narrow, wide] = extras[e];
      const std::string first = "Prediction/Conv2d_" + std::to_string(2 * e) + "_pointwise";
      const std::string second = "Prediction/Conv2d_" + std::to_string(2 * e + 1) + "_pointwise";
      x = b.pointwise(first, x, 1, channels, narrow, 1);
      if (x < 0) return failed();
      x = b.pointwise(second, x, 3, narrow, wide, 2);
      if (x < 0) return failed();
      channels = wide;
      if (!b.head(2 + e, x, wide, built.outputs)) return failed();
    }
  }
  built.net = std::move(b.net());
  built.net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  built.net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  return built;
}

// Bilinear resize as TensorFlow's resizeBilinear (no half-pixel centres, no corner alignment)
// computes it, so that the whole-image pass sees what face-api's network saw.
cv::Mat resizeLikeTensorflow(const cv::Mat& src, cv::Size size) {
  cv::Mat mapX(size, CV_32F), mapY(size, CV_32F);
  const float sx = static_cast<float>(src.cols) / size.width;
  const float sy = static_cast<float>(src.rows) / size.height;
  for (int y = 0; y < size.height; ++y) {
    float* mx = mapX.ptr<float>(y);
    float* my = mapY.ptr<float>(y);
    for (int x = 0; x < size.width; ++x) {
      mx[x] = x * sx;
      my[x] = y * sy;
    }
  }
  cv::Mat out;
  cv::remap(src, out, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return out;
}

}  // namespace

struct SsdNetwork::Impl {
  BuiltNet full;
  BuiltNet small;
  // Per head, per anchor of a cell: (h, w) in pixels.
  std::array<std::vector<cv::Vec2f>, kHeads> shapes;
};

SsdNetwork::SsdNetwork(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SsdNetwork::~SsdNetwork() = default;

void SsdNetwork::setThreads(int threads) { cv::setNumThreads(threads); }

Result<std::unique_ptr<SsdNetwork>> SsdNetwork::load(const fs::path& manifest,
                                                     const fs::path& weights) {
  auto tensors = readTfjsWeights(manifest, weights, "face detector model");
  if (!tensors) return tensors.error();
  auto impl = std::make_unique<Impl>();
  try {
    auto full = buildNet(*tensors, false);
    if (!full) return full.error();
    auto small = buildNet(*tensors, true);
    if (!small) return small.error();
    impl->full = std::move(full.value());
    impl->small = std::move(small.value());
  } catch (const cv::Exception& e) {
    return invalid(std::string("OpenCV could not build the network: ") + e.what());
  }

  auto stored = tensors->find("Output/extra_dim");
  if (stored == tensors->end() || stored->second.shape != std::vector<long>{1, kStoredAnchors, 4}) {
    return invalid("Output/extra_dim (the anchors) is missing or not [1,5118,4]");
  }
  const std::vector<float>& a = stored->second.values;  // ymin, xmin, ymax, xmax; normalised
  size_t first = 0;
  for (int head = 0; head < kHeads; ++head) {
    for (int k = 0; k < kAnchorsPerCell[head]; ++k) {
      const size_t i = 4 * (first + k);
      impl->shapes[head].emplace_back((a[i + 2] - a[i]) * kInputSize,
                                      (a[i + 3] - a[i + 1]) * kInputSize);
    }
    const int side = gridSide(kInputSize, halvingsFor(head));
    first += static_cast<size_t>(side * side * kAnchorsPerCell[head]);
  }
  std::unique_ptr<SsdNetwork> network(new SsdNetwork(std::move(impl)));
  // The anchors made in code must be the ones stored with the model.
  const auto made = network->anchorsFor({kInputSize, kInputSize}, false);
  if (made.size() != static_cast<size_t>(kStoredAnchors)) return invalid("anchor count differs");
  for (size_t n = 0; n < made.size(); ++n) {
    const float cy = (a[4 * n] + a[4 * n + 2]) / 2 * kInputSize;
    const float cx = (a[4 * n + 1] + a[4 * n + 3]) / 2 * kInputSize;
    const float h = (a[4 * n + 2] - a[4 * n]) * kInputSize;
    const float w = (a[4 * n + 3] - a[4 * n + 1]) * kInputSize;
    if (std::abs(made[n][0] - cy) > 0.05f || std::abs(made[n][1] - cx) > 0.05f ||
        std::abs(made[n][2] - h) > 0.05f || std::abs(made[n][3] - w) > 0.05f) {
      return invalid("anchor " + std::to_string(n) + " differs from the stored one");
    }
  }
  return network;
}

std::vector<cv::Vec4f> SsdNetwork::anchorsFor(cv::Size input, bool smallHeadsOnly) const {
  std::vector<cv::Vec4f> anchors;
  const int heads = smallHeadsOnly ? kSmallHeads : kHeads;
  for (int head = 0; head < heads; ++head) {
    const int rows = gridSide(input.height, halvingsFor(head));
    const int cols = gridSide(input.width, halvingsFor(head));
    const float stride = static_cast<float>(kStride[head]);
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c)
        for (const cv::Vec2f& shape : impl_->shapes[head]) {
          anchors.emplace_back((r + 0.5f) * stride, (c + 0.5f) * stride, shape[0], shape[1]);
        }
  }
  return anchors;
}

std::vector<SsdCandidate> SsdNetwork::run(const cv::Mat& rgb, float minScore,
                                          bool smallHeadsOnly) {
  return std::move(runBatch({rgb}, minScore, smallHeadsOnly).front());
}

std::vector<std::vector<SsdCandidate>> SsdNetwork::runBatch(const std::vector<cv::Mat>& images,
                                                            float minScore, bool smallHeadsOnly) {
  BuiltNet& built = smallHeadsOnly ? impl_->small : impl_->full;
  const cv::Mat blob = cv::dnn::blobFromImages(images, 1.0 / 127.5, cv::Size(),
                                               cv::Scalar::all(127.5), false, false, CV_32F);
  built.net.setInput(blob);
  std::vector<cv::Mat> outputs;
  built.net.forward(outputs, built.outputs);

  const std::vector<cv::Vec4f> anchors = anchorsFor(images.front().size(), smallHeadsOnly);
  const float minLogit = std::log(minScore / (1.0f - minScore));
  std::vector<std::vector<SsdCandidate>> found(images.size());
  for (size_t n = 0; n < images.size(); ++n) {
    size_t anchor = 0;
    for (size_t head = 0; head + 1 < outputs.size(); head += 2) {
      const cv::Mat& boxes = outputs[head];        // [N, A*4, rows, cols]
      const cv::Mat& classes = outputs[head + 1];  // [N, A*3, rows, cols]
      const int perCell = kAnchorsPerCell[head / 2];
      const int rows = boxes.size[2], cols = boxes.size[3], plane = rows * cols;
      const float* box = boxes.ptr<float>() + n * perCell * 4 * plane;
      const float* cls = classes.ptr<float>() + n * perCell * 3 * plane;
      for (int cell = 0; cell < plane; ++cell) {
        for (int a = 0; a < perCell; ++a, ++anchor) {
          const float logit = cls[(a * 3 + 1) * plane + cell];
          if (logit < minLogit || anchor >= anchors.size()) continue;
          const cv::Vec4f& an = anchors[anchor];
          const float ty = box[(a * 4 + 0) * plane + cell], tx = box[(a * 4 + 1) * plane + cell];
          const float th = box[(a * 4 + 2) * plane + cell], tw = box[(a * 4 + 3) * plane + cell];
          const float cy = ty / 10 * an[2] + an[0], cx = tx / 10 * an[3] + an[1];
          const float h = std::exp(th / 5) * an[2], w = std::exp(tw / 5) * an[3];
          found[n].push_back({cv::Rect2f(cx - w / 2, cy - h / 2, w, h),
                              1.0f / (1.0f + std::exp(-logit))});
        }
      }
    }
  }
  return found;
}

std::vector<SsdCandidate> SsdNetwork::detectWholeImage(const cv::Mat& rgb, float minScore) {
  const int side = std::max(rgb.cols, rgb.rows);
  cv::Mat square;
  cv::copyMakeBorder(rgb, square, 0, side - rgb.rows, 0, side - rgb.cols, cv::BORDER_CONSTANT,
                     cv::Scalar::all(0));
  std::vector<SsdCandidate> found =
      run(resizeLikeTensorflow(square, {kInputSize, kInputSize}), minScore, false);
  found = suppressOverlaps(std::move(found), 0.5f);
  const float scale = static_cast<float>(side) / kInputSize;
  for (SsdCandidate& c : found) {
    c.box &= cv::Rect2f(0, 0, kInputSize, kInputSize);  // face-api clips to its square
    c.box = cv::Rect2f(c.box.x * scale, c.box.y * scale, c.box.width * scale,
                       c.box.height * scale);
  }
  return found;
}

std::vector<SsdCandidate> suppressOverlaps(std::vector<SsdCandidate> candidates, float maxIou,
                                           float maxOverSmaller) {
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const SsdCandidate& a, const SsdCandidate& b) { return a.score > b.score; });
  std::vector<SsdCandidate> kept;
  for (const SsdCandidate& c : candidates) {
    const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const SsdCandidate& k) {
      const float inter = (c.box & k.box).area();
      if (inter <= 0) return false;
      const float iou = inter / (c.box.area() + k.box.area() - inter);
      const float overSmaller = inter / std::min(c.box.area(), k.box.area());
      return iou > maxIou || overSmaller > maxOverSmaller;
    });
    if (!overlaps) kept.push_back(c);
  }
  return kept;
}

}  // namespace consentguard::faces
