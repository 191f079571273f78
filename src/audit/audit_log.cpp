#include "consentguard/audit/audit_log.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace consentguard::audit {
namespace {

AuditEntry readEntry(reg::Statement& row) {
  return {row.integer(0), row.text(1), row.text(2), row.text(3),
          row.text(4),    row.text(5), row.text(6), row.text(7)};
}

const char* kColumns = "seq, at, actor, action, subject, details, prev_hash, hash";

}  // namespace

std::string entryHash(const AuditEntry& e) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  // Each field is preceded by its length, so no two different entries hash the same text.
  for (const std::string& field :
       {std::to_string(e.seq), e.at, e.actor, e.action, e.subject, e.details, e.prev_hash}) {
    sha.update(std::to_string(field.size()) + ":");
    sha.update(field);
  }
  return Poco::DigestEngine::digestToHex(sha.digest());
}

Status AuditLog::append(const std::string& actor, const std::string& action,
                        const std::string& subject, const std::string& details) {
  // BEGIN IMMEDIATE (or the caller's transaction) holds the write lock from reading the head to
  // writing the entry, so two writers can never chain onto the same entry.
  reg::Database::Transaction transaction(db_);
  if (!transaction.begun()) return transaction.begun().error();
  auto head = db_.prepare(
      "SELECT coalesce((SELECT seq FROM audit_head WHERE id = 1), 0), "
      "coalesce((SELECT hash FROM audit_head WHERE id = 1), ''), "
      "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
  if (!head) return head.error();
  if (auto row = head->step(); !row) return row.error();
  AuditEntry entry{
      head->integer(0) + 1, head->text(2), actor, action, subject, details, head->text(1), ""};
  entry.hash = entryHash(entry);
  if (Status s = db_.execute(
          "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.details,
           entry.prev_hash, entry.hash});
      !s) {
    return s;
  }
  if (Status s =
          db_.execute("INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) "
                      "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                      {entry.seq, entry.hash});
      !s) {
    return s;
  }
  return transaction.commit();
}

Result<std::vector<AuditEntry>> AuditLog::entries(const std::string& action, std::int64_t newest) {
  // LIMIT -1 is no limit; the newest are taken first, then put back in order.
  auto stmt = db_.prepare(std::string("SELECT * FROM (SELECT ") + kColumns +
                          " FROM audit_log WHERE ? = '' OR action = ? ORDER BY seq DESC LIMIT ?)"
                          " ORDER BY seq");
  if (!stmt) return stmt.error();
  stmt->bind({action, action, newest > 0 ? newest : std::int64_t{-1}});
  return stmt->collect(readEntry);
}

Result<AuditVerification> AuditLog::verify() {
  // A transaction, so that the entries and the head are read as one snapshot even while
  // another connection adds entries. Nothing is written; it rolls back.
  reg::Database::Transaction snapshot(db_);
  if (!snapshot.begun()) return snapshot.begun().error();
  auto all = entries();
  if (!all) return all.error();
  AuditVerification report;
  report.entries = static_cast<std::int64_t>(all->size());
  const AuditEntry* previous = nullptr;
  for (const AuditEntry& e : *all) {
    checkLink(previous, e, report.problems);
    if (entryHash(e) != e.hash) {
      report.problems.push_back(
          {e.seq, "Entry " + std::to_string(e.seq) + " has been changed since it was written."});
    }
    previous = &e;
  }
  report.head_hash = previous ? previous->hash : "";
  if (Status s = checkHead(previous, report.problems); !s) return s.error();
  return report;
}

void AuditLog::checkLink(const AuditEntry* previous, const AuditEntry& e,
                         std::vector<AuditProblem>& problems) {
  const std::int64_t expected = previous ? previous->seq + 1 : 1;
  const std::string n = std::to_string(expected);
  if (e.seq != expected) {
    problems.push_back({expected, e.seq == expected + 1
                                      ? "Entry " + n + " has been deleted."
                                      : "Entries " + n + " to " + std::to_string(e.seq - 1) +
                                            " have been deleted."});
  } else if (e.prev_hash != (previous ? previous->hash : "")) {
    problems.push_back(
        {e.seq,
         "Entry " + std::to_string(e.seq) +
             (previous ? " does not follow entry " + std::to_string(previous->seq) + ": entry " +
                             std::to_string(previous->seq) + " has been replaced."
                       : " should be the first entry but follows another: the entries "
                         "before it have been removed.")});
  }
}

Status AuditLog::checkHead(const AuditEntry* last, std::vector<AuditProblem>& problems) {
  auto head = db_.prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
  if (!head) return head.error();
  auto row = head->step();
  if (!row) return row.error();
  const std::int64_t headSeq = *row ? head->integer(0) : 0;
  const std::int64_t lastSeq = last ? last->seq : 0;
  if (headSeq == lastSeq && (*row ? head->text(1) : "") == (last ? last->hash : "")) {
    return okStatus();
  }
  if (!*row) {
    problems.push_back({0, "The record of the newest entry is missing: it has been deleted."});
  } else if (headSeq != lastSeq) {
    problems.push_back({0, "The newest entry on record is entry " + std::to_string(headSeq) +
                               " but the trail ends at entry " + std::to_string(lastSeq) +
                               ": entries have been cut from the end, or the record of the "
                               "newest entry was changed."});
  } else {
    problems.push_back({0, "The newest entry, entry " + std::to_string(lastSeq) +
                               ", is not the one on record: it has been replaced."});
  }
  return okStatus();
}

}  // namespace consentguard::audit
