#include "consentguard/service/outcome_writer.h"

#include <Poco/JSON/Parser.h>

#include <cstdio>

#include "consentguard/common/dates.h"
#include "consentguard/common/files.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/sanitiser.h"
#include "consentguard/policy/policy.h"
#include "consentguard/video/video_file.h"

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

// The clean copy of a video the checks have already passed: limits as wide as the settings allow.
const video::VideoLimits kWrittenVideoLimits{600, 1024ull << 20, 4096};

// A video to publish: copied clean (deterministically) into store/, then renamed into the
// outbox. rename() is atomic, so an outcome that exists is complete: an earlier attempt's.
Status writeVideoOutcome(const queue::Job& job) {
  std::error_code ec;
  if (fs::exists(job.output, ec)) {
    if (video::verifyCleanVideo(job.output)) return okStatus();
    return makeError("output_clash",
                     "A different file already has the name " + job.output.string() + ".",
                     job.output.string());
  }
  const fs::path staged = stagedVideoPath(job);
  if (Status s = video::writeCleanCopy(job.original, staged, kWrittenVideoLimits); !s) return s;
  fs::rename(staged, job.output, ec);
  if (ec) {
    // The outbox is on another disk: copied under a hidden name there, then renamed.
    const fs::path hidden =
        job.output.parent_path() / ("." + job.output.filename().string() + ".partial");
    ec.clear();
    fs::copy_file(staged, hidden, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::rename(hidden, job.output, ec);
    if (ec) {
      return makeError("write_failed",
                       "The video could not be written to " + job.output.string() + ".",
                       ec.message());
    }
    fs::remove(staged, ec);
  }
  return okStatus();
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

bool isVideoJob(const queue::Job& job) {
  return video::looksLikeVideo(readFileStart(job.original, 64));
}

fs::path contactSheetPath(const queue::Job& job) {
  return job.original.empty() ? fs::path() : fs::path(job.original.string() + "-sheet.jpg");
}

fs::path stagedVideoPath(const queue::Job& job) {
  return job.original.empty() ? fs::path() : fs::path(job.original.string() + "-clean.mp4");
}

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

std::vector<std::string> recordedReasons(const queue::Job& job) {
  std::vector<std::string> lines;
  try {
    Poco::JSON::Parser parser;
    auto result = parser.parse(job.result_json).extract<Poco::JSON::Object::Ptr>();
    auto reasons = result->getArray("reasons");
    for (size_t i = 0; reasons && i < reasons->size(); ++i) {
      lines.push_back(reasons->getObject(i)->getValue<std::string>("message"));
    }
  } catch (const Poco::Exception&) {
    lines = {"The reasons could not be read; ask a senior leader to look in Consent Guard."};
  }
  return lines;
}

bool blockedOnlyForFaces(const queue::Job& job) {
  try {
    Poco::JSON::Parser parser;
    auto result = parser.parse(job.result_json).extract<Poco::JSON::Object::Ptr>();
    return result->has("coverable") && result->getValue<bool>("coverable");
  } catch (const Poco::Exception&) {
    return false;
  }
}

namespace {

// The checks' reasons, one "- " line each.
std::string checkReasons(const queue::Job& job) {
  std::string lines;
  for (const auto& reason : recordedReasons(job)) lines += "- " + reason + "\n";
  return lines;
}

}  // namespace

namespace {

// Who a video's checks saw and when, never by name (the .txt is read by whoever opens the
// folder): "- 0:03 to 0:04: someone on the no-photo list".
std::string peopleSeen(const queue::Job& job) {
  std::string lines;
  try {
    Poco::JSON::Parser parser;
    auto result = parser.parse(job.result_json).extract<Poco::JSON::Object::Ptr>();
    auto people = result->getArray("people");
    for (size_t i = 0; people && i < people->size(); ++i) {
      auto person = people->getObject(i);
      const std::string status = person->getValue<std::string>("status");
      const std::string who = status == "no_photo"     ? "someone on the school's no-photo list"
                              : status == "no_consent" ? "someone without consent for this channel"
                              : status == "consented"  ? "a pupil with consent"
                              : status == "staff"      ? "a member of staff"
                                                  : "someone Consent Guard could not recognise";
      std::vector<std::pair<double, double>> stretches;
      auto seen = person->getArray("seen");
      for (size_t k = 0; seen && k < seen->size(); ++k) {
        auto stretch = seen->getArray(k);
        stretches.emplace_back(stretch->getElement<double>(0), stretch->getElement<double>(1));
      }
      lines += "- Person " + std::to_string(i + 1) + ", " + who + ": seen at " +
               timesSeen(stretches) + "\n";
    }
  } catch (const Poco::Exception&) {
    lines = "- Who is in it could not be read; ask a senior leader to look in Consent Guard.\n";
  }
  return lines;
}

}  // namespace

std::string explanationText(const queue::Job& job) {
  const bool held = job.verdict == "review";
  const bool sltRejected = job.decision.decision == "rejected";
  const bool isVideo = isVideoJob(job);
  const std::string what = isVideo ? "video" : "photo";
  std::string why;
  if (sltRejected) {
    why = "A senior leader (" + job.decision.by.substr(job.decision.by.find(':') + 1) +
          ") decided it must not be published. Their reason:\n  " + job.decision.reason +
          "\n\nIt had been held because:\n" + checkReasons(job);
  } else {
    why = checkReasons(job);
  }
  std::string seen;
  if (isVideo) {
    seen = peopleSeen(job);
    seen = "\nWho is in it:\n" + (seen.empty() ? "- Nobody was seen.\n" : seen);
  }
  return "Consent Guard: this " + what +
         (held ? " is held for a senior leader to decide.\n" : " must not be published.\n") + "\n" +
         (isVideo ? "Video: " : "Photo: ") + job.submission.file_name +
         "\nChannel: " + job.submission.channel + "\nReference: " + job.id +
         "\nSubmitted: " + job.created_at + "\n\nWhy:\n" + why + seen + "\nWhat to do next:\n" +
         (held ? "A senior leader will look at it on Consent Guard's review page. Do not publish "
                 "it yourself; if it is approved, the cleaned copy will appear in the outbox.\n"
          : sltRejected ? "Do not publish this " + what +
                              ". Speak to the senior leader named above if you need to know more.\n"
          : isVideo
              ? std::string("Do not publish this video. Follow the advice above: if someone in "
                            "it must not appear, cut out the seconds they are seen, or ask the "
                            "office to check the consent register; then submit it again.\n")
          : blockedOnlyForFaces(job)
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
  if (Status s = queue.markDone(job.id); !s) return s;
  return writeRepeatNotes(queue, job);
}

namespace {

std::string repeatNoteText(const queue::Job& job, const std::string& name) {
  const std::string what = isVideoJob(job) ? "video" : "photo";
  const std::string earlier = job.output.filename().string();
  const std::string outcome =
      job.verdict == "publish" ? "published. The cleaned copy beside this note, " + earlier +
                                     ", is the one to use; publish that, not this file.\n"
      : job.verdict == "review"
          ? "held for a senior leader to decide: " + earlier +
                ", beside this note. Do not publish it yourself. When it is decided, this note "
                "moves to where its outcome goes.\n"
          : "it must not be published. See " + earlier + " and the note beside it for why.\n";
  return "Consent Guard: this " + what +
         " is the same as one submitted before, so it was not checked again.\n\n" +
         (what == "video" ? "Video: " : "Photo: ") + name +
         "\nSame as: " + job.submission.file_name + " (reference " + job.id + ", submitted " +
         job.created_at + ")\nChannel: " + job.submission.channel + "\n\nIts outcome: " + outcome;
}

}  // namespace

Status writeRepeatNotes(queue::JobQueue& queue, const queue::Job& job) {
  if (job.output.empty()) return okStatus();
  auto repeats = queue.repeatsOf(job.id);
  if (!repeats) return repeats.error();
  for (const auto& repeat : *repeats) {
    // The same name again already has its outcome, under that name.
    if (repeat.file_name == job.submission.file_name) continue;
    const std::string text = repeatNoteText(job, repeat.file_name);
    const std::vector<std::uint8_t> bytes(text.begin(), text.end());
    const std::string name = safeName(repeat.file_name);
    fs::path note = job.output.parent_path() / (name + ".txt");
    std::error_code ec;
    // Never over another file: a name already taken gets the reference, as outcomes do.
    const auto taken = [&](const fs::path& path) {
      if (!fs::exists(path, ec) || path == repeat.note) return false;
      auto existing = image::readFileBytes(path);
      return !(existing && *existing == bytes);
    };
    if (taken(note) || fs::exists(job.output.parent_path() / name, ec)) {
      note =
          job.output.parent_path() / (fs::path(name).stem().string() + "-" + job.id.substr(0, 8) +
                                      fs::path(name).extension().string() + ".txt");
    }
    if (Status w = writeFileAtomically(note, bytes, /*overwrite=*/true); !w) return w;
    if (!repeat.note.empty() && repeat.note != note) fs::remove(repeat.note, ec);
    if (Status s = queue.setRepeatNote(job.id, repeat.file_name, note); !s) return s;
  }
  return okStatus();
}

Status writeOutcome(const queue::Job& job, int heif_jpeg_quality) {
  if (isVideoJob(job)) {
    if (job.verdict == "publish") return writeVideoOutcome(job);
    // A held or rejected video is copied as it is, beside its reason.
    std::error_code ec;
    if (!fs::exists(job.output, ec)) {
      const fs::path hidden =
          job.output.parent_path() / ("." + job.output.filename().string() + ".partial");
      fs::copy_file(job.original, hidden, fs::copy_options::overwrite_existing, ec);
      if (!ec) fs::rename(hidden, job.output, ec);
      if (ec) {
        return makeError("write_failed",
                         "The video could not be written to " + job.output.string() + ".",
                         ec.message());
      }
    }
    const std::string text = explanationText(job);
    return writeOnce(job.output.string() + ".txt",
                     std::vector<std::uint8_t>(text.begin(), text.end()));
  }
  auto bytes = outcomeBytes(job, heif_jpeg_quality);
  if (!bytes) return bytes.error();
  if (Status s = writeOnce(job.output, *bytes); !s) return s;
  if (job.verdict == "publish") return okStatus();
  const std::string text = explanationText(job);
  return writeOnce(job.output.string() + ".txt",
                   std::vector<std::uint8_t>(text.begin(), text.end()));
}

}  // namespace consentguard::service
