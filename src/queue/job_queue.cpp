#include "consentguard/queue/job_queue.h"

#include <Poco/SHA2Engine.h>

#include <cstdio>

#include "consentguard/audit/audit_log.h"
#include "consentguard/common/dates.h"
#include "consentguard/common/files.h"
#include "consentguard/common/text.h"
#include "consentguard/queue/offered_faces.h"
#include "consentguard/queue/takedowns.h"
#include "consentguard/register/register_store.h"

namespace consentguard::queue {
namespace {

namespace fs = std::filesystem;

const char* kJobColumns =
    "id, channel, caption, alt_text, file_name, source, original_path, state, verdict, "
    "result_json, output_path, attempts, created_at, previous_output, submitted_by, "
    "first_verdict, decision, decided_by, decision_reason, decided_at, redacted_path";

// A photo the rules blocked only for faces (check::resultJson's "coverable"), not decided by
// anyone since, whose files are still kept: a senior leader may publish a covered copy.
const char* kCoverable =
    "verdict = 'block' AND decision = '' AND purged_at = '' AND "
    "json_extract(result_json, '$.coverable') = 1";

JobState parseState(const std::string& text) {
  if (text == "processing") return JobState::kProcessing;
  if (text == "finishing") return JobState::kFinishing;
  if (text == "done") return JobState::kDone;
  return JobState::kQueued;
}

Job readJob(const reg::Statement& row) {
  Job job;
  job.id = row.text(0);
  job.submission = {row.text(1), row.text(2), row.text(3), row.text(4), row.text(5), row.text(14)};
  job.original = row.text(6);
  job.state = parseState(row.text(7));
  job.verdict = row.text(8);
  job.result_json = row.text(9);
  job.output = row.text(10);
  job.attempts = static_cast<int>(row.integer(11));
  job.created_at = row.text(12);
  job.previous_output = row.text(13);
  job.first_verdict = row.text(15);
  job.decision = {row.text(16), row.text(17), row.text(18), row.text(19)};
  job.redacted = row.text(20);
  return job;
}

}  // namespace

std::string stateName(JobState state) {
  switch (state) {
    case JobState::kProcessing:
      return "processing";
    case JobState::kFinishing:
      return "finishing";
    case JobState::kDone:
      return "done";
    case JobState::kQueued:
      break;
  }
  return "queued";
}

std::string boxKey(const FaceBox& b) {
  return std::to_string(b.x) + "," + std::to_string(b.y) + "," + std::to_string(b.w) + "," +
         std::to_string(b.h);
}

std::optional<FaceBox> parseBoxKey(const std::string& key) {
  FaceBox b;
  char tail = 0;
  if (std::sscanf(key.c_str(), "%d,%d,%d,%d%c", &b.x, &b.y, &b.w, &b.h, &tail) != 4 || b.w <= 0 ||
      b.h <= 0) {
    return std::nullopt;
  }
  return b;
}

std::string jobIdFor(const std::string& channel, std::span<const std::uint8_t> bytes) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(channel);
  sha.update('\0');
  sha.update(bytes.data(), static_cast<unsigned>(bytes.size()));
  return Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 32);
}

Result<std::unique_ptr<JobQueue>> JobQueue::open(const fs::path& database,
                                                 const fs::path& store_dir) {
  auto db = reg::openRegisterDatabase(database);
  if (!db) return db.error();
  std::error_code ec;
  fs::create_directories(store_dir, ec);
  if (ec) {
    return makeError("io_error", "The folder for submitted photos could not be made.",
                     store_dir.string() + ": " + ec.message());
  }
  return std::unique_ptr<JobQueue>(new JobQueue(std::move(db.value()), store_dir));
}

Result<Job> JobQueue::submit(std::span<const std::uint8_t> bytes, const Submission& s,
                             bool* already) {
  const std::string id = jobIdFor(s.channel, bytes);
  auto existing = find(id);
  if (!existing) return existing.error();
  if (already) *already = existing->has_value();
  if (*existing) return **existing;

  // The original is durable on disk before the row that points at it is committed.
  const fs::path original = store_dir_ / id;
  std::error_code ec;
  if (!fs::exists(original, ec)) {
    const std::vector<std::uint8_t> copy(bytes.begin(), bytes.end());
    Status saved = writeFileAtomically(original, copy, /*overwrite=*/false);
    if (!saved && saved.error().code != "output_exists") return saved.error();
  }
  reg::Database::Transaction transaction(*db_);
  if (!transaction.begun()) return transaction.begun().error();
  if (Status s2 = db_->execute(
          "INSERT OR IGNORE INTO jobs (id, channel, caption, alt_text, file_name, source, "
          "original_path, submitted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {id, s.channel, s.caption, s.alt_text, s.file_name, s.source, original.string(),
           s.submitted_by});
      !s2) {
    return s2.error();
  }
  if (db_->changes() == 1) {
    const std::string details = "{\"channel\":" + jsonString(s.channel) +
                                ",\"file_name\":" + jsonString(s.file_name) +
                                ",\"source\":" + jsonString(s.source) + "}";
    const std::string actor = s.submitted_by.empty() ? s.source : s.submitted_by;
    if (Status a = audit::AuditLog(*db_).append(actor, "photo_submitted", id, details); !a) {
      return a.error();
    }
  }
  if (Status c = transaction.commit(); !c) return c.error();
  auto job = find(id);
  if (!job) return job.error();
  if (!*job) return reg::databaseError("job " + id + " vanished after insert");
  return **job;
}

