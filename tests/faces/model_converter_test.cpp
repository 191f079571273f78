// The converter refuses model files that are not exactly what it expects. (That it converts
// the real files correctly is shown by descriptor_test against face-api's own output.)
#include "consentguard/faces/model_converter.h"

#include <fstream>

#include "support/test_support.h"

namespace consentguard::testing {
namespace {

struct Files {
  fs::path manifest, weights, output;
};

Files write(const std::string& name, const std::string& manifest, size_t weightBytes) {
  const fs::path dir = scratchDir("converter-" + name);
  Files f{dir / "manifest.json", dir / "model.bin", dir / "out.dat"};
  std::ofstream(f.manifest) << manifest;
  std::ofstream(f.weights, std::ios::binary) << std::string(weightBytes, '\x01');
  return f;
}

std::string convertError(const Files& f) {
  auto status = faces::convertFaceApiRecognitionModel(f.manifest, f.weights, f.output);
  EXPECT_FALSE(fs::exists(f.output)) << "a failed conversion must not leave a model behind";
  return status ? "ok" : status.error().code;
}

const char* kOneTensor =
    R"([{"paths":["model.bin"],"weights":[{"name":"fc","shape":[2,2],"dtype":"float32",)"
    R"("quantization":{"dtype":"uint8","scale":0.1,"min":-1}}]}])";

TEST(ModelConverter, WeightsThatDoNotAddUpAreRefused) {
  EXPECT_EQ(convertError(write("short", kOneTensor, 3)), "model_invalid");
  EXPECT_EQ(convertError(write("long", kOneTensor, 5)), "model_invalid");
}

TEST(ModelConverter, AManifestWithoutTheNetworksTensorsIsRefused) {
  EXPECT_EQ(convertError(write("missing", kOneTensor, 4)), "model_invalid");
}

TEST(ModelConverter, ATextFileIsNotAManifest) {
  EXPECT_EQ(convertError(write("text", "this is not json", 4)), "model_invalid");
  EXPECT_EQ(convertError(write("object", R"({"weights": 3})", 4)), "model_invalid");
}

TEST(ModelConverter, MissingFilesAreAnIoError) {
  const fs::path dir = scratchDir("converter-absent");
  auto status = faces::convertFaceApiRecognitionModel(dir / "a.json", dir / "b.bin", dir / "c.dat");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "io_error");
}

TEST(ModelConverter, AWrongShapeIsRefusedWithItsName) {
  // The real manifest, with one filter's shape changed: the byte count still adds up.
  const fs::path cache = modelsDir() / ".cache/package/model";
  if (!fs::exists(cache / "face_recognition_model.bin")) {
    if (runningInCi()) FAIL() << "scripts/setup did not leave the face-api package in " << cache;
    GTEST_SKIP() << "SKIPPED: run scripts/setup first (needs " << cache << ")";
  }
  std::ifstream in(cache / "face_recognition_model-weights_manifest.json");
  std::string manifest((std::istreambuf_iterator<char>(in)), {});
  const std::string from = R"("conv32_1/conv1/conv/filters","shape":[3,3,32,32])";
  const auto at = manifest.find(from);
  ASSERT_NE(at, std::string::npos);
  manifest.replace(at, from.size(), R"("conv32_1/conv1/conv/filters","shape":[3,3,64,16])");
  const fs::path dir = scratchDir("converter-shape");
  std::ofstream(dir / "manifest.json") << manifest;
  auto status = faces::convertFaceApiRecognitionModel(
      dir / "manifest.json", cache / "face_recognition_model.bin", dir / "out.dat");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "model_invalid");
  EXPECT_NE(status.error().detail.find("conv32_1/conv1"), std::string::npos) << status.error().detail;
  EXPECT_FALSE(fs::exists(dir / "out.dat"));
}

}  // namespace
}  // namespace consentguard::testing
