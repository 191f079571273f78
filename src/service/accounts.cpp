#include "consentguard/service/accounts.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>

#include "consentguard/audit/audit_log.h"
#include "consentguard/common/text.h"

namespace consentguard::service {
namespace {

std::string toHex(const unsigned char* data, size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (size_t i = 0; i < size; ++i) {
    hex += digits[data[i] >> 4];
    hex += digits[data[i] & 15];
  }
  return hex;
}

std::string passwordHash(const std::string& password, const std::string& salt, int iterations) {
  unsigned char out[32];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(), sizeof out, out);
  return toHex(out, sizeof out);
}

std::string sha256Hex(const std::string& text) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(text);
  return Poco::DigestEngine::digestToHex(sha.digest());
}

Status checkPassword(const std::string& password) {
  if (password.size() < static_cast<size_t>(Accounts::kMinPasswordLength)) {
    return makeError("bad_password", "The password must be at least " +
                                         std::to_string(Accounts::kMinPasswordLength) +
                                         " characters long.");
  }
  return okStatus();
}

Status audited(reg::Database& db, const std::string& actor, const std::string& action,
               const std::string& subject, const std::string& details = "{}") {
  return audit::AuditLog(db).append(actor, action, subject, details);
}

// An account's roles as one text ("slt,dsl"), for a query whose users row is `u`.
#define ROLES_OF_U \
  "(SELECT group_concat(role, ',') FROM user_roles r WHERE r.user_id = u.id)"

// An account whose roles cannot be read holds none.
Roles rolesOf(const std::string& stored) { return Roles::parse(stored).value_or(Roles{}); }

struct StoredLogin {
  Account account;
  std::string salt, hash;
  int iterations = 0;
  bool locked = false;
};

Result<std::optional<StoredLogin>> findLogin(reg::Database& db, const std::string& name) {
  auto stmt = db.prepare(
      "SELECT id, name, " ROLES_OF_U ", disabled, password_salt, password_hash, "
      "password_iterations, locked_until > strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM users u "
      "WHERE name = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({name}).step();
  if (!row) return row.error();
  if (!*row) return std::optional<StoredLogin>{};
  StoredLogin login;
  login.account = {stmt->integer(0), stmt->text(1), rolesOf(stmt->text(2)),
                   stmt->integer(3) != 0, ""};
  login.salt = stmt->text(4);
  login.hash = stmt->text(5);
  login.iterations = static_cast<int>(stmt->integer(6));
  login.locked = stmt->integer(7) != 0;
  return std::optional<StoredLogin>{login};
}

Error badLogin() {
  return makeError("bad_login", "The name or password is not right. Check them and try again.");
}

}  // namespace

bool sameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string randomHex(int bytes) {
  std::vector<unsigned char> buffer(static_cast<size_t>(bytes));
  if (RAND_bytes(buffer.data(), bytes) != 1) {
    throw std::runtime_error("the operating system's random number generator failed");
  }
  return toHex(buffer.data(), buffer.size());
}

Status writeRoles(reg::Database& db, const std::string& name, const Roles& roles) {
  if (Status s = db.execute(
          "DELETE FROM user_roles WHERE user_id = (SELECT id FROM users WHERE name = ?)", {name});
      !s) {
    return s;
  }
  for (Role role : roles.list()) {
    if (Status s = db.execute(
            "INSERT INTO user_roles (user_id, role) SELECT id, ? FROM users WHERE name = ?",
            {roleName(role), name});
        !s) {
      return s;
    }
  }
  return okStatus();
}

Status Accounts::create(const std::string& name, const Roles& roles, const std::string& password,
                        const std::string& actor) {
  const bool nameOk = !name.empty() && name.size() <= 64 &&
                      std::all_of(name.begin(), name.end(), [](unsigned char c) {
                        return std::isalnum(c) || c == '.' || c == '-' || c == '_';
                      });
  if (!nameOk) {
    return makeError("bad_name",
                     "An account name is 1 to 64 letters, digits, dots, hyphens or underscores.",
                     name);
  }
  if (roles.empty()) return makeError("no_roles", "Choose at least one role for the account.");
  if (Status s = checkPassword(password); !s) return s;
  auto existing = findLogin(db_, name);
  if (!existing) return existing.error();
  if (*existing) return makeError("name_taken", "There is already an account called " + name + ".");
  const std::string salt = randomHex(16);
  reg::Database::Transaction transaction(db_);
  if (!transaction.begun()) return transaction.begun();
  if (Status s = db_.execute(
          "INSERT INTO users (name, role, password_salt, password_hash, password_iterations) "
          "VALUES (?, ?, ?, ?, ?)",
          {name, roleName(roles.list().front()), salt, passwordHash(password, salt, kIterations),
           std::int64_t{kIterations}});
      !s) {
    return s;
  }
  if (Status s = writeRoles(db_, name, roles); !s) return s;
  if (Status s = audited(db_, actor, "account_created", name,
                         "{\"roles\":" + jsonString(roles.names()) + "}");
      !s) {
    return s;
  }
  return transaction.commit();
}

