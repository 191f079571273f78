// How the conversion works, for the next engineer:
// - The manifest lists 117 tensors in file order. Most are uint8-quantised (value = min + scale *
//   byte); the conv64_* filters are plain little-endian float32. Their byte counts must add up
//   to the .bin's size exactly, or the file is not the one we expect.
// - TensorFlow stores conv filters as [h, w, in, out]; dlib as [out, in, h, w].
// - face-api's "scale" (weights, biases) after each conv is dlib's bn_con (gamma, beta) with a
//   running mean of 0 and variance of 1. When dlib reads a bn_con into the affine network it
//   divides gamma by sqrt(1 + eps), so we multiply by the same factor here.
// - dlib creates a layer's parameters during its first forward pass, and
//   visit_computational_layers walks from the output back to the input.
#include "consentguard/faces/model_converter.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <type_traits>

#include "resnet.h"
#include "tfjs_weights.h"

namespace consentguard::faces {
namespace {

namespace fs = std::filesystem;

Error invalid(const std::string& detail) {
  return makeError("model_invalid",
                   "The face-recognition model files are not the expected ones. Run scripts/setup "
                   "again to fetch them.",
                   detail);
}

// The face-api names of the convolution blocks, from the input to the output.
std::vector<std::string> blockNamesInputFirst() {
  std::vector<std::string> convs = {"conv32_down/"};
  for (const char* block :
       {"conv32_1", "conv32_2", "conv32_3", "conv64_down", "conv64_1", "conv64_2", "conv64_3",
        "conv128_down", "conv128_1", "conv128_2", "conv256_down", "conv256_1", "conv256_2",
        "conv256_down_out"}) {
    convs.push_back(std::string(block) + "/conv1/");
    convs.push_back(std::string(block) + "/conv2/");
  }
  return convs;
}

template <typename T> struct IsConvolution : std::false_type {};
template <long F, long R, long C, int SY, int SX, int PY, int PX>
struct IsConvolution<dlib::con_<F, R, C, SY, SX, PY, PX>> : std::true_type {};
template <typename T> struct IsBatchNorm : std::false_type {};
template <dlib::layer_mode M> struct IsBatchNorm<dlib::bn_<M>> : std::true_type {};
template <typename T> struct IsFullyConnected : std::false_type {};
template <unsigned long N, dlib::fc_bias_mode B>
struct IsFullyConnected<dlib::fc_<N, B>> : std::true_type {};

// One parameter-holding layer of the dlib network, in the order they are filled.
struct Slot {
  enum Kind { kConvolution, kBatchNorm, kFullyConnected } kind;
  dlib::tensor* params;
  long filters = 0, rows = 0, cols = 0;  // convolutions only
  double eps = 0;                        // batch norm only
};

Status fillConvolution(const Slot& slot, const TfjsTensor& filters, const TfjsTensor& bias,
                       const std::string& name) {
  const long out = slot.filters, rows = slot.rows, cols = slot.cols;
  const long in = (static_cast<long>(slot.params->size()) - out) / (out * rows * cols);
  if (filters.shape != std::vector<long>{rows, cols, in, out} || bias.shape != std::vector<long>{out}) {
    return invalid(name + " has shape " + describeShape(filters.shape) + ", expected " +
                   describeShape({rows, cols, in, out}));
  }
  float* dst = slot.params->host();
  for (long y = 0; y < rows; ++y)
    for (long x = 0; x < cols; ++x)
      for (long i = 0; i < in; ++i)
        for (long o = 0; o < out; ++o)
          dst[((o * in + i) * rows + y) * cols + x] = filters.values[((y * cols + x) * in + i) * out + o];
  std::copy(bias.values.begin(), bias.values.end(), dst + out * in * rows * cols);
  return okStatus();
}

Status fillBatchNorm(const Slot& slot, const TfjsTensor& gamma, const TfjsTensor& beta,
                     const std::string& name) {
  const size_t channels = slot.params->size() / 2;
  if (gamma.values.size() != channels || beta.values.size() != channels) {
    return invalid(name + " has " + std::to_string(gamma.values.size()) + " channels, expected " +
                   std::to_string(channels));
  }
  float* dst = slot.params->host();
  const float compensation = static_cast<float>(std::sqrt(1.0 + slot.eps));
  for (size_t c = 0; c < channels; ++c) {
    dst[c] = gamma.values[c] * compensation;
    dst[channels + c] = beta.values[c];
  }
  return okStatus();
}

}  // namespace

Status convertFaceApiRecognitionModel(const fs::path& manifest, const fs::path& weights,
                                      const fs::path& output) {
  auto tensors = readTfjsWeights(manifest, weights, "face-recognition model");
  if (!tensors) return tensors.error();
  auto take = [&](const std::string& name) -> const TfjsTensor* {
    auto it = tensors->find(name);
    return it == tensors->end() ? nullptr : &it->second;
  };

  resnet::TrainingNet net;
  // The first forward pass creates every layer's parameter tensors.
  dlib::matrix<dlib::rgb_pixel> blank(resnet::kChipSize, resnet::kChipSize);
  dlib::assign_all_pixels(blank, dlib::rgb_pixel(0, 0, 0));
  net(blank);

  std::vector<Slot> slots;
  dlib::visit_computational_layers(net, [&](auto& layer) {
    using Layer = std::decay_t<decltype(layer)>;
    if constexpr (IsConvolution<Layer>::value) {
      slots.push_back({Slot::kConvolution, &layer.get_layer_params(), layer.num_filters(),
                       layer.nr(), layer.nc(), 0});
    } else if constexpr (IsBatchNorm<Layer>::value) {
      slots.push_back({Slot::kBatchNorm, &layer.get_layer_params(), 0, 0, 0, layer.get_eps()});
    } else if constexpr (IsFullyConnected<Layer>::value) {
      slots.push_back({Slot::kFullyConnected, &layer.get_layer_params()});
    }
  });
  std::reverse(slots.begin(), slots.end());  // visited output-first; fill input-first

  const auto blocks = blockNamesInputFirst();
  if (slots.size() != 2 * blocks.size() + 1) return invalid("unexpected dlib network layout");
  for (size_t b = 0; b < blocks.size(); ++b) {
    const std::string& prefix = blocks[b];
    const TfjsTensor* filters = take(prefix + "conv/filters");
    const TfjsTensor* bias = take(prefix + "conv/bias");
    const TfjsTensor* gamma = take(prefix + "scale/weights");
    const TfjsTensor* beta = take(prefix + "scale/biases");
    if (!filters || !bias || !gamma || !beta) return invalid(prefix + " is missing a tensor");
    auto conv = fillConvolution(slots[2 * b], *filters, *bias, prefix);
    if (!conv) return conv.error();
    auto norm = fillBatchNorm(slots[2 * b + 1], *gamma, *beta, prefix);
    if (!norm) return norm.error();
  }
  const TfjsTensor* fc = take("fc");
  const Slot& fcSlot = slots.back();
  if (!fc || fc->shape != std::vector<long>{256, resnet::kDescriptorSize} ||
      fc->values.size() != fcSlot.params->size()) {
    return invalid("fc is missing or not [256,128]");
  }
  // dlib's fc_no_bias keeps its weights as a row-major [inputs x outputs] matrix, as TF does.
  std::copy(fc->values.begin(), fc->values.end(), fcSlot.params->host());

  net.clean();
  const fs::path temporary = output.string() + ".partial";
  try {
    dlib::serialize(temporary.string()) << net;
  } catch (const std::exception& e) {
    return makeError("io_error", "The converted model could not be written.", e.what());
  }
  std::error_code ec;
  fs::rename(temporary, output, ec);
  if (ec) return makeError("io_error", "The converted model could not be written.", ec.message());
  return okStatus();
}

}  // namespace consentguard::faces
