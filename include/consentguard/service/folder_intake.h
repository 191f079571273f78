// Takes photos that office staff drop into inbox/<channel>/. A file is taken only once it is
// complete: its size and modification time must stay the same for the settle time, so a file
// still being copied over the network is left alone. Names that copy tools use while copying
// (".part", ".tmp", "~", hidden files) are never taken. A taken file is recorded in the queue
// (its bytes stored) before it is removed from the inbox, so a crash in between only means it is
// taken again as the same job.
// scanOnce() and the thread are used from one thread at a time.
#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <thread>

#include "consentguard/queue/job_queue.h"
#include "consentguard/service/service_settings.h"

namespace consentguard::service {

class FolderIntake {
 public:
  FolderIntake(const ServiceSettings& settings, std::unique_ptr<queue::JobQueue> queue,
               Poco::Logger& log);
  ~FolderIntake();

  void start();
  void stop();

  // Looks at every inbox once; returns how many files were taken.
  int scanOnce();

 private:
  using Clock = std::chrono::steady_clock;
  struct Seen {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type modified;
    Clock::time_point unchanged_since;
  };
  bool take(const std::filesystem::path& file, const std::string& channel);
  void rejectUnreadable(const std::filesystem::path& file, const Error& why);

  ServiceSettings settings_;
  std::unique_ptr<queue::JobQueue> queue_;
  Poco::Logger& log_;
  std::map<std::filesystem::path, Seen> seen_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// Whether a copy tool may still be writing a file of this name.
bool looksLikePartialCopy(const std::string& file_name);

}  // namespace consentguard::service