Status Accounts::setPassword(const std::string& name, const std::string& password,
                             const std::string& actor) {
  if (Status s = checkPassword(password); !s) return s;
  const std::string salt = randomHex(16);
  reg::Database::Transaction transaction(db_);
  if (!transaction.begun()) return transaction.begun();
  if (Status s = db_.execute(
          "UPDATE users SET password_salt = ?, password_hash = ?, password_iterations = ?, "
          "failed_logins = 0, locked_until = '' WHERE name = ?",
          {salt, passwordHash(password, salt, kIterations), std::int64_t{kIterations}, name});
      !s) {
    return s;
  }
  if (db_.changes() != 1)
    return makeError("no_account", "There is no account called " + name + ".");
  // A new password ends every session the old one opened.
  if (Status s = db_.execute(
          "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", {name});
      !s) {
    return s;
  }
  if (Status s = audited(db_, actor, "password_changed", name); !s) return s;
  return transaction.commit();
}

Status Accounts::changeOwnPassword(const std::string& name, const std::string& current,
                                   const std::string& password) {
  auto login = findLogin(db_, name);
  if (!login) return login.error();
  if (!*login || !sameSecret(passwordHash(current, (*login)->salt, (*login)->iterations),
                             (*login)->hash)) {
    (void)audited(db_, "user:" + name, "password_change_refused", name,
                  "{\"why\":\"current password not right\"}");
    return makeError("bad_login", "Your current password is not right. Type it again.");
  }
  if (current == password) {
    return makeError("same_password", "The new password is the same as the current one.");
  }
  return setPassword(name, password, "user:" + name);
}

Status Accounts::setRoles(const std::string& name, const Roles& roles, const std::string& actor) {
  if (roles.empty()) return makeError("no_roles", "An account holds at least one role.");
  reg::Database::Transaction transaction(db_);
  if (!transaction.begun()) return transaction.begun();
  auto login = findLogin(db_, name);
  if (!login) return login.error();
  if (!*login) return makeError("no_account", "There is no account called " + name + ".");
  const Roles before = (*login)->account.roles;
  if (before == roles) return okStatus();
  if (Status s = writeRoles(db_, name, roles); !s) return s;
  if (Status s = audited(db_, actor, "account_roles_changed", name,
                         "{\"before\":" + jsonString(before.names()) +
                             ",\"after\":" + jsonString(roles.names()) + "}");
      !s) {
    return s;
  }
  return transaction.commit();
}

Status Accounts::setDisabled(const std::string& name, bool disabled, const std::string& actor) {
  reg::Database::Transaction transaction(db_);
  if (!transaction.begun()) return transaction.begun();
  if (Status s = db_.execute("UPDATE users SET disabled = ? WHERE name = ?",
                             {std::int64_t{disabled ? 1 : 0}, name});
      !s) {
    return s;
  }
  if (db_.changes() != 1)
    return makeError("no_account", "There is no account called " + name + ".");
  if (disabled) {
    if (Status s = db_.execute(
            "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", {name});
        !s) {
      return s;
    }
  }
  if (Status s = audited(db_, actor, disabled ? "account_disabled" : "account_enabled", name); !s) {
    return s;
  }
  return transaction.commit();
}

Status Accounts::setEmail(const std::string& name, const std::string& email,
                          const std::string& actor) {
  // One plain address: something@domain, no spaces or line breaks (a mail header's injection).
  const auto at = email.find('@');
  const bool plain =
      email.size() <= 254 && at != std::string::npos && at > 0 && at + 1 < email.size() &&
      email.find('@', at + 1) == std::string::npos &&
      email.find('.', at) != std::string::npos &&
      std::none_of(email.begin(), email.end(), [](unsigned char c) {
        return c <= ' ' || c == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' ||
               c == '"' || c == '(' || c == ')';
      });
  if (!email.empty() && !plain) {
    return makeError("bad_email", "'" + email.substr(0, 80) +
                                      "' is not an email address. Type one address, such as "
                                      "head@school.example.");
  }
  reg::Database::Transaction transaction(db_);
  if (!transaction.begun()) return transaction.begun();
  if (Status s = db_.execute("UPDATE users SET email = ? WHERE name = ?", {email, name}); !s) {
    return s;
  }
  if (db_.changes() != 1)
    return makeError("no_account", "There is no account called " + name + ".");
  if (Status s = audited(db_, actor, "account_email_changed", name); !s) return s;
  return transaction.commit();
}

Result<std::vector<Account>> Accounts::list() {
  auto stmt = db_.prepare("SELECT id, name, " ROLES_OF_U
                          ", disabled, email FROM users u ORDER BY name");
  if (!stmt) return stmt.error();
  return stmt->collect([](reg::Statement& row) {
    return Account{row.integer(0), row.text(1), rolesOf(row.text(2)), row.integer(3) != 0,
                   row.text(4)};
  });
}

