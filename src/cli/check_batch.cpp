#include "check_batch.h"

#include <Poco/JSON/Object.h>

#include <iostream>

#include "check_files.h"
#include "commands.h"
#include "consentguard/check/check_json.h"

namespace consentguard::cli {
namespace {

namespace fs = std::filesystem;

struct FileOutcome {
  policy::Decision decision;
  Poco::JSON::Object::Ptr json;
  std::optional<fs::path> output;
};

// A file that could not even be read (missing, too large, unreadable to us): blocked, as the
// checker blocks one it cannot decode.
FileOutcome notRead(const Error& why) {
  check::CheckResult result;
  result.decision.verdict = policy::Verdict::kBlock;
  result.decision.reasons.push_back({"unreadable", why.message, policy::Verdict::kBlock, {}});
  if (!why.detail.empty()) std::cerr << "detail: " << why.code << ": " << why.detail << "\n";
  return {result.decision, check::resultJson(result), std::nullopt};
}

Result<FileOutcome> checkOne(check::PhotoChecker& checker, const fs::path& file,
                             const BatchRequest& request) {
  const std::string name = file.filename().string();
  if (isVideoFile(file)) {
    auto checked =
        checkVideo(checker, {file, request.channel, name, request.caption, request.alt_text, {}},
                   request.out_dir);
    if (!checked) return checked.error();
    return FileOutcome{checked->result.decision, check::videoResultJson(checked->result),
                       checked->output};
  }
  auto bytes = image::readFileBytes(file);
  if (!bytes) return notRead(bytes.error());
  check::CheckRequest photo;
  photo.bytes = std::move(bytes.value());
  photo.channel = request.channel;
  photo.file_name = name;
  photo.caption = request.caption;
  photo.alt_text = request.alt_text;
  auto checked = checkPhoto(checker, photo, request.out_dir);
  if (!checked) return checked.error();
  return FileOutcome{checked->result.decision, check::resultJson(checked->result), checked->output};
}

// "REVIEW   today/sports.jpg: Someone in this photo is not recognised..."
void printLine(const fs::path& file, const FileOutcome& outcome) {
  const auto& d = outcome.decision;
  std::cout << (d.verdict == policy::Verdict::kPublish  ? "PUBLISH  "
                : d.verdict == policy::Verdict::kReview ? "REVIEW   "
                                                        : "BLOCKED  ")
            << file.string();
  if (d.has("unreadable")) std::cout << " (could not be read)";
  // The reasons are sorted most serious first; the JSON form has them all.
  if (!d.reasons.empty()) std::cout << ": " << d.reasons.front().message;
  if (d.reasons.size() > 1) {
    std::cout << " (and " << d.reasons.size() - 1 << " more reason"
              << (d.reasons.size() > 2 ? "s" : "") << ")";
  }
  if (outcome.output) std::cout << " (clean copy: " << outcome.output->string() << ")";
  std::cout << "\n";
}

struct Tally {
  int files = 0, publish = 0, review = 0, block = 0, unreadable = 0;

  void add(const policy::Decision& d) {
    ++files;
    if (d.verdict == policy::Verdict::kPublish) ++publish;
    if (d.verdict == policy::Verdict::kReview) ++review;
    if (d.verdict == policy::Verdict::kBlock) ++block;
    if (d.has("unreadable")) ++unreadable;
  }
  int exitStatus() const { return block > 0 ? 2 : review > 0 ? 1 : 0; }
};

void printSummary(const Tally& t, const BatchRequest& request) {
  if (request.as_json) {
    Poco::JSON::Object root, summary;
    summary.set("channel", request.channel);
    summary.set("files", t.files);
    summary.set("publish", t.publish);
    summary.set("review", t.review);
    summary.set("block", t.block);
    summary.set("unreadable", t.unreadable);
    root.set("summary", summary);
    root.stringify(std::cout);
    std::cout << "\n";
    return;
  }
  std::cout << t.files << (t.files == 1 ? " file" : " files") << " checked for " << request.channel
            << ": " << t.publish << " to publish, " << t.review << " to review, " << t.block
            << " to block";
  if (t.unreadable > 0) {
    std::cout << " (" << t.unreadable << " of them could not be read: copy "
              << (t.unreadable == 1 ? "it" : "them") << " again, or remove "
              << (t.unreadable == 1 ? "it" : "them") << ")";
  }
  std::cout << ".\n";
  if (t.review > 0) {
    std::cout << "A senior leader must decide on the ones to review before they are published.\n";
  }
  if (t.block > 0) std::cout << "Do not publish the blocked ones.\n";
  if (!request.out_dir.empty() && t.publish > 0) {
    std::cout << "Clean copies of the ones to publish are in " << request.out_dir << ".\n";
  }
}

}  // namespace

int checkMany(check::PhotoChecker& checker, const std::vector<fs::path>& files,
              const BatchRequest& request) {
  Tally tally;
  for (const auto& file : files) {
    auto outcome = checkOne(checker, file, request);
    if (!outcome) {
      std::cout.flush();
      return reportError(outcome.error(), request.as_json, kExitSetupProblem);
    }
    tally.add(outcome->decision);
    if (request.as_json) {
      outcome->json->set("file", file.string());
      if (outcome->output) outcome->json->set("output", outcome->output->string());
      outcome->json->stringify(std::cout);
      std::cout << "\n";
    } else {
      printLine(file, *outcome);
    }
    std::cout.flush();  // a line as each file is done: a folder of videos takes a while
  }
  printSummary(tally, request);
  return tally.exitStatus();
}

}  // namespace consentguard::cli
