// consentguard faces [--json] [--timings] [--detector NAME] [--models DIR] IMAGE
// consentguard faces [--json] [--timings] [--detector NAME] [--models DIR] FILE-OR-FOLDER...
// With --timings, one JSON line on standard error gives each stage's time for this image, not
// counting model loading.
// Several files, or a folder (input_files.h): the models are loaded once, each file gets one
// line (with --json, its object as for one image, one a line) and a summary ends the list. Exit
// status 0, or 3 when some file could not be read; the others are still looked at.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "commands.h"
#include "consentguard/check/check_json.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/image/image_loader.h"
#include "engine_options.h"
#include "input_files.h"

namespace consentguard::cli {
namespace {

namespace fs = std::filesystem;

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

struct Looked {
  image::UprightImage image;
  std::vector<faces::FoundFace> found;
};

// Decodes the file and finds its faces; --timings reports the stages.
Result<Looked> lookAt(faces::FaceEngine& engine, const std::string& file, bool timings) {
  const auto start = std::chrono::steady_clock::now();
  auto image = image::loadImage(file);
  const double decodeMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!image) return image.error();
  faces::StageTimings stages;
  auto found = engine.analyse(image->rgb, &stages);
  if (timings) printTimings(engine.detector().name(), decodeMs, stages);
  return Looked{std::move(image.value()), std::move(found)};
}

Poco::JSON::Object facesJson(const std::string& file, const Looked& looked,
                             const std::string& detector) {
  Poco::JSON::Object root;
  root.set("image", file);
  root.set("width", looked.image.rgb.cols);
  root.set("height", looked.image.rgb.rows);
  root.set("orientation_applied", looked.image.orientation);
  root.set("detector", detector);
  Poco::JSON::Array facesJson;
  for (const auto& face : looked.found) {
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
  return root;
}

void printJsonLine(const Poco::JSON::Object& json) {
  json.stringify(std::cout);
  std::cout << "\n";
}

int facesOfOne(faces::FaceEngine& engine, const std::string& file, bool asJson, bool timings) {
  auto looked = lookAt(engine, file, timings);
  if (!looked) return reportError(looked.error(), asJson, kExitBadInput);
  const std::string detector = engine.detector().name();
  if (asJson) {
    printJsonLine(facesJson(file, *looked, detector));
    return kExitOk;
  }
  std::cout << looked->found.size() << " face(s) found by the " << detector << " detector in "
            << file << "\n";
  for (const auto& face : looked->found) {
    std::cout << "  at x=" << face.box.x << " y=" << face.box.y << " size " << face.box.width
              << "x" << face.box.height << " score " << face.score
              << (face.identifiable ? "" : " (too small to identify)") << "\n";
  }
  return kExitOk;
}

struct FacesTally {
  int files = 0, faces = 0, with_faces = 0, without_faces = 0, unreadable = 0;
};

void printSummary(const FacesTally& t, const std::string& detector, bool asJson) {
  if (asJson) {
    Poco::JSON::Object root, summary;
    summary.set("detector", detector);
    summary.set("files", t.files);
    summary.set("faces", t.faces);
    summary.set("with_faces", t.with_faces);
    summary.set("without_faces", t.without_faces);
    summary.set("unreadable", t.unreadable);
    root.set("summary", summary);
    printJsonLine(root);
    return;
  }
  std::cout << t.files << (t.files == 1 ? " file" : " files") << " looked at by the " << detector
            << " detector: " << t.faces << " face(s) in " << t.with_faces << ", no face in "
            << t.without_faces << ", " << t.unreadable << " could not be read.\n";
}

int facesOfMany(faces::FaceEngine& engine, const std::vector<fs::path>& files, bool asJson,
                bool timings) {
  const std::string detector = engine.detector().name();
  FacesTally tally;
  for (const auto& path : files) {
    const std::string file = path.string();
    ++tally.files;
    auto looked = lookAt(engine, file, timings);
    if (!looked) {
      ++tally.unreadable;
      if (asJson) {
        Poco::JSON::Object root, error;
        root.set("image", file);
        error.set("code", looked.error().code);
        error.set("message", looked.error().message);
        root.set("error", error);
        printJsonLine(root);
      } else {
        std::cout << file << " (could not be read): " << looked.error().message << "\n";
      }
      continue;
    }
    const auto count = looked->found.size();
    tally.faces += static_cast<int>(count);
    ++(count > 0 ? tally.with_faces : tally.without_faces);
    if (asJson) {
      printJsonLine(facesJson(file, *looked, detector));
    } else {
      const auto small = std::count_if(looked->found.begin(), looked->found.end(),
                                       [](const faces::FoundFace& f) { return !f.identifiable; });
      std::cout << file << ": " << count << (count == 1 ? " face" : " faces");
      if (small > 0) std::cout << " (" << small << " too small to identify)";
      std::cout << "\n";
    }
    std::cout.flush();
  }
  printSummary(tally, detector, asJson);
  return tally.unreadable > 0 ? kExitBadInput : kExitOk;
}

}  // namespace

int runFaces(const Args& input) {
  Args args = input;
  const bool asJson = takeFlag(args, "--json");
  const bool timings = takeFlag(args, "--timings");
  auto options = takeEngineOptions(args);
  if (!options) return reportError(options.error(), asJson, engineOptionsExit(options.error()));
  const faces::ModelPaths models = faces::locateModels(takeOption(args, "--models"));
  if (args.empty() || hasUnknownOption(args)) {
    std::cerr << "Usage: consentguard faces [--json] [--timings] [--detector NAME] [--models DIR] "
                 "IMAGE | FILE-OR-FOLDER...\n";
    return kExitUsage;
  }
  const bool batch = isBatch(args);
  const auto files = batch ? inputFiles(args) : std::vector<fs::path>{};
  if (batch && files.empty()) {
    return reportError(makeError("no_files", "There are no photos to look at in " + args[0] +
                                                 ". Check the folder's name."),
                       asJson, kExitBadInput);
  }
  // Models first, so that the decode time does not include loading them.
  auto engine = faces::FaceEngine::create(models, *options);
  if (!engine) return reportError(engine.error(), asJson, kExitSetupProblem);
  if (!batch) return facesOfOne(**engine, args[0], asJson, timings);
  return facesOfMany(**engine, files, asJson, timings);
}

}  // namespace consentguard::cli