Result<NewSession> Accounts::signIn(const std::string& name, const std::string& password) {
  auto login = findLogin(db_, name);
  if (!login) return login.error();
  if (!*login) {
    // As slow as a real check, so that timing does not tell which names exist.
    (void)passwordHash(password, "no such account", kIterations);
    (void)audited(db_, "unknown:" + name.substr(0, 64), "login_failed", name.substr(0, 64),
                  "{\"why\":\"no such account\"}");
    return badLogin();
  }
  const StoredLogin& stored = **login;
  if (stored.locked) {
    (void)audited(db_, "user:" + name, "login_refused", name, "{\"why\":\"locked\"}");
    return makeError("locked", "This account is locked for " + std::to_string(kLockMinutes) +
                                   " minutes after too many wrong passwords. Try again later, "
                                   "or ask the Consent Guard administrator.");
  }
  const bool right =
      sameSecret(passwordHash(password, stored.salt, stored.iterations), stored.hash);
  reg::Database::Transaction transaction(db_);
  if (!transaction.begun()) return transaction.begun().error();
  if (!right) {
    // The count starts again once an account is locked, so each lock-out needs
    // kMaxFailedLogins more wrong passwords.
    if (Status s = db_.execute(
            "UPDATE users SET failed_logins = failed_logins + 1, locked_until = CASE WHEN "
            "failed_logins + 1 >= ? THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?) ELSE "
            "locked_until END WHERE id = ?",
            {std::int64_t{kMaxFailedLogins}, "+" + std::to_string(kLockMinutes) + " minutes",
             stored.account.id});
        !s) {
      return s.error();
    }
    if (Status s = db_.execute("UPDATE users SET failed_logins = 0 WHERE id = ? AND "
                               "failed_logins >= ?",
                               {stored.account.id, std::int64_t{kMaxFailedLogins}});
        !s) {
      return s.error();
    }
    auto relocked = findLogin(db_, name);
    const bool nowLocked = relocked && *relocked && (*relocked)->locked;
    if (Status s = audited(db_, "user:" + name, nowLocked ? "account_locked" : "login_failed", name,
                           "{\"why\":\"wrong password\"}");
        !s) {
      return s.error();
    }
    if (Status s = transaction.commit(); !s) return s.error();
    return badLogin();
  }
  if (stored.account.disabled) {
    return makeError("disabled",
                     "This account has been switched off. Ask the Consent Guard "
                     "administrator.");
  }
  NewSession created{randomHex(32), {stored.account, randomHex(32)}};
  if (Status s = db_.execute("UPDATE users SET failed_logins = 0, locked_until = '' WHERE id = ?",
                             {stored.account.id});
      !s) {
    return s.error();
  }
  // Ended sessions are of no use to anyone: they go when someone signs in.
  if (Status s = db_.execute(
          "DELETE FROM sessions WHERE expires_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')");
      !s) {
    return s.error();
  }
  if (Status s = db_.execute(
          "INSERT INTO sessions (token_sha256, user_id, csrf_token, expires_at) VALUES (?, ?, "
          "?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?))",
          {sha256Hex(created.token), stored.account.id, created.session.csrf_token,
           "+" + std::to_string(kSessionHours) + " hours"});
      !s) {
    return s.error();
  }
  if (Status s = audited(db_, "user:" + name, "login", name); !s) return s.error();
  if (Status s = transaction.commit(); !s) return s.error();
  return created;
}

Result<std::optional<Session>> Accounts::session(const std::string& token) {
  if (token.size() != 64) return std::optional<Session>{};
  auto stmt = db_.prepare(
      "SELECT u.id, u.name, " ROLES_OF_U ", u.disabled, s.csrf_token FROM sessions s JOIN users u ON "
      "u.id = s.user_id WHERE s.token_sha256 = ? AND s.expires_at > "
      "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') AND u.disabled = 0");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({sha256Hex(token)}).step();
  if (!row) return row.error();
  if (!*row) return std::optional<Session>{};
  // An account whose roles cannot be read is not let in (fail closed).
  const Roles roles = rolesOf(stmt->text(2));
  if (roles.empty()) return std::optional<Session>{};
  return std::optional<Session>{
      Session{{stmt->integer(0), stmt->text(1), roles, false, ""}, stmt->text(4)}};
}

Status Accounts::signOut(const std::string& token) {
  auto current = session(token);
  if (!current) return current.error();
  if (!*current) return okStatus();
  reg::Database::Transaction transaction(db_);
  if (!transaction.begun()) return transaction.begun();
  if (Status s = db_.execute("DELETE FROM sessions WHERE token_sha256 = ?", {sha256Hex(token)});
      !s) {
    return s;
  }
  if (Status s =
          audited(db_, "user:" + (*current)->account.name, "logout", (*current)->account.name);
      !s) {
    return s;
  }
  return transaction.commit();
}

}  // namespace consentguard::service