Result<std::optional<Job>> JobQueue::find(const std::string& id) {
  auto stmt = db_->prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({id}).step();
  if (!row) return row.error();
  if (!*row) return std::optional<Job>{};
  return std::optional<Job>{readJob(*stmt)};
}

Result<std::optional<Job>> JobQueue::claim() {
  // One statement: two workers can never claim the same job.
  auto stmt = db_->prepare(
      std::string("UPDATE jobs SET state = 'processing', attempts = attempts + 1, updated_at = "
                  "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = (SELECT id FROM jobs WHERE "
                  "state = 'queued' ORDER BY created_at, id LIMIT 1) RETURNING ") +
      kJobColumns);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::optional<Job>{};
  Job job = readJob(*stmt);
  if (Status s = stmt->run(); !s) return s.error();
  return std::optional<Job>{job};
}

Result<std::int64_t> JobQueue::registerVersion() { return reg::readRegisterVersion(*db_); }

Status JobQueue::recordRepeat(const std::string& job_id, const std::string& file_name) {
  return db_->execute("INSERT OR IGNORE INTO repeat_drops (job_id, file_name) VALUES (?, ?)",
                      {job_id, file_name});
}

Result<std::vector<JobQueue::RepeatDrop>> JobQueue::repeatsOf(const std::string& job_id) {
  auto stmt = db_->prepare(
      "SELECT job_id, file_name, note_path, created_at FROM repeat_drops WHERE job_id = ? "
      "ORDER BY created_at, file_name");
  if (!stmt) return stmt.error();
  stmt->bind({job_id});
  return stmt->collect([](reg::Statement& row) {
    return RepeatDrop{row.text(0), row.text(1), row.text(2), row.text(3)};
  });
}

Status JobQueue::setRepeatNote(const std::string& job_id, const std::string& file_name,
                               const fs::path& note) {
  return db_->execute("UPDATE repeat_drops SET note_path = ? WHERE job_id = ? AND file_name = ?",
                      {note.string(), job_id, file_name});
}

Status JobQueue::recordDecision(const std::string& id, const std::string& verdict,
                                const std::string& result_json, const fs::path& output,
                                std::optional<std::int64_t> register_version) {
  reg::Database::Transaction transaction(*db_);
  if (!transaction.begun()) return transaction.begun();
  if (register_version) {
    // In the same transaction as the decision: no change can land between this and it.
    auto now = registerVersion();
    if (!now) return now.error();
    if (*now != *register_version) {
      return makeError(
          "register_changed",
          "The consent register changed while the photo was being checked; it is "
          "checked again.",
          "version " + std::to_string(*register_version) + " -> " + std::to_string(*now));
    }
  }
  if (Status s = db_->execute(
          "UPDATE jobs SET state = 'finishing', verdict = ?, result_json = ?, output_path = ?, "
          "first_verdict = CASE first_verdict WHEN '' THEN ? ELSE first_verdict END, "
          "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND state = "
          "'processing'",
          {verdict, result_json, output.string(), verdict, id});
      !s) {
    return s;
  }
  if (db_->changes() == 1) {
    // The reasons (codes and faces' outcomes) go with the verdict; never descriptors.
    auto details = db_->prepare(
        "SELECT json_object('verdict', ?, 'reasons', (SELECT json_group_array(json_extract("
        "value, '$.code')) FROM json_each(?, '$.reasons')), 'output', ?)");
    if (!details) return details.error();
    auto row = details->bind({verdict, result_json, output.string()}).step();
    if (!row) return row.error();
    if (Status a = audit::AuditLog(*db_).append("service", "photo_checked", id, details->text(0));
        !a) {
      return a;
    }
  }
  return transaction.commit();
}

