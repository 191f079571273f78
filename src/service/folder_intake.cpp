#include "consentguard/service/folder_intake.h"

#include "consentguard/common/files.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/service/outcome_writer.h"
#include "consentguard/video/video_file.h"

namespace consentguard::service {
namespace {

namespace fs = std::filesystem;

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool looksLikePartialCopy(const std::string& name) {
  if (name.empty() || name[0] == '.' || name[0] == '~') return true;
  for (const char* suffix : {".part", ".partial", ".tmp", ".crdownload", ".download", "~"}) {
    if (endsWith(name, suffix)) return true;
  }
  return false;
}

FolderIntake::FolderIntake(const ServiceSettings& settings, std::unique_ptr<queue::JobQueue> queue,
                           Poco::Logger& log)
    : settings_(settings), queue_(std::move(queue)), log_(log) {}

FolderIntake::~FolderIntake() { stop(); }

void FolderIntake::start() {
  thread_ = std::thread([this] {
    while (!stopping_) {
      scanOnce();
      std::this_thread::sleep_for(
          std::chrono::milliseconds(static_cast<int>(settings_.scan_seconds * 1000)));
    }
  });
}

void FolderIntake::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

int FolderIntake::scanOnce() {
  int taken = 0;
  const auto now = Clock::now();
  const auto settle = std::chrono::duration<double>(settings_.settle_seconds);
  std::map<fs::path, Seen> stillThere;
  for (const auto& channel : settings_.policy.channelNames()) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(settings_.folders.inbox(channel), ec)) {
      const fs::path file = entry.path();
      if (!entry.is_regular_file(ec) || looksLikePartialCopy(file.filename().string())) continue;
      const auto size = entry.file_size(ec);
      const auto modified = entry.last_write_time(ec);
      if (ec) continue;
      Seen seen{size, modified, now};
      auto it = seen_.find(file);
      if (it != seen_.end() && it->second.size == size && it->second.modified == modified) {
        seen.unchanged_since = it->second.unchanged_since;
      }
      const bool settled = now - seen.unchanged_since >= settle &&
                           fs::file_time_type::clock::now() - modified >= settle;
      if (settled && take(file, channel)) {
        ++taken;
      } else {
        stillThere[file] = seen;
      }
    }
  }
  seen_ = std::move(stillThere);
  return taken;
}

bool FolderIntake::take(const fs::path& file, const std::string& channel) {
  // A video may be larger than a photo (service.max_video_upload_mb); the bytes say which.
  const bool isVideo = video::looksLikeVideo(readFileStart(file, 64));
  image::LoadLimits limits;
  limits.max_bytes = isVideo ? settings_.max_video_upload_bytes : settings_.max_upload_bytes;
  auto bytes = image::readFileBytes(file, limits);
  if (!bytes) {
    if (bytes.error().code == "too_large") {
      rejectUnreadable(file, isVideo ? Error{"too_large",
                                             "The video is larger than " +
                                                 std::to_string(limits.max_bytes >> 20) +
                                                 " MB. Export a shorter or smaller copy and "
                                                 "drop that in instead.",
                                             file.string()}
                                     : bytes.error());
    }
    return false;
  }
  const std::string name = file.filename().string();
  bool already = false;
  auto job = queue_->submit(*bytes, {channel, "", "", name, "folder", "folder"}, &already);
  if (!job) {
    log_.error("inbox: %s could not be queued: %s", file.string(), job.error().detail);
    return false;
  }
  if (already && job->submission.file_name != name) {
    // The same bytes under another name: this name gets a note beside the earlier one's
    // outcome, now if it is decided, else when it is (completeOutcome).
    if (Status r = queue_->recordRepeat(job->id, name); !r) {
      log_.error("inbox: %s could not be recorded: %s", file.string(), r.error().detail);
      return false;
    }
    auto now = queue_->find(job->id);
    if (now && *now && (*now)->state == queue::JobState::kDone) {
      if (Status n = writeRepeatNotes(*queue_, **now); !n) {
        log_.error("inbox: the note for %s could not be written: %s", name, n.error().detail);
        return false;
      }
    }
    log_.information("inbox: %s repeats job %s (%s)", name, job->id, job->submission.file_name);
  }
  std::error_code ec;
  fs::remove(file, ec);
  log_.information("inbox: took %s for %s as job %s", file.filename().string(), channel, job->id);
  return true;
}

// A file too large to hold is not queued but never lost: it moves to rejected/ with its reason.
void FolderIntake::rejectUnreadable(const fs::path& file, const Error& why) {
  std::error_code ec;
  fs::path target = settings_.folders.rejected() / file.filename();
  for (int n = 1; fs::exists(target, ec) || fs::exists(target.string() + ".txt", ec); ++n) {
    target = settings_.folders.rejected() /
             (file.stem().string() + "-" + std::to_string(n) + file.extension().string());
  }
  fs::rename(file, target, ec);
  if (ec) {
    log_.error("inbox: %s could not be moved to rejected/: %s", file.string(), ec.message());
    return;
  }
  const std::string text =
      "Consent Guard: this file was not checked and must not be published.\n"
      "\nWhy:\n- " +
      why.message + "\n";
  (void)writeFileAtomically(target.string() + ".txt",
                            std::vector<std::uint8_t>(text.begin(), text.end()), false);
}

}  // namespace consentguard::service
