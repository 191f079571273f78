// The people who sign in to Consent Guard's pages, their roles (roles.h: one account may hold
// several) and their sessions.
// Passwords are kept as PBKDF2-HMAC-SHA256 with a random salt per account (the iteration count
// is stored with each, so it can be raised later). After kMaxFailedLogins wrong passwords in a
// row an account is locked for kLockMinutes. A session is a random token in a cookie; only
// its SHA-256 is stored, with the session's CSRF token, and it ends after kSessionHours.
// Every sign-in, failure, lock-out and account change is written to the audit trail.
//
// Accounts borrows a Database and, like it, is not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/register/database.h"
#include "consentguard/service/roles.h"

namespace consentguard::service {

struct Account {
  std::int64_t id = 0;
  std::string name;
  Roles roles = Role::kOffice;
  bool disabled = false;
  std::string email;  // where Consent Guard's mail for them goes; empty for none
};

struct Session {
  Account account;
  std::string csrf_token;
};

struct NewSession {
  std::string token;  // for the cookie; not stored
  Session session;
};

class Accounts {
 public:
  static constexpr int kMaxFailedLogins = 5;
  static constexpr int kLockMinutes = 15;
  static constexpr int kSessionHours = 8;
  static constexpr int kMinPasswordLength = 10;
  static constexpr int kIterations = 600000;

  // `actor` is who makes account changes, for the audit trail ("cli:NAME", "user:NAME").
  explicit Accounts(reg::Database& db) : db_(db) {}

  // Errors: "bad_name", "bad_password" (too short), "name_taken".
  Status create(const std::string& name, const Roles& roles, const std::string& password,
                const std::string& actor);
  // An admin's reset, or the command line's: no current password asked; every session ends.
  Status setPassword(const std::string& name, const std::string& password,
                     const std::string& actor);
  // Someone changing their own password: the current one first. Errors: "bad_login" (the
  // current password is not right), "bad_password", "same_password".
  Status changeOwnPassword(const std::string& name, const std::string& current,
                           const std::string& password);
  // Errors: "no_roles" (an account holds at least one), "no_account".
  Status setRoles(const std::string& name, const Roles& roles, const std::string& actor);
  Status setDisabled(const std::string& name, bool disabled, const std::string& actor);
  // Errors: "bad_email" (not one address), "no_account". An empty address removes it.
  Status setEmail(const std::string& name, const std::string& email, const std::string& actor);
  Result<std::vector<Account>> list();

  // Checks a name and password. Errors: "bad_login" (the same for an unknown name and a wrong
  // password), "locked" (too many wrong passwords: try again later), "disabled".
  Result<NewSession> signIn(const std::string& name, const std::string& password);
  // The session for a cookie's token, if it is known and current.
  Result<std::optional<Session>> session(const std::string& token);
  Status signOut(const std::string& token);

 private:
  reg::Database& db_;
};

// Compares secrets in time that does not depend on where they differ.
bool sameSecret(const std::string& a, const std::string& b);
// `bytes` random bytes from the operating system, as hex.
std::string randomHex(int bytes);

}  // namespace consentguard::service