Status JobQueue::decide(const std::string& id, const Decision& decision, const std::string& verdict,
                        const fs::path& output, const fs::path& redacted) {
  reg::Database::Transaction transaction(*db_);
  if (!transaction.begun()) return transaction.begun();
  if (Status s = db_->execute(
          "UPDATE jobs SET state = 'finishing', verdict = ?, previous_output = output_path, "
          "output_path = ?, redacted_path = ?, decision = ?, decided_by = ?, decision_reason = "
          "?, decided_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), updated_at = "
          "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND state = 'done' AND (verdict = "
          "'review' OR (? = 'redacted' AND " +
              std::string(kCoverable) + "))",
          {verdict, output.string(), redacted.string(), decision.decision, decision.by,
           decision.reason, id, decision.decision});
      !s) {
    return s;
  }
  if (db_->changes() != 1) {
    return makeError("not_held",
                     "This photo is no longer held: someone else may have decided it already, or "
                     "it is being checked again.",
                     id);
  }
  auto details = db_->prepare("SELECT json_object('verdict', ?, 'reason', ?, 'output', ?)");
  if (!details) return details.error();
  auto row = details->bind({verdict, decision.reason, output.string()}).step();
  if (!row) return row.error();
  if (Status a = audit::AuditLog(*db_).append(decision.by, "photo_" + decision.decision, id,
                                              details->text(0));
      !a) {
    return a;
  }
  // Approving confirms the faces the photo named: each may become a reference photo.
  if (decision.decision == "approved") {
    if (Status o = offerNamedFaces(*db_, id, decision.by); !o) return o;
  }
  return transaction.commit();
}

Result<std::vector<Job>> JobQueue::coverable() {
  auto stmt = db_->prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE state = " +
                           "'done' AND " + kCoverable + " ORDER BY created_at, id");
  if (!stmt) return stmt.error();
  return stmt->collect(readJob);
}

Result<std::vector<Job>> JobQueue::held() {
  auto stmt = db_->prepare(std::string("SELECT ") + kJobColumns +
                           " FROM jobs WHERE state = 'done' AND verdict = 'review' ORDER BY "
                           "created_at, id");
  if (!stmt) return stmt.error();
  return stmt->collect(readJob);
}

Result<std::vector<Job>> JobQueue::submittedBy(const std::string& who, int limit) {
  auto stmt = db_->prepare(std::string("SELECT ") + kJobColumns +
                           " FROM jobs WHERE submitted_by = ? ORDER BY created_at DESC LIMIT ?");
  if (!stmt) return stmt.error();
  return stmt->bind({who, std::int64_t{limit}}).collect(readJob);
}

Status JobQueue::identifyFace(const std::string& id, const std::string& box_key,
                              const std::string& person, const std::string& by) {
  reg::Database::Transaction transaction(*db_);
  if (!transaction.begun()) return transaction.begun();
  if (Status s = db_->execute(
          "INSERT INTO identified_faces (job_id, box, person_id, identified_by) VALUES (?, ?, ?, "
          "?) ON CONFLICT (job_id, box) DO UPDATE SET person_id = excluded.person_id, "
          "identified_by = excluded.identified_by",
          {id, box_key, person, by});
      !s) {
    return s;
  }
  if (Status s = db_->execute(
          "UPDATE jobs SET state = 'queued', previous_output = output_path, output_path = '', "
          "verdict = '', result_json = '', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
          "WHERE id = ? AND state = 'done' AND verdict = 'review'",
          {id});
      !s) {
    return s;
  }
  if (db_->changes() != 1) {
    return makeError("not_held", "This photo is no longer held, so its faces cannot be changed.",
                     id);
  }
  if (Status a = audit::AuditLog(*db_).append(
          by, "face_identified", id,
          "{\"box\":" + jsonString(box_key) + ",\"person\":" + jsonString(person) + "}");
      !a) {
    return a;
  }
  // The face named by a person may become a reference photo of a growing child.
  if (Status o = offerReferenceFace(*db_, id, box_key, person, "identified", by); !o) return o;
  return transaction.commit();
}

Result<std::vector<std::pair<std::string, std::string>>> JobQueue::identifiedFaces(
    const std::string& id) {
  auto stmt = db_->prepare("SELECT box, person_id FROM identified_faces WHERE job_id = ?");
  if (!stmt) return stmt.error();
  return stmt->bind({id}).collect([](reg::Statement& row) {
    return std::pair<std::string, std::string>(row.text(0), row.text(1));
  });
}

