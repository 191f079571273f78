// Reads the weights of a TensorFlow.js layers model as @vladmandic/face-api ships them: a
// manifest (JSON) naming each tensor with its shape and quantisation, and a .bin holding the
// tensors back to back, uint8-quantised (value = min + scale * byte) or plain float32.
// Internal to the faces module; free functions, thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "consentguard/common/result.h"

namespace consentguard::faces {

struct TfjsTensor {
  std::vector<long> shape;
  std::vector<float> values;  // row-major in TensorFlow's order ([h, w, in, out] for filters)
};

using TfjsTensors = std::map<std::string, TfjsTensor>;

// Every tensor, by name. The byte counts must add up to the .bin's size exactly, or the files
// are not the ones we expect. `what` names the model in messages ("face detector model").
// Errors: "io_error" (cannot be opened), "model_invalid".
Result<TfjsTensors> readTfjsWeights(const std::filesystem::path& manifest,
                                    const std::filesystem::path& weights, const std::string& what);

// "[3,3,32,1]", for messages.
std::string describeShape(const std::vector<long>& shape);

}  // namespace consentguard::faces
