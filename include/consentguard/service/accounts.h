// The people who sign in to Consent Guard's pages, their roles and their sessions.
//   office: submits photos and sees their own;   slt: reviews held photos and decides;
//   dsl: all that slt may, plus incidents, the no-photo list's restricted notes and the report;
//   admin: accounts, the register, devices and API keys.
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

namespace consentguard::service {

enum class Role { kOffice, kSlt, kDsl, kAdmin };
std::string roleName(Role role);
std::optional<Role> parseRole(const std::string& text);

// What each role may do; the pages and routes ask these, never the role directly.
bool canReview(Role role);          // slt, dsl
bool canSeeIncidents(Role role);    // dsl
bool canManageAccounts(Role role);  // admin
bool canSeeRegister(Role role);     // admin, dsl
bool canChangeRegister(Role role);  // admin (the DSL changes only the no-photo list)
bool canSeeNoPhotoNotes(Role role);  // dsl

struct Account {
  std::int64_t id = 0;
  std::string name;
  Role role = Role::kOffice;
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
  Status create(const std::string& name, Role role, const std::string& password,
                const std::string& actor);
  Status setPassword(const std::string& name, const std::string& password,
                     const std::string& actor);
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
