#include "consentguard/service/outcome_writer.h"

#include <Poco/JSON/Parser.h>

#include "consentguard/common/files.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/sanitiser.h"
#include "consentguard/policy/policy.h"

namespace consentguard::service {
namespace {

namespace fs = std::filesystem;

// A file name safe to create: no folders, no control characters, not hidden.
std::string safeName(const std::string& submitted) {
  std::string name = fs::path(submitted).filename().string();
  for (char& c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '/' || c == '\\' || c == ':') c = '_';
  }
  while (!name.empty() && name.front() == '.') name.erase(name.begin());
  return name.empty() ? "photo" : name;
}

Result<std::vector<std::uint8_t>> outcomeBytes(const queue::Job& job, int heif_jpeg_quality) {
  // What SLT approved as a redacted copy is published in place of the original.
  auto original = image::readFileBytes(job.redacted.empty() ? job.original : job.redacted);
  if (!original) return original.error();
  if (job.verdict != "publish") return original;
  // Sanitising is deterministic: a finish after a crash writes the same bytes again.
  auto clean = image::sanitise(*original, {}, heif_jpeg_quality);
  if (!clean) return clean.error();
  return std::move(clean->bytes);
}

// Writes unless an earlier attempt already wrote exactly this file.
Status writeOnce(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
  Status written = writeFileAtomically(path, bytes, /*overwrite=*/false);
  if (written || written.error().code != "output_exists") return written;
  auto existing = image::readFileBytes(path);
  if (existing && *existing == bytes) return okStatus();
  return makeError("output_clash", "A different file already has the name " + path.string() + ".",
                   path.string());
}

}  // namespace

fs::path chooseOutputPath(const DataFolders& folders, const queue::Job& job,
                          const std::string& verdict, const std::string& extension) {
  const std::string name = safeName(job.submission.file_name);
  fs::path dir = verdict == "publish"  ? folders.outbox(job.submission.channel)
                 : verdict == "review" ? folders.held()
                                       : folders.rejected();
  std::string stem = fs::path(name).stem().string();
  std::string ext = verdict == "publish" ? extension : fs::path(name).extension().string();
  std::error_code ec;
  fs::path path = dir / (stem + ext);
  if (fs::exists(path, ec) || fs::exists(path.string() + ".txt", ec)) {
    path = dir / (stem + "-" + job.id.substr(0, 8) + ext);
  }
  return path;
}

namespace {

// The checks' reasons, one "- " line each.
std::string checkReasons(const queue::Job& job) {
  std::string lines;
  try {
    Poco::JSON::Parser parser;
    auto result = parser.parse(job.result_json).extract<Poco::JSON::Object::Ptr>();
    auto reasons = result->getArray("reasons");
    for (size_t i = 0; reasons && i < reasons->size(); ++i) {
      lines += "- " + reasons->getObject(i)->getValue<std::string>("message") + "\n";
    }
  } catch (const Poco::Exception&) {
    lines = "- The reasons could not be read; ask a senior leader to look in Consent Guard.\n";
  }
  return lines;
}

// The checks found the photo blocked only for faces (policy::Decision::coverable).
bool coverable(const queue::Job& job) {
  try {
    Poco::JSON::Parser parser;
    auto result = parser.parse(job.result_json).extract<Poco::JSON::Object::Ptr>();
    return result->has("coverable") && result->getValue<bool>("coverable");
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace

std::string explanationText(const queue::Job& job) {
  const bool held = job.verdict == "review";
  const bool sltRejected = job.decision.decision == "rejected";
  std::string why;
  if (sltRejected) {
    why = "A senior leader (" + job.decision.by.substr(job.decision.by.find(':') + 1) +
          ") decided it must not be published. Their reason:\n  " + job.decision.reason +
          "\n\nIt had been held because:\n" + checkReasons(job);
  } else {
    why = checkReasons(job);
  }
  return std::string("Consent Guard: ") +
         (held ? "this photo is held for a senior leader to decide.\n"
               : "this photo must not be published.\n") +
         "\nPhoto: " + job.submission.file_name + "\nChannel: " + job.submission.channel +
         "\nReference: " + job.id + "\nSubmitted: " + job.created_at + "\n\nWhy:\n" + why +
         "\nWhat to do next:\n" +
         (held ? "A senior leader will look at it on Consent Guard's review page. Do not publish "
                 "it yourself; if it is approved, the cleaned copy will appear in the outbox.\n"
          : sltRejected
              ? "Do not publish this photo. Speak to the senior leader named above if you need "
                "to know more.\n"
          : coverable(job)
              ? "Do not publish this photo. " + policy::coveredCopySentence() +
                    " Or choose another photo.\n"
              : std::string("Do not publish this photo. Follow the advice above: choose another "
                            "photo, or ask the office to check the consent register, then submit "
                            "it again.\n"));
}

Status completeOutcome(queue::JobQueue& queue, const queue::Job& job, int heif_jpeg_quality) {
  if (Status s = writeOutcome(job, heif_jpeg_quality); !s) return s;
  if (!job.previous_output.empty() && job.previous_output != job.output) {
    std::error_code ec;
    fs::remove(job.previous_output, ec);
    fs::remove(job.previous_output.string() + ".txt", ec);
  }
  return queue.markDone(job.id);
}

Status writeOutcome(const queue::Job& job, int heif_jpeg_quality) {
  auto bytes = outcomeBytes(job, heif_jpeg_quality);
  if (!bytes) return bytes.error();
  if (Status s = writeOnce(job.output, *bytes); !s) return s;
  if (job.verdict == "publish") return okStatus();
  const std::string text = explanationText(job);
  return writeOnce(job.output.string() + ".txt",
                   std::vector<std::uint8_t>(text.begin(), text.end()));
}

}  // namespace consentguard::service
