// Where the model files live and whether each is usable. The models folder is found once at
// start-up: --models, else $CONSENTGUARD_MODELS, else models/ beside the build folder of the
// running program, else ./models. Value types and free functions; thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace consentguard::faces {

struct ModelPaths {
  std::filesystem::path dir;

  std::filesystem::path landmarks() const { return dir / "shape_predictor_68_face_landmarks.dat"; }
  std::filesystem::path recognition() const { return dir / "face_recognition_resnet.dat"; }
  std::filesystem::path mmodDetector() const { return dir / "mmod_human_face_detector.dat"; }
  // face-api's SsdMobilenetv1 face detector, as the npm package ships it (TensorFlow.js form).
  std::filesystem::path ssdManifest() const {
    return dir / "ssd_mobilenetv1_model-weights_manifest.json";
  }
  std::filesystem::path ssdWeights() const { return dir / "ssd_mobilenetv1_model.bin"; }
  // face-api's TinyFaceDetector, which proposes where small faces may be for the SSD to check.
  std::filesystem::path tinyManifest() const {
    return dir / "tiny_face_detector_model-weights_manifest.json";
  }
  std::filesystem::path tinyWeights() const { return dir / "tiny_face_detector_model.bin"; }
};

// `requested` wins when not empty; otherwise see the order above.
ModelPaths locateModels(const std::filesystem::path& requested);

struct ModelStatus {
  std::string name;             // what the model does, in words
  std::filesystem::path path;
  bool required = true;
  bool present = false;
  bool loadable = false;
  std::string problem;          // why not loadable, for the log
  std::string fix;              // the command that fetches or makes it
};

// Loads each model to prove it is usable (takes a second or two).
std::vector<ModelStatus> checkModels(const ModelPaths& paths);

}  // namespace consentguard::faces
