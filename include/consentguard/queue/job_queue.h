// The durable queue of submitted photos, in the register's SQLite database. A photo is recorded
// (its original stored under the data folder, its job row committed) before the submitter is
// told it was accepted, so nothing acknowledged is ever lost. A job's id comes from its channel
// and bytes: submitting the same photo for the same channel again finds the same job.
//
// A job moves queued -> processing -> finishing -> done (and a held one back to queued when the
// consent of someone in it changes). "finishing" records the verdict and
// the exact output path before any file is written, so that after a crash at any moment a
// restart either checks the photo again (it was processing) or completes the same output at
// the same path (it was finishing): every job reaches exactly one outcome, written once.
//
// A JobQueue owns its connection and is not thread-safe: each thread opens its own.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "consentguard/common/result.h"
#include "consentguard/register/database.h"

namespace consentguard::queue {

enum class JobState { kQueued, kProcessing, kFinishing, kDone };
std::string stateName(JobState state);

struct Submission {
  std::string channel;
  std::string caption;
  std::string alt_text;
  std::string file_name;  // as submitted (the folder's file name, or the API's file_name)
  std::string source;     // "folder" or "api"
};

struct Job {
  std::string id;
  Submission submission;
  std::filesystem::path original;  // the stored original, never modified
  JobState state = JobState::kQueued;
  std::string verdict;           // publish, review or block, once decided
  std::string result_json;       // reasons and faces (boxes and outcomes, never descriptors)
  std::filesystem::path output;  // where the outcome is (or is being) written
  std::filesystem::path previous_output;  // a held outcome to remove before checking again
  int attempts = 0;
  std::string created_at;
};

// The id a photo of these bytes gets on this channel: 32 hex digits of SHA-256.
std::string jobIdFor(const std::string& channel, std::span<const std::uint8_t> bytes);

class JobQueue {
 public:
  // `store_dir` is where originals are kept (DATA/store).
  static Result<std::unique_ptr<JobQueue>> open(const std::filesystem::path& database,
                                                const std::filesystem::path& store_dir);

  // Stores the original (fsynced) and records the job, or returns the existing job for the
  // same bytes and channel. Returns once both are durable.
  Result<Job> submit(std::span<const std::uint8_t> bytes, const Submission& submission);

  Result<std::optional<Job>> find(const std::string& id);

  // Takes the oldest queued job and marks it processing; nullopt when there is none.
  Result<std::optional<Job>> claim();

  // The decision is made: records verdict, result and output path (state finishing).
  Status recordDecision(const std::string& id, const std::string& verdict,
                        const std::string& result_json, const std::filesystem::path& output);
  Status markDone(const std::string& id);
  // Gives a processing job back to the queue (the check could not run: database, models).
  Status release(const std::string& id);

  // After a restart: jobs that were processing go back to the queue (nothing was written for
  // them); jobs that were finishing are returned to be completed.
  Result<std::vector<Job>> recoverAfterRestart();

  // A change to a person's consent or no-photo flag: every held photo in which they were
  // recognised goes back to the queue to be checked again at once (its held copy is removed by
  // the worker that re-checks it). Returns how many. Queued photos need nothing: they are
  // checked against the register as it is when their turn comes.
  Result<int> reopenHeldPhotosOf(const std::string& person);

  // Jobs left finishing for longer than `seconds` (their outcome could not be written, e.g. the
  // disk was full), to be tried again while the service runs.
  Result<std::vector<Job>> stuckFinishing(int seconds);

  Result<int> count(JobState state);

 private:
  JobQueue(std::unique_ptr<reg::Database> db, std::filesystem::path store_dir)
      : db_(std::move(db)), store_dir_(std::move(store_dir)) {}

  std::unique_ptr<reg::Database> db_;
  std::filesystem::path store_dir_;
};

}  // namespace consentguard::queue
