// A worker thread that takes queued photos and videos one at a time, checks each (faces,
// register as it stands now, policy, sanitise), records the decision and the output path, writes
// the outcome and marks the job done. Each worker owns its own face engine and database
// connections. start() and stop() are called from one thread; stop() lets the photo in hand finish.
#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "consentguard/check/photo_check.h"
#include "consentguard/queue/job_queue.h"
#include "consentguard/service/service_settings.h"

namespace consentguard::service {

class PhotoWorker {
 public:
  static Result<std::unique_ptr<PhotoWorker>> create(const ServiceSettings& settings, int number,
                                                     Poco::Logger& log);
  ~PhotoWorker();

  void start();
  void stop();  // waits for the photo in hand

  // Checks and completes one queued job; false when the queue was empty. For tests and run().
  // A job whose register changed while it was checked goes back to the queue (true).
  Result<bool> processNext();

  // After a photo, the memory its check freed is given back to the system when the service
  // holds more than this much (resident, in KB; 0: never). glibc would otherwise keep it for
  // the next photo, which is faster (giving it back after every photo cut the photos checked
  // a minute by about 40% in scripts/soak) but lets the service grow (issue 23). Set before
  // start().
  void setMemoryLimit(long resident_kb) { memory_limit_kb_ = resident_kb; }

  // For tests: called after each check, before its outcome is recorded.
  void setAfterCheck(std::function<void(const queue::Job&)> hook) { after_check_ = std::move(hook); }

 private:
  PhotoWorker(const ServiceSettings& settings, int number, Poco::Logger& log);
  struct Checked {
    policy::Decision decision;
    std::string json;       // the job's result_json
    std::string extension;  // of the copy to publish; empty when not published
  };
  Result<Checked> checkPhoto(const queue::Job& job);
  Result<Checked> checkVideo(const queue::Job& job);
  // Attaches the incidents the check just recorded to the job, each with its face's box (a
  // photo's faces; none for a video, whose boxes are in its frames), so that the DSL's page
  // can show the face.
  void attachIncidents(const queue::Job& job, const policy::Decision& decision,
                       const std::vector<check::CheckedFace>& faces);
  void run();
  void retryStuckOutcomes();
  void raiseDueTakedowns();

  ServiceSettings settings_;
  int number_;
  Poco::Logger& log_;
  std::unique_ptr<faces::FaceEngine> engine_;
  std::unique_ptr<reg::RegisterStore> store_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<check::PhotoChecker> checker_;
  std::function<void(const queue::Job&)> after_check_;
  long memory_limit_kb_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// The service's resident memory now, in KB (from /proc/self/statm); 0 where it cannot be read.
long residentMemoryKb();

}  // namespace consentguard::service
