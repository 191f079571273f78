// Converts the face-recognition network that @vladmandic/face-api ships in TensorFlow.js form
// (a weights manifest and a .bin of uint8-quantised and float32 tensors) into dlib's own
// serialised format, which FaceDescriber loads. Run once at set-up; never at request time.
// Free function; thread-safe.
#pragma once

#include <filesystem>

#include "consentguard/common/result.h"

namespace consentguard::faces {

// Reads `manifest` (face_recognition_model-weights_manifest.json) and `weights`
// (face_recognition_model.bin), checks every tensor's name, shape and byte count against the
// network dlib expects, and writes `output` atomically. Errors: "model_invalid", "io_error".
Status convertFaceApiRecognitionModel(const std::filesystem::path& manifest,
                                      const std::filesystem::path& weights,
                                      const std::filesystem::path& output);

}  // namespace consentguard::faces
