// The first administrator, made in the browser. While there are no accounts, each start of the
// service makes a new one-time set-up code (12 letters and digits, about 60 bits) and prints it
// in the log, for whoever installed the service; /setup with that code makes the first admin
// account. The code stops working once an account exists, and after 5 wrong tries (a restart
// makes a new one). Only its SHA-256 is stored.
// Operates on the register's database; not thread-safe (each thread has its own connection).
#pragma once

#include <optional>
#include <string>

#include "consentguard/common/result.h"
#include "consentguard/register/database.h"

namespace consentguard::service {

inline constexpr int kMaxSetupCodeFailures = 5;

// A new code when there are no accounts (any earlier one stops working); nullopt otherwise.
Result<std::optional<std::string>> issueSetupCode(reg::Database& db);

// Whether /setup may still be used: no account exists.
Result<bool> needsFirstAdmin(reg::Database& db);

// Makes the first admin account with the code. Errors: "already_set_up", "no_code",
// "code_locked", "bad_code", and Accounts::create's ("bad_name", "bad_password").
Status makeFirstAdmin(reg::Database& db, const std::string& code, const std::string& name,
                      const std::string& password);

}  // namespace consentguard::service
