// consentguard check --db DB --channel CH [--caption TEXT] [--alt TEXT] [--name FILENAME]
//                    [--out DIR] [--config FILE] [--models DIR] [--detector NAME] [--json]
//                    IMAGE-OR-VIDEO | FILE-OR-FOLDER...
// A video (MP4, MOV, M4V: sniffed) is checked frame by frame (PhotoChecker::checkVideo); its
// clean copy goes to DIR as NAME.mp4.
// Exit status: 0 publish, 1 review, 2 block; 3 the file or a value was refused, 4 a set-up or
// database problem, 64 wrong usage.
// Several files, or a folder: each is checked in turn with the models loaded once
// (check_batch.h); the exit status is then the most severe verdict of them all, a file that
// cannot be read counting as blocked, and 3 when there was no file to check.
#include <Poco/JSON/Object.h>

#include <cstdio>
#include <iostream>

#include "check_batch.h"
#include "check_files.h"
#include "commands.h"
#include "consentguard/check/check_json.h"
#include "consentguard/check/photo_check.h"
#include "engine_options.h"
#include "input_files.h"
#include "register_access.h"

namespace consentguard::cli {
namespace {

namespace fs = std::filesystem;

// "PUBLISH: this photo may be published." and the reasons, one a line.
void printVerdict(const policy::Decision& decision, const std::string& what) {
  const auto verdict = decision.verdict;
  std::cout << (verdict == policy::Verdict::kPublish
                    ? "PUBLISH: this " + what + " may be published."
                : verdict == policy::Verdict::kReview
                    ? std::string("REVIEW: a senior leader must decide.")
                    : "BLOCKED: this " + what + " must not be published.")
            << "\n";
  for (const auto& r : decision.reasons) std::cout << "  - " << r.message << "\n";
}

void printJson(const check::CheckResult& result, const std::optional<fs::path>& output) {
  Poco::JSON::Object::Ptr root = check::resultJson(result);
  if (output) root->set("output", output->string());
  root->stringify(std::cout);
  std::cout << "\n";
}

void printText(const check::CheckResult& result, const std::optional<fs::path>& output) {
  printVerdict(result.decision, "photo");
  for (const auto& f : result.faces) {
    std::cout << "  face at x=" << f.box.x << " y=" << f.box.y << " size " << f.box.width << ": "
              << (f.person.empty() ? "" : f.person + ", ") << f.status << "\n";
  }
  if (output) std::cout << "Cleaned copy: " << output->string() << "\n";
}

void printVideoText(const check::VideoCheckResult& result, const std::optional<fs::path>& output) {
  printVerdict(result.decision, "video");
  for (const auto& p : result.people) {
    std::cout << "  " << (p.face.person.empty() ? "someone unknown" : p.face.person) << ", "
              << p.face.status << ", seen at";
    for (const auto& [from, to] : p.seen) {
      char stretch[64];
      std::snprintf(stretch, sizeof stretch, " %.1f-%.1f s", from, to);
      std::cout << stretch;
    }
    std::cout << "\n";
  }
  std::cout << "  " << result.frames_sampled << " frames looked at";
  if (result.info) std::cout << " in " << result.info->seconds << " s of video";
  std::cout << "\n";
  if (output) std::cout << "Cleaned copy: " << output->string() << "\n";
}

// A video is checked from its file; its clean copy is written to DIR/NAME.mp4 when allowed.
int checkOneVideo(check::PhotoChecker& checker, const check::VideoRequest& request,
                  const std::string& outDir, bool asJson) {
  auto checked = checkVideo(checker, request, outDir);
  if (!checked) return reportError(checked.error(), asJson, kExitSetupProblem);
  if (asJson) {
    Poco::JSON::Object::Ptr root = check::videoResultJson(checked->result);
    if (checked->output) root->set("output", checked->output->string());
    root->stringify(std::cout);
    std::cout << "\n";
  } else {
    printVideoText(checked->result, checked->output);
  }
  return static_cast<int>(checked->result.decision.verdict);
}

}  // namespace

int runCheck(const Args& input) {
  Args args = input;
  const bool asJson = takeFlag(args, "--json");
  check::CheckRequest request;
  request.channel = takeOption(args, "--channel");
  request.caption = takeOption(args, "--caption");
  request.alt_text = takeOption(args, "--alt");
  request.file_name = takeOption(args, "--name");
  const std::string outDir = takeOption(args, "--out");
  const std::string configFile = takeOption(args, "--config");
  auto engineOptions = takeEngineOptions(args, configFile);
  if (!engineOptions) {
    return reportError(engineOptions.error(), asJson, engineOptionsExit(engineOptions.error()));
  }
  const faces::ModelPaths models = faces::locateModels(takeOption(args, "--models"));
  auto store = openRegister(args);
  const bool batch = isBatch(args);
  // --name is the published name of one file; many files keep their own.
  if (request.channel.empty() || args.empty() || (batch && !request.file_name.empty()) ||
      hasUnknownOption(args) || (!store && store.error().code == "usage")) {
    std::cerr << "Usage: consentguard check --db DB --channel CH [--caption TEXT] [--alt TEXT] "
                 "[--name FILENAME] [--out DIR] [--config FILE] [--json] IMAGE\n"
                 "       consentguard check --db DB --channel CH [--caption TEXT] [--alt TEXT] "
                 "[--out DIR] [--config FILE] [--json] FILE-OR-FOLDER...\n";
    return kExitUsage;
  }
  if (!store) return reportError(store.error(), asJson, kExitSetupProblem);
  auto config = policy::loadPolicy(configFile);
  if (!config) return reportError(config.error(), asJson, kExitSetupProblem);
  if (!config->channel(request.channel)) {
    return reportError(policy::unknownChannel(request.channel, *config), asJson, kExitBadInput);
  }
  const image::LoadLimits limits;
  if (batch) {
    const auto files = inputFiles(args, outDir);
    if (files.empty()) {
      return reportError(makeError("no_files", "There are no photos or videos to check in " +
                                                   args[0] + ". Check the folder's name."),
                         asJson, kExitBadInput);
    }
    auto engine = faces::FaceEngine::create(models, *engineOptions);
    if (!engine) return reportError(engine.error(), asJson, kExitSetupProblem);
    check::PhotoChecker checker(**engine, **store, *config, limits);
    return checkMany(checker, files,
                     {request.channel, request.caption, request.alt_text, outDir, asJson});
  }
  const fs::path file = args[0];
  if (request.file_name.empty()) request.file_name = file.filename().string();
  if (isVideoFile(file)) {
    auto engine = faces::FaceEngine::create(models, *engineOptions);
    if (!engine) return reportError(engine.error(), asJson, kExitSetupProblem);
    check::PhotoChecker checker(**engine, **store, *config, limits);
    return checkOneVideo(
        checker, {file, request.channel, request.file_name, request.caption, request.alt_text, {}},
        outDir, asJson);
  }
  auto bytes = image::readFileBytes(file, limits);
  if (!bytes) return reportError(bytes.error(), asJson, kExitBadInput);
  request.bytes = std::move(bytes.value());

  auto engine = faces::FaceEngine::create(models, *engineOptions);
  if (!engine) return reportError(engine.error(), asJson, kExitSetupProblem);
  check::PhotoChecker checker(**engine, **store, *config, limits);
  auto checked = checkPhoto(checker, request, outDir);
  if (!checked) return reportError(checked.error(), asJson, kExitSetupProblem);
  if (asJson) {
    printJson(checked->result, checked->output);
  } else {
    printText(checked->result, checked->output);
  }
  return static_cast<int>(checked->result.decision.verdict);
}

}  // namespace consentguard::cli
