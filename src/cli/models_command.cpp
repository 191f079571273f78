// consentguard models check|convert
#include <iostream>

#include "commands.h"
#include "consentguard/faces/model_converter.h"
#include "consentguard/faces/detector.h"
#include "consentguard/faces/models.h"
#include "engine_options.h"

namespace consentguard::cli {
namespace {

int check(Args args) {
  const faces::ModelPaths paths = faces::locateModels(takeOption(args, "--models"));
  auto engine = takeEngineOptions(args);
  if (!engine) return reportError(engine.error(), engineOptionsExit(engine.error()));
  std::cout << "Models folder: " << paths.dir.string() << "\n";
  std::cout << "Face detector: " << faces::detectorListName(engine->detector.kinds)
            << (engine->detector.kinds == std::vector{faces::DetectorKind::kSsd} ? " (the default)"
                                                                                : "")
            << "\n";
  bool usable = true;
  for (const auto& model : faces::checkModels(paths)) {
    const char* state = model.loadable ? "ok" : model.present ? "DAMAGED" : "MISSING";
    std::cout << "  [" << state << "] " << model.name << "\n        " << model.path.string()
              << "\n";
    if (!model.loadable) {
      std::cout << "        problem: " << model.problem << "\n        to fix: " << model.fix
                << "\n";
      if (model.required || model.present) usable = false;
    }
  }
  // The configured detector must load, optional or not: never a silent fall-back.
  auto detector = faces::FaceDetector::create(paths, engine->detector);
  if (!detector) {
    std::cout << "  The configured face detector cannot start: " << detector.error().message << "\n";
    usable = false;
  }
  std::cout << (usable ? "All required models are ready.\n"
                       : "Some models are not ready: photos cannot be checked until they are.\n");
  return usable ? kExitOk : kExitSetupProblem;
}

int convert(Args args) {
  const std::string manifest = takeOption(args, "--manifest");
  const std::string weights = takeOption(args, "--weights");
  const std::string out = takeOption(args, "--out");
  if (manifest.empty() || weights.empty() || out.empty() || !args.empty()) {
    std::cerr << "Usage: consentguard models convert --manifest JSON --weights BIN --out DAT\n";
    return kExitUsage;
  }
  auto status = faces::convertFaceApiRecognitionModel(manifest, weights, out);
  if (!status) {
    std::cerr << status.error().message << "\ndetail: " << status.error().detail << "\n";
    return kExitSetupProblem;
  }
  std::cout << "Wrote " << out << "\n";
  return kExitOk;
}

}  // namespace

int runModels(const Args& input) {
  Args args = input;
  if (!args.empty() && args[0] == "check") return check({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "convert") return convert({args.begin() + 1, args.end()});
  std::cerr << "Usage: consentguard models check|convert ...\n";
  return kExitUsage;
}

}  // namespace consentguard::cli
