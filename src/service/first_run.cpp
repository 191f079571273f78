#include "consentguard/service/first_run.h"

#include <Poco/SHA2Engine.h>

#include <cctype>

#include "consentguard/audit/audit_log.h"
#include "consentguard/service/accounts.h"

namespace consentguard::service {
namespace {

std::string sha256(const std::string& text) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(text);
  return Poco::DigestEngine::digestToHex(sha.digest());
}

// As typed: case, spaces and hyphens do not matter.
std::string normalised(const std::string& code) {
  std::string out;
  for (unsigned char c : code) {
    if (std::isalnum(c)) out += static_cast<char>(std::toupper(c));
  }
  return out;
}

Result<int> accountCount(reg::Database& db) {
  auto stmt = db.prepare("SELECT count(*) FROM users");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return static_cast<int>(stmt->integer(0));
}

}  // namespace

Result<bool> needsFirstAdmin(reg::Database& db) {
  auto n = accountCount(db);
  if (!n) return n.error();
  return *n == 0;
}

Result<std::optional<std::string>> issueSetupCode(reg::Database& db) {
  auto needed = needsFirstAdmin(db);
  if (!needed) return needed.error();
  if (!*needed) {
    if (Status s = db.execute("DELETE FROM setup_code"); !s) return s.error();
    return std::optional<std::string>();
  }
  // No 0/O or 1/I: it is read from a log and typed.
  static const std::string kAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const std::string random = randomHex(12);
  std::string code;
  for (size_t i = 0; i < 12; ++i) {
    const int byte = std::stoi(random.substr(2 * i, 2), nullptr, 16);
    code += kAlphabet[static_cast<size_t>(byte) % kAlphabet.size()];
    if (i == 3 || i == 7) code += '-';
  }
  if (Status s = db.execute(
          "INSERT OR REPLACE INTO setup_code (id, code_sha256, failures) VALUES (1, ?, 0)",
          {sha256(normalised(code))});
      !s) {
    return s.error();
  }
  return std::optional<std::string>(code);
}

Status makeFirstAdmin(reg::Database& db, const std::string& code, const std::string& name,
                      const std::string& password) {
  reg::Database::Transaction transaction(db);
  if (!transaction.begun()) return transaction.begun();
  auto needed = needsFirstAdmin(db);
  if (!needed) return needed.error();
  if (!*needed) {
    return makeError("already_set_up",
                     "Consent Guard is already set up: sign in, or ask an administrator for an "
                     "account.");
  }
  auto stmt = db.prepare("SELECT code_sha256, failures FROM setup_code WHERE id = 1");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) {
    return makeError("no_code",
                     "There is no set-up code. Restart the service: it prints a new one in its "
                     "log.");
  }
  const std::string stored = stmt->text(0);
  const auto failures = stmt->integer(1);
  if (failures >= kMaxSetupCodeFailures) {
    return makeError("code_locked",
                     "The set-up code was entered wrongly too many times. Restart the service "
                     "for a new one (it is printed in the log).");
  }
  if (!sameSecret(sha256(normalised(code)), stored)) {
    if (Status s = db.execute("UPDATE setup_code SET failures = failures + 1"); !s) return s;
    if (Status c = transaction.commit(); !c) return c;
    return makeError("bad_code",
                     "That is not the set-up code. It is in the service's log, in the form "
                     "ABCD-EFGH-JKLM.");
  }
  if (Status s = Accounts(db).create(name, Role::kAdmin, password, "setup"); !s) return s;
  if (Status s = db.execute("DELETE FROM setup_code"); !s) return s;
  if (Status a = audit::AuditLog(db).append("setup", "first_admin_created", name, "{}"); !a) {
    return a;
  }
  return transaction.commit();
}

}  // namespace consentguard::service