Status JobQueue::markDone(const std::string& id) {
  reg::Database::Transaction transaction(*db_);
  if (!transaction.begun()) return transaction.begun();
  if (Status s =
          db_->execute("UPDATE jobs SET state = 'done', previous_output = '', updated_at = "
                       "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ? AND state = 'finishing'",
                       {id});
      !s) {
    return s;
  }
  // Published: who is in it is kept while it is, so that a withdrawal can reach it.
  if (db_->changes() == 1) {
    if (Status s = recordPublishedPeople(*db_, id); !s) return s;
  }
  return transaction.commit();
}

Status JobQueue::release(const std::string& id) {
  return db_->execute("UPDATE jobs SET state = 'queued' WHERE id = ? AND state = 'processing'",
                      {id});
}

Result<std::vector<Job>> JobQueue::recoverAfterRestart() {
  if (Status s = db_->execute("UPDATE jobs SET state = 'queued' WHERE state = 'processing'"); !s) {
    return s.error();
  }
  auto stmt = db_->prepare(std::string("SELECT ") + kJobColumns +
                           " FROM jobs WHERE state = 'finishing' ORDER BY created_at");
  if (!stmt) return stmt.error();
  return stmt->collect(readJob);
}

Result<int> JobQueue::reopenHeldForDevice() {
  if (Status s = db_->execute(
          "UPDATE jobs SET state = 'queued', previous_output = output_path, output_path = '', "
          "verdict = '', result_json = '', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
          "WHERE state = 'done' AND verdict = 'review' AND json_valid(result_json) AND EXISTS "
          "(SELECT 1 FROM json_each(result_json, '$.reasons') WHERE json_extract(value, '$.code') "
          "= 'unregistered_device')");
      !s) {
    return s.error();
  }
  return db_->changes();
}

Result<int> JobQueue::reopenHeldPhotosOf(const std::string& person) {
  if (Status s = db_->execute(
          "UPDATE jobs SET state = 'queued', previous_output = output_path, output_path = '', "
          "verdict = '', result_json = '', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
          "WHERE state = 'done' AND verdict = 'review' AND EXISTS (SELECT 1 FROM "
          "json_each(result_json, '$.faces') WHERE json_extract(value, '$.person') = ?)",
          {person});
      !s) {
    return s.error();
  }
  const int reopened = db_->changes();
  // Photos of them already published on a channel they may no longer appear on come down.
  if (auto raised = raiseTakedowns(*db_, todayIso(), person); !raised) return raised.error();
  return reopened;
}

Result<std::vector<Job>> JobQueue::stuckFinishing(int seconds) {
  auto stmt = db_->prepare(std::string("SELECT ") + kJobColumns +
                           " FROM jobs WHERE state = 'finishing' AND updated_at < "
                           "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?) ORDER BY created_at");
  if (!stmt) return stmt.error();
  return stmt->bind({std::to_string(-seconds) + " seconds"}).collect(readJob);
}

Result<std::vector<Job>> JobQueue::expired(int days) {
  auto stmt = db_->prepare(std::string("SELECT ") + kJobColumns +
                           " FROM jobs WHERE state = 'done' AND verdict != 'review' AND "
                           "purged_at = '' AND updated_at < strftime('%Y-%m-%dT%H:%M:%fZ', "
                           "'now', ?) ORDER BY updated_at LIMIT 500");
  if (!stmt) return stmt.error();
  return stmt->bind({"-" + std::to_string(days) + " days"}).collect(readJob);
}

Status JobQueue::markPurged(const std::string& id, int days) {
  reg::Database::Transaction transaction(*db_);
  if (!transaction.begun()) return transaction.begun();
  if (Status s = db_->execute(
          "UPDATE jobs SET purged_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), result_json = CASE "
          "WHEN json_valid(result_json) THEN json_set(json_remove(result_json, '$.metadata'), "
          "'$.faces', json('[]')) ELSE '' END WHERE id = ? AND purged_at = ''",
          {id});
      !s) {
    return s;
  }
  if (db_->changes() != 1) return transaction.commit();
  if (Status s = db_->execute("DELETE FROM identified_faces WHERE job_id = ?", {id}); !s) return s;
  // Where a pupil's face was in the photo goes with the photo.
  if (Status s = db_->execute("DELETE FROM offered_faces WHERE job_id = ?", {id}); !s) return s;
  if (Status a = audit::AuditLog(*db_).append("service", "photo_deleted", id,
                                              "{\"retention_days\":" + std::to_string(days) + "}");
      !a) {
    return a;
  }
  return transaction.commit();
}

Result<int> JobQueue::count(JobState state) {
  auto stmt = db_->prepare("SELECT count(*) FROM jobs WHERE state = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({stateName(state)}).step();
  if (!row) return row.error();
  return static_cast<int>(stmt->integer(0));
}

}  // namespace consentguard::queue
