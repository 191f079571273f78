// consentguard models check [--models DIR] [--detector NAME] [--db DB] | convert ...
#include <iostream>
#include <set>

#include "commands.h"
#include "consentguard/faces/model_converter.h"
#include "consentguard/faces/detector.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/faces/models.h"
#include "consentguard/register/register_store.h"
#include "engine_options.h"

namespace consentguard::cli {
namespace {

// With --db: the people whose templates another face pipeline made, to be enrolled again.
void reportStaleTemplates(const std::string& db, const std::string& current) {
  auto store = reg::RegisterStore::open(db);
  if (!store) {
    std::cout << "  The register " << db << " could not be opened: " << store.error().message
              << "\n";
    return;
  }
  auto templates = (*store)->templates();
  if (!templates) return;
  std::set<std::string> stale, all;
  for (const auto& t : *templates) {
    all.insert(t.person_id);
    if (t.pipeline != current) stale.insert(t.person_id);
  }
  std::cout << "Face templates: " << all.size() << " people enrolled";
  if (stale.empty()) {
    std::cout << ", all by this version of the face engine (" << current << ").\n";
    return;
  }
  std::cout << "; " << stale.size()
            << " of them by an earlier version, so their faces go to a senior leader instead of "
               "being recognised. Enrol them again (consentguard enrol --db "
            << db << " --person ID PHOTO...):";
  for (const auto& id : stale) std::cout << " " << id;
  std::cout << "\n";
}

int check(Args args) {
  const faces::ModelPaths paths = faces::locateModels(takeOption(args, "--models"));
  const std::string db = takeOption(args, "--db");
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
  if (!db.empty()) reportStaleTemplates(db, faces::pipelineVersion(engine->detector));
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
