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
  std::string file_name;     // as submitted (the folder's file name, or the API's file_name)
  std::string source;        // "folder" or "api" (the API and the upload page)
  std::string submitted_by;  // who, for the audit trail and "my photos": "key:NAME", "user:NAME"
};

// What a senior leader decided about a held photo.
struct Decision {
  std::string decision;  // approved, rejected or redacted
  std::string by;        // "user:NAME"
  std::string reason;    // required for a rejection
  std::string at;
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
  std::string first_verdict;       // what the checks said first, before any SLT decision
  Decision decision;               // empty until SLT decide
  std::filesystem::path redacted;  // the redacted copy SLT approved, published instead
};

// A face's box as SLT's identifications key it: "x,y,w,h" in the upright photo's pixels.
struct FaceBox {
  int x = 0, y = 0, w = 0, h = 0;
};
std::string boxKey(const FaceBox& box);
std::optional<FaceBox> parseBoxKey(const std::string& key);

// The id a photo of these bytes gets on this channel: 32 hex digits of SHA-256.
std::string jobIdFor(const std::string& channel, std::span<const std::uint8_t> bytes);

class JobQueue {
 public:
  // `store_dir` is where originals are kept (DATA/store).
  static Result<std::unique_ptr<JobQueue>> open(const std::filesystem::path& database,
                                                const std::filesystem::path& store_dir);

  // Stores the original (fsynced) and records the job, or returns the existing job for the
  // same bytes and channel (then `*already`, when given, is set). Returns once both are durable.
  Result<Job> submit(std::span<const std::uint8_t> bytes, const Submission& submission,
                     bool* already = nullptr);

  // The register's version: raised by every change to people (the no-photo list, biometric
  // consent), consent, templates and devices (schema 12's triggers).
  Result<std::int64_t> registerVersion();

  // A drop into an inbox that repeats job `job_id`'s bytes under its own `file_name`: recorded
  // once per name, so that the name gets its note (service/outcome_writer.h). The note's path
  // is recorded when it is written.
  struct RepeatDrop {
    std::string job_id, file_name;
    std::filesystem::path note;  // empty until written
    std::string created_at;
  };
  Status recordRepeat(const std::string& job_id, const std::string& file_name);
  Result<std::vector<RepeatDrop>> repeatsOf(const std::string& job_id);
  Status setRepeatNote(const std::string& job_id, const std::string& file_name,
                       const std::filesystem::path& note);

  Result<std::optional<Job>> find(const std::string& id);

  // Takes the oldest queued job and marks it processing; nullopt when there is none.
  Result<std::optional<Job>> claim();

  // The decision is made: records verdict, result and output path (state finishing).
  // The checks' verdict is also written to the audit trail, and kept as first_verdict.
  // With `register_version` (read before the check began), nothing is recorded unless the
  // register is still at that version: the error "register_changed" means check it again.
  Status recordDecision(const std::string& id, const std::string& verdict,
                        const std::string& result_json, const std::filesystem::path& output,
                        std::optional<std::int64_t> register_version = std::nullopt);
  Status markDone(const std::string& id);

  // SLT's decision on a held photo (done, verdict review): records it with the new verdict
  // (publish or block), the output to write and the redacted copy if any, moves the job to
  // finishing with the held copy as previous_output, and writes the audit entry, in one
  // transaction. Approving offers each face it names as a pupil's new reference photo
  // (queue/offered_faces.h). A "redacted" decision may also be made on a coverable photo (below);
  // nothing else may be decided about a blocked one. Fails with "not_held" when the photo is not
  // (or no longer) open to the decision.
  Status decide(const std::string& id, const Decision& decision, const std::string& verdict,
                const std::filesystem::path& output, const std::filesystem::path& redacted = {});

  // Held photos, oldest first; and every job submitted by `who`, newest first.
  Result<std::vector<Job>> held();
  // Blocked photos a covered copy could save: blocked only for faces (no photo, no consent,
  // too many children), not yet decided by anyone, files still kept. Oldest first.
  Result<std::vector<Job>> coverable();
  Result<std::vector<Job>> submittedBy(const std::string& who, int limit);
  // A senior leader identified an unknown face (by its box) as a person: recorded, audited,
  // and the held photo goes back to the queue to be checked again with that face known. The face
  // is offered as a new reference photo of a pupil with biometric consent (offered_faces.h).
  Status identifyFace(const std::string& id, const std::string& box_key, const std::string& person,
                      const std::string& by);
  // Faces identified by SLT in a job: box key ("x,y,w,h") -> person.
  Result<std::vector<std::pair<std::string, std::string>>> identifiedFaces(const std::string& id);

  // Gives a processing job back to the queue (the check could not run: database, models).
  Status release(const std::string& id);

  // After a restart: jobs that were processing go back to the queue (nothing was written for
  // them); jobs that were finishing are returned to be completed.
  Result<std::vector<Job>> recoverAfterRestart();

  // A change to a person's consent or no-photo flag: every held photo in which they were
  // recognised goes back to the queue to be checked again at once (its held copy is removed by
  // the worker that re-checks it). Returns how many. Queued photos need nothing: they are
  // checked against the register as it is when their turn comes. Published photos of them on a
  // channel they may no longer appear on get a takedown (queue/takedowns.h).
  Result<int> reopenHeldPhotosOf(const std::string& person);

  // A device was registered as the school's: every photo held for an unregistered device goes
  // back to the queue (those from other devices are held again). Returns how many.
  Result<int> reopenHeldForDevice();

  // Jobs left finishing for longer than `seconds` (their outcome could not be written, e.g. the
  // disk was full), to be tried again while the service runs.
  Result<std::vector<Job>> stuckFinishing(int seconds);

  Result<int> count(JobState state);

  reg::Database& database() { return *db_; }

  // Retention: finished jobs whose outcome is older than `days` days and whose files are still
  // kept. Held photos wait for a decision and are never among them.
  Result<std::vector<Job>> expired(int days);
  // The job's files have been deleted: its record drops the faces (who was in it) and SLT's
  // identifications, keeps the verdict, reason codes and decision, and is audited.
  Status markPurged(const std::string& id, int days);

 private:
  JobQueue(std::unique_ptr<reg::Database> db, std::filesystem::path store_dir)
      : db_(std::move(db)), store_dir_(std::move(store_dir)) {}

  std::unique_ptr<reg::Database> db_;
  std::filesystem::path store_dir_;
};

}  // namespace consentguard::queue
