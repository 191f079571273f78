// consentguard faces [--json] [--timings] [--detector NAME] [--models DIR] IMAGE
// With --timings, one JSON line on standard error gives each stage's time for this image, not
// counting model loading.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <iostream>

#include "commands.h"
#include "consentguard/check/check_json.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/image/image_loader.h"
#include "engine_options.h"

namespace consentguard::cli {
namespace {

void printTimings(const std::string& detector, double decodeMs, const faces::StageTimings& t) {
  Poco::JSON::Object json;
  json.set("detector", detector);
  json.set("decode_ms", decodeMs);
  json.set("detect_ms", t.detect_ms);
  json.set("landmarks_ms", t.landmarks_ms);
  json.set("describe_ms", t.describe_ms);
  json.set("total_ms", decodeMs + t.detect_ms + t.landmarks_ms + t.describe_ms);
  json.stringify(std::cerr);
  std::cerr << "\n";
}

}  // namespace

int runFaces(const Args& input) {
  Args args = input;
  const bool asJson = takeFlag(args, "--json");
  const bool timings = takeFlag(args, "--timings");
  auto options = takeEngineOptions(args);
  if (!options) return reportError(options.error(), asJson, engineOptionsExit(options.error()));
  const faces::ModelPaths models = faces::locateModels(takeOption(args, "--models"));
  if (args.size() != 1) {
    std::cerr << "Usage: consentguard faces [--json] [--timings] [--detector NAME] [--models DIR] "
                 "IMAGE\n";
    return kExitUsage;
  }
  // Models first, so that the decode time does not include loading them.
  auto engine = faces::FaceEngine::create(models, *options);
  if (!engine) return reportError(engine.error(), asJson, kExitSetupProblem);
  const auto start = std::chrono::steady_clock::now();
  auto image = image::loadImage(args[0]);
  const double decodeMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!image) return reportError(image.error(), asJson, kExitBadInput);

  faces::StageTimings stages;
  const auto found = (*engine)->analyse(image->rgb, &stages);
  const std::string detector = (*engine)->detector().name();
  if (timings) printTimings(detector, decodeMs, stages);
  if (!asJson) {
    std::cout << found.size() << " face(s) found by the " << detector << " detector in "
              << args[0] << "\n";
    for (const auto& face : found) {
      std::cout << "  at x=" << face.box.x << " y=" << face.box.y << " size " << face.box.width
                << "x" << face.box.height << " score " << face.score
                << (face.identifiable ? "" : " (too small to identify)") << "\n";
    }
    return kExitOk;
  }
  Poco::JSON::Object root;
  root.set("image", args[0]);
  root.set("width", image->rgb.cols);
  root.set("height", image->rgb.rows);
  root.set("orientation_applied", image->orientation);
  root.set("detector", detector);
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
