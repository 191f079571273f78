// consentguard faces [--json] [--hog] [--models DIR] IMAGE
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <iostream>

#include "commands.h"
#include "consentguard/check/check_json.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/image/image_loader.h"

namespace consentguard::cli {
int runFaces(const Args& input) {
  Args args = input;
  const bool asJson = takeFlag(args, "--json");
  faces::EngineOptions options;
  options.detector.force_hog = takeFlag(args, "--hog");
  const faces::ModelPaths models = faces::locateModels(takeOption(args, "--models"));
  if (args.size() != 1) {
    std::cerr << "Usage: consentguard faces [--json] [--hog] [--models DIR] IMAGE\n";
    return kExitUsage;
  }
  auto image = image::loadImage(args[0]);
  if (!image) return reportError(image.error(), asJson, kExitBadInput);
  auto engine = faces::FaceEngine::create(models, options);
  if (!engine) return reportError(engine.error(), asJson, kExitSetupProblem);

  const auto found = (*engine)->analyse(image->rgb);
  if (!asJson) {
    std::cout << found.size() << " face(s) found by the "
              << faces::detectorName((*engine)->detector().kind()) << " detector in " << args[0]
              << "\n";
    for (const auto& face : found) {
      std::cout << "  at x=" << face.box.x << " y=" << face.box.y << " size " << face.box.width
                << "x" << face.box.height << (face.identifiable ? "" : " (too small to identify)")
                << "\n";
    }
    return kExitOk;
  }
  Poco::JSON::Object root;
  root.set("image", args[0]);
  root.set("width", image->rgb.cols);
  root.set("height", image->rgb.rows);
  root.set("orientation_applied", image->orientation);
  root.set("detector", faces::detectorName((*engine)->detector().kind()));
  Poco::JSON::Array facesJson;
  for (const auto& face : found) {
    Poco::JSON::Object json;
    json.set("box", check::boxJson(face.box));
    json.set("score", face.score);
    json.set("identifiable", face.identifiable);
    Poco::JSON::Array descriptor;
    for (float v : face.descriptor) descriptor.add(static_cast<double>(v));
    json.set("descriptor", descriptor);
    facesJson.add(json);
  }
  root.set("faces", facesJson);
  root.stringify(std::cout);
  std::cout << "\n";
  return kExitOk;
}

}  // namespace consentguard::cli
