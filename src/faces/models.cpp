#include "consentguard/faces/models.h"

#include <cstdlib>

#include "consentguard/faces/aligner.h"
#include "consentguard/faces/descriptor.h"
#include "consentguard/faces/detector.h"

namespace consentguard::faces {

namespace fs = std::filesystem;

ModelPaths locateModels(const fs::path& requested) {
  if (!requested.empty()) return {requested};
  if (const char* env = std::getenv("CONSENTGUARD_MODELS"); env && *env) return {env};
  std::error_code ec;
  // build/consentguard -> models/ beside build/.
  const fs::path exe = fs::canonical("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      if (fs::is_directory(dir / "models", ec) && fs::exists(dir / "CMakeLists.txt", ec)) {
        return {dir / "models"};
      }
    }
  }
  return {fs::current_path(ec) / "models"};
}

std::vector<ModelStatus> checkModels(const ModelPaths& paths) {
  std::vector<ModelStatus> report;
  std::error_code ec;
  auto check = [&](ModelStatus status, auto&& load) {
    status.present = fs::exists(status.path, ec);
    if (status.present) {
      auto loaded = load();
      status.loadable = loaded.ok();
      if (!loaded) status.problem = loaded.error().detail;
    } else {
      status.problem = "file not found";
    }
    report.push_back(std::move(status));
  };
  check({"face landmarks (68 points)", paths.landmarks(), true, false, false, {},
         "scripts/setup  (copies it from Debian's libdlib-data package)"},
        [&] { return FaceAligner::load(paths.landmarks()); });
  check({"face recognition network", paths.recognition(), true, false, false, {},
         "scripts/fetch-models  (downloads @vladmandic/face-api with npm and converts it)"},
        [&] { return FaceDescriber::load(paths.recognition()); });
  check({"SSD face detector (the default: engine.detector = ssd)", paths.ssdManifest(), true,
         false, false, {}, "scripts/fetch-models  (fetches @vladmandic/face-api with npm)"},
        [&] {
          DetectorOptions ssd;
          ssd.kinds = {DetectorKind::kSsd};
          return FaceDetector::create(paths, ssd);
        });
  check({"MMOD CNN face detector (optional, for comparison: engine.detector = mmod)",
         paths.mmodDetector(), false, false, false, {},
         "cp ../shared/models/mmod_human_face_detector.dat models/"},
        [&] {
          DetectorOptions mmod;
          mmod.kinds = {DetectorKind::kMmod};
          return FaceDetector::create(paths, mmod);
        });
  return report;
}

}  // namespace consentguard::faces
