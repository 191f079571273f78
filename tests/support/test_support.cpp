#include "support/test_support.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <opencv2/imgproc.hpp>

#include "consentguard/image/image_loader.h"

namespace consentguard::testing {

fs::path sharedDir() {
  if (const char* dir = std::getenv("CG_SHARED_DIR"); dir && *dir) return dir;
  return fs::path(CG_SOURCE_DIR).parent_path() / "shared";
}

fs::path testdata(const std::string& relative) { return sharedDir() / "testdata" / relative; }

bool haveSharedTestdata() { return fs::is_directory(sharedDir() / "testdata"); }

bool runningInCi() {
  const char* ci = std::getenv("CI");
  return ci && std::string(ci) == "true";
}

fs::path modelsDir() { return fs::path(CG_SOURCE_DIR) / "models"; }
faces::ModelPaths modelPaths() { return {modelsDir()}; }
bool haveMmodModel() { return fs::exists(modelPaths().mmodDetector()); }

namespace {
std::unique_ptr<faces::FaceEngine> makeEngine(std::vector<faces::DetectorKind> kinds) {
  faces::EngineOptions options;
  options.detector.kinds = std::move(kinds);
  auto engine = faces::FaceEngine::create(modelPaths(), options);
  if (!engine) {
    ADD_FAILURE() << "models not ready (run scripts/setup): " << engine.error().detail;
    return nullptr;
  }
  return std::move(engine.value());
}
}  // namespace

faces::FaceEngine& ssdEngine() {
  static std::unique_ptr<faces::FaceEngine> engine = makeEngine({faces::DetectorKind::kSsd});
  if (!engine) throw std::runtime_error("face engine unavailable: run scripts/setup");
  return *engine;
}

faces::FaceEngine& hogEngine() {
  static std::unique_ptr<faces::FaceEngine> engine = makeEngine({faces::DetectorKind::kHog});
  if (!engine) throw std::runtime_error("face engine unavailable: run scripts/setup");
  return *engine;
}

faces::FaceEngine* mmodEngine() {
  if (!haveMmodModel()) return nullptr;
  static std::unique_ptr<faces::FaceEngine> engine =
      makeEngine({faces::DetectorKind::kMmod, faces::DetectorKind::kHog});
  return engine.get();
}

faces::FaceEngine* engineNamed(const std::string& detector) {
  if (detector == "ssd") return &ssdEngine();
  if (detector == "hog") return &hogEngine();
  return mmodEngine();
}

cv::Mat plainBackdrop() {
  cv::Mat photo(1080, 1920, CV_8UC3, cv::Scalar(118, 124, 131)), noise(photo.size(), CV_8UC3);
  cv::randn(noise, cv::Scalar::all(0), cv::Scalar::all(6));
  return photo + noise;
}

cv::Mat noseMovedAside(const cv::Mat& crop, double fraction) {
  cv::Mat mapX(crop.size(), CV_32F), mapY(crop.size(), CV_32F);
  const double w = crop.cols, middle = w / 2, spread = 0.12 * w;
  for (int y = 0; y < crop.rows; ++y) {
    for (int x = 0; x < crop.cols; ++x) {
      // Each output pixel takes the source pixel the shift left behind it.
      const double offset = (x - middle - fraction * w) / spread;
      mapX.at<float>(y, x) = static_cast<float>(x - fraction * w * std::exp(-offset * offset));
      mapY.at<float>(y, x) = static_cast<float>(y);
    }
  }
  cv::Mat out;
  cv::remap(crop, out, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return out;
}

cv::Mat backgroundWithoutFaces() {
  const cv::Mat group = loadRgb(testdata("groups/bbt1.jpg"));
  cv::Mat strip, mirrored, background;
  cv::resize(group(cv::Rect(0, 430, group.cols, group.rows - 430)), strip, {1920, 540}, 0, 0,
             cv::INTER_CUBIC);
  cv::flip(strip, mirrored, 1);
  cv::vconcat(strip, mirrored, background);
  return background;
}

cv::Mat loadRgb(const fs::path& path) {
  auto image = image::loadImage(path);
  if (!image) throw std::runtime_error(path.string() + ": " + image.error().detail);
  return image->rgb;
}

fs::path scratchDir(const std::string& name) {
  const fs::path dir = fs::path(CG_BINARY_DIR) / "test-scratch" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

ProgramRun runConsentguard(const std::string& arguments) {
  const std::string command =
      shellQuoted(fs::path(CG_BINARY_DIR) / "consentguard") + " " + arguments;
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  std::array<char, 4096> buffer{};
  while (pipe && fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
  const int status = pipe ? pclose(pipe) : -1;
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string shellQuoted(const fs::path& path) {
  std::string text = "'";
  for (char c : path.string()) text += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return text + "'";
}

}  // namespace consentguard::testing
