// The audit trail: who did what, when, to which photo, person or account, and what changed.
// Entries are only ever added. Each entry's hash covers its own fields and the hash of the
// entry before it, so an entry edited or deleted behind Consent Guard's back (the database's
// triggers refuse both, but a person with the file can drop them) breaks the chain, and
// verify() names where. The newest entry is also kept in audit_head, so that cutting entries
// off the end shows too.
//
// An AuditLog borrows a Database (the caller's connection, so that an entry can be part of the
// same transaction as the change it records) and, like it, is not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/register/database.h"

namespace consentguard::audit {

struct AuditEntry {
  std::int64_t seq = 0;
  std::string at;       // UTC, ISO 8601 with milliseconds
  std::string actor;    // "user:NAME", "key:NAME", "cli:NAME" or "service"
  std::string action;   // e.g. photo_submitted, verdict, photo_approved, consent_changed, login
  std::string subject;  // a photo id, person id or account name
  std::string details;  // JSON: what changed
  std::string prev_hash;
  std::string hash;
};

// One problem found by verify(), in plain English, with the entry it concerns (0: the head).
struct AuditProblem {
  std::int64_t seq = 0;
  std::string message;
};

struct AuditVerification {
  std::int64_t entries = 0;
  std::string head_hash;  // the newest entry's hash: worth writing down outside the server
  std::vector<AuditProblem> problems;
  bool intact() const { return problems.empty(); }
};

class AuditLog {
 public:
  explicit AuditLog(reg::Database& db) : db_(db) {}

  // Adds an entry (in its own savepoint, or inside the caller's transaction).
  Status append(const std::string& actor, const std::string& action, const std::string& subject,
                const std::string& details = "{}");

  // Entries in order, newest last; `action` empty means every action. With `newest` > 0, only
  // the newest that many (still oldest first).
  Result<std::vector<AuditEntry>> entries(const std::string& action = {}, std::int64_t newest = 0);

  // Walks the whole chain and reports every entry that was edited, deleted or inserted, and
  // entries cut from the end (against audit_head). Reads one consistent snapshot, so it may run
  // while the service is adding entries.
  Result<AuditVerification> verify();

 private:
  static void checkLink(const AuditEntry* previous, const AuditEntry& entry,
                        std::vector<AuditProblem>& problems);
  Status checkHead(const AuditEntry* last, std::vector<AuditProblem>& problems);

  reg::Database& db_;
};

// The hash an entry must have: SHA-256 (hex) over its fields and the previous entry's hash.
std::string entryHash(const AuditEntry& entry);

}  // namespace consentguard::audit
