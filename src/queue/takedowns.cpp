#include "consentguard/queue/takedowns.h"

#include "consentguard/audit/audit_log.h"
#include "consentguard/common/text.h"

namespace consentguard::queue {
namespace {

// The photo was published when its job was last marked done (updated_at); a senior leader
// approved it when they decided to publish it, or a covered copy of it.
const char* kColumns =
    "t.id, t.job_id, t.channel, t.person_id, t.reason, t.since, t.done_at, t.done_by, "
    "coalesce(j.file_name, ''), t.withdrawn_copy, coalesce(j.caption, ''), "
    "coalesce(j.updated_at, ''), coalesce(j.submitted_by, ''), CASE WHEN j.decision IN "
    "('approved', 'redacted') THEN j.decided_by ELSE '' END, coalesce(j.output_path, ''), "
    "coalesce(j.original_path, '')";

const char* kFrom = " FROM takedowns t LEFT JOIN jobs j ON j.id = t.job_id ";

Takedown readTakedown(const reg::Statement& r) {
  return {r.integer(0), r.text(1),  r.text(2),  r.text(3), r.text(4),  r.text(5),
          r.text(6),    r.text(7),  r.text(8),  r.text(9), r.text(10), r.text(11),
          r.text(12),   r.text(13), r.text(14), r.text(15)};
}

}  // namespace

Status recordPublishedPeople(reg::Database& db, const std::string& job_id) {
  // The faces that are in the published copy: recognised as consented (or staff), or
  // identified by SLT. A face covered in a redacted copy was one that may not be published.
  return db.execute(
      "INSERT OR IGNORE INTO published_people (job_id, person_id, channel, how) SELECT j.id, "
      "json_extract(f.value, '$.person'), j.channel, CASE WHEN json_extract(f.value, "
      "'$.identified_by_slt') THEN 'identified' ELSE 'recognised' END FROM jobs j, "
      "json_each(j.result_json, '$.faces') f WHERE j.id = ? AND j.verdict = 'publish' AND "
      "json_valid(j.result_json) AND json_extract(f.value, '$.person') IS NOT NULL AND "
      "json_extract(f.value, '$.status') IN ('consented', 'staff')",
      {job_id});
}

Result<std::vector<Takedown>> raiseTakedowns(reg::Database& db, const std::string& today,
                                             const std::string& person) {
  reg::Database::Transaction transaction(db);
  if (!transaction.begun()) return transaction.begun().error();
  auto due = db.prepare(
      "SELECT pp.job_id, pp.channel, pp.person_id, CASE WHEN p.no_photo = 1 THEN 'no_photo' "
      "WHEN c.status = 'granted' AND c.expires_on <> '' AND ?1 > c.expires_on THEN "
      "'consent_expired' ELSE 'consent_withdrawn' END FROM published_people pp JOIN people p ON "
      "p.id = pp.person_id LEFT JOIN consent c ON c.person_id = pp.person_id AND c.channel = "
      "pp.channel WHERE (p.no_photo = 1 OR c.status IS NULL OR c.status <> 'granted' OR "
      "(c.expires_on <> '' AND ?1 > c.expires_on)) AND (?2 = '' OR pp.person_id = ?2) AND NOT "
      "EXISTS (SELECT 1 FROM takedowns t WHERE t.job_id = pp.job_id) ORDER BY pp.job_id, "
      "pp.person_id");
  if (!due) return due.error();
  due->bind({today, person});
  auto rows = due->collect([](const reg::Statement& r) {
    return std::vector<std::string>{r.text(0), r.text(1), r.text(2), r.text(3)};
  });
  if (!rows) return rows.error();
  std::vector<std::int64_t> raised;
  for (const auto& row : *rows) {
    // One takedown per photo: a second person in it adds nothing to do.
    if (Status s = db.execute(
            "INSERT OR IGNORE INTO takedowns (job_id, channel, person_id, reason) VALUES (?, ?, "
            "?, ?)",
            {row[0], row[1], row[2], row[3]});
        !s) {
      return s.error();
    }
    if (db.changes() != 1) continue;
    auto id = db.prepare("SELECT id FROM takedowns WHERE job_id = ?");
    if (!id) return id.error();
    auto found = id->bind({row[0]}).step();
    if (!found) return found.error();
    raised.push_back(id->integer(0));
    if (Status a = audit::AuditLog(db).append("service", "takedown_raised", row[0],
                                              "{\"takedown\":" + std::to_string(raised.back()) +
                                                  ",\"channel\":" + jsonString(row[1]) +
                                                  ",\"person\":" + jsonString(row[2]) +
                                                  ",\"reason\":" + jsonString(row[3]) + "}");
        !a) {
      return a.error();
    }
  }
  if (Status c = transaction.commit(); !c) return c.error();
  std::vector<Takedown> out;
  for (auto id : raised) {
    auto t = findTakedown(db, id);
    if (!t) return t.error();
    if (*t) out.push_back(**t);
  }
  return out;
}

Result<std::vector<Takedown>> openTakedowns(reg::Database& db, const std::string& channel) {
  auto stmt = db.prepare(std::string("SELECT ") + kColumns + kFrom +
                         "WHERE t.done_at = '' AND (?1 = '' OR t.channel = ?1) ORDER BY "
                         "t.since, t.id");
  if (!stmt) return stmt.error();
  return stmt->bind({channel}).collect(readTakedown);
}

Result<std::optional<Takedown>> findTakedown(reg::Database& db, std::int64_t id) {
  auto stmt = db.prepare(std::string("SELECT ") + kColumns + kFrom + "WHERE t.id = ?");
  if (!stmt) return stmt.error();
  auto rows = stmt->bind({id}).collect(readTakedown);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Takedown>();
  return std::optional<Takedown>(rows->front());
}

Result<bool> isTakenDown(reg::Database& db, const std::string& job_id) {
  auto stmt = db.prepare("SELECT count(*) FROM takedowns WHERE job_id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({job_id}).step();
  if (!row) return row.error();
  return stmt->integer(0) > 0;
}

Status markTakedownDone(reg::Database& db, std::int64_t id, const std::string& by) {
  reg::Database::Transaction transaction(db);
  if (!transaction.begun()) return transaction.begun();
  auto takedown = findTakedown(db, id);
  if (!takedown) return takedown.error();
  if (!*takedown) {
    return makeError("not_found", "There is no takedown " + std::to_string(id) + ".");
  }
  if (!(*takedown)->done_at.empty()) return transaction.commit();
  if (Status s = db.execute(
          "UPDATE takedowns SET done_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), done_by = ? "
          "WHERE id = ? AND done_at = ''",
          {by, id});
      !s) {
    return s;
  }
  // The photo is no longer published: who was in it need not be kept.
  if (Status s = db.execute("DELETE FROM published_people WHERE job_id = ?", {(*takedown)->photo});
      !s) {
    return s;
  }
  if (Status a = audit::AuditLog(db).append(by, "takedown_done", (*takedown)->photo,
                                            "{\"takedown\":" + std::to_string(id) + "}");
      !a) {
    return a;
  }
  return transaction.commit();
}

Result<std::vector<Takedown>> takedownsToWithdraw(reg::Database& db) {
  auto stmt = db.prepare(std::string("SELECT ") + kColumns + kFrom +
                         "WHERE t.withdrawn_copy = '' ORDER BY t.since, t.id");
  if (!stmt) return stmt.error();
  return stmt->collect(readTakedown);
}

Result<std::vector<Takedown>> doneWithCopies(reg::Database& db) {
  auto stmt = db.prepare(std::string("SELECT ") + kColumns + kFrom +
                         "WHERE t.done_at <> '' AND t.withdrawn_copy NOT IN ('', ?) ORDER BY t.id");
  if (!stmt) return stmt.error();
  return stmt->bind({std::string(kNoCopyFound)}).collect(readTakedown);
}

Status recordWithdrawnCopy(reg::Database& db, std::int64_t id, const std::string& from,
                           const std::string& copy) {
  reg::Database::Transaction transaction(db);
  if (!transaction.begun()) return transaction.begun();
  if (Status s = db.execute(
          "UPDATE takedowns SET withdrawn_copy = ? WHERE id = ? AND withdrawn_copy = '' AND "
          "EXISTS (SELECT 1 FROM jobs j WHERE j.id = takedowns.job_id AND j.output_path = ?)",
          {copy, id, from});
      !s) {
    return s;
  }
  const auto changed = [&] {
    return makeError("changed",
                     "Takedown " + std::to_string(id) +
                         " changed while its published copy was being moved; it is tried again.",
                     from);
  };
  if (db.changes() != 1) return changed();
  if (copy != kNoCopyFound) {
    // updated_at stays: it is when the photo was published, and what retention counts from.
    if (Status s = db.execute(
            "UPDATE jobs SET output_path = ? WHERE output_path = ? AND id = (SELECT job_id FROM "
            "takedowns WHERE id = ?)",
            {copy, from, id});
        !s) {
      return s;
    }
    if (db.changes() != 1) return changed();
  }
  return transaction.commit();
}

}  // namespace consentguard::queue
