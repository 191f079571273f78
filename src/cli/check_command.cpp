// consentguard check --db DB --channel CH [--caption TEXT] [--alt TEXT] [--name FILENAME]
//                    [--out DIR] [--config FILE] [--models DIR] [--detector NAME] [--json]
//                    IMAGE-OR-VIDEO
// A video (MP4, MOV, M4V: sniffed) is checked frame by frame (PhotoChecker::checkVideo); its
// clean copy goes to DIR as NAME.mp4.
// Exit status: 0 publish, 1 review, 2 block; 3 the file or a value was refused, 4 a set-up or
// database problem, 64 wrong usage.
#include <Poco/JSON/Object.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>

#include "commands.h"
#include "consentguard/check/check_json.h"
#include "consentguard/check/photo_check.h"
#include "consentguard/common/files.h"
#include "engine_options.h"
#include "register_access.h"

namespace consentguard::cli {
namespace {

namespace fs = std::filesystem;

// Saves the cleaned copy under `dir` as stem+extension, or stem-1, stem-2... when taken: an
// existing file is never overwritten.
Result<fs::path> saveWithoutOverwriting(const fs::path& dir, const std::string& stem,
                                        const std::string& extension,
                                        const std::vector<std::uint8_t>& bytes) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (int n = 0; n < 10000; ++n) {
    const fs::path target = dir / (stem + (n == 0 ? "" : "-" + std::to_string(n)) + extension);
    Status saved = writeFileAtomically(target, bytes, /*overwrite=*/false);
    if (saved) return target;
    if (saved.error().code != "output_exists") return saved.error();
  }
  return makeError("write_failed", "The cleaned photo could not be saved in " + dir.string() +
                                       ": too many files of that name.");
}

// Sniffed from the file's first bytes, never its name.
bool isVideoFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::uint8_t> head(64);
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return video::looksLikeVideo(head);
}

std::string randomSuffix() {
  std::random_device random;
  return std::to_string(random()) + std::to_string(random());
}

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
int checkVideo(check::PhotoChecker& checker, check::VideoRequest request, const std::string& outDir,
               bool asJson) {
  std::optional<fs::path> output;
  const std::string stem = fs::path(request.file_name).stem().string();
  if (!outDir.empty()) {
    std::error_code ec;
    fs::create_directories(outDir, ec);
    for (int n = 0; n < 10000; ++n) {
      const fs::path target =
          fs::path(outDir) / (stem + (n == 0 ? "" : "-" + std::to_string(n)) + ".mp4");
      if (!fs::exists(target)) {
        request.publish_to = target;
        break;
      }
    }
  }
  const fs::path scratch = fs::temp_directory_path() / ("consentguard-" + randomSuffix() + ".mp4");
  if (request.publish_to.empty()) request.publish_to = scratch;
  auto result = checker.checkVideo(request);
  if (request.publish_to == scratch) fs::remove(scratch);
  if (!result) return reportError(result.error(), asJson, kExitSetupProblem);
  if (result->published && request.publish_to != scratch) output = request.publish_to;
  if (asJson) {
    Poco::JSON::Object::Ptr root = check::videoResultJson(*result);
    if (output) root->set("output", output->string());
    root->stringify(std::cout);
    std::cout << "\n";
  } else {
    printVideoText(*result, output);
  }
  return static_cast<int>(result->decision.verdict);
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
  if (request.channel.empty() || args.size() != 1 || (!store && store.error().code == "usage")) {
    std::cerr << "Usage: consentguard check --db DB --channel CH [--caption TEXT] [--alt TEXT] "
                 "[--name FILENAME] [--out DIR] [--config FILE] [--json] IMAGE\n";
    return kExitUsage;
  }
  if (!store) return reportError(store.error(), asJson, kExitSetupProblem);
  auto config = policy::loadPolicy(configFile);
  if (!config) return reportError(config.error(), asJson, kExitSetupProblem);
  if (!config->channel(request.channel)) {
    return reportError(policy::unknownChannel(request.channel, *config), asJson, kExitBadInput);
  }
  const fs::path file = args[0];
  if (request.file_name.empty()) request.file_name = file.filename().string();
  const image::LoadLimits limits;
  if (isVideoFile(file)) {
    auto engine = faces::FaceEngine::create(models, *engineOptions);
    if (!engine) return reportError(engine.error(), asJson, kExitSetupProblem);
    check::PhotoChecker checker(**engine, **store, *config, limits);
    return checkVideo(
        checker, {file, request.channel, request.file_name, request.caption, request.alt_text, {}},
        outDir, asJson);
  }
  auto bytes = image::readFileBytes(file, limits);
  if (!bytes) return reportError(bytes.error(), asJson, kExitBadInput);
  request.bytes = std::move(bytes.value());

  auto engine = faces::FaceEngine::create(models, *engineOptions);
  if (!engine) return reportError(engine.error(), asJson, kExitSetupProblem);
  check::PhotoChecker checker(**engine, **store, *config, limits);
  auto result = checker.check(request);
  if (!result) return reportError(result.error(), asJson, kExitSetupProblem);

  std::optional<fs::path> output;
  if (result->published && !outDir.empty()) {
    auto written = saveWithoutOverwriting(outDir, fs::path(request.file_name).stem().string(),
                                          image::fileExtension(result->published->format),
                                          result->published->bytes);
    if (!written) return reportError(written.error(), asJson, kExitSetupProblem);
    output = *written;
  }
  if (asJson) {
    printJson(*result, output);
  } else {
    printText(*result, output);
  }
  return static_cast<int>(result->decision.verdict);
}

}  // namespace consentguard::cli
