// Opening the register named by --db, the same way for every command that needs it.
#pragma once

#include <memory>

#include "commands.h"
#include "consentguard/register/register_store.h"

namespace consentguard::cli {

// Takes --db (and --data-key, by default keys/data.key beside the database) out of args and
// opens the register. Errors: "usage" when --db is missing, else the store's.
inline Result<std::unique_ptr<reg::RegisterStore>> openRegister(Args& args) {
  const std::string db = takeOption(args, "--db");
  const std::string key = takeOption(args, "--data-key");
  if (db.empty()) {
    return makeError("usage",
                     "Say which register to use with --db FILE (for example "
                     "var/consentguard.db).");
  }
  return reg::RegisterStore::open(db, key.empty() ? reg::defaultDataKeyPath(db)
                                                  : std::filesystem::path(key));
}

// After a change to these people's consent: their held photos are checked again by the service
// (the queue lives in the same database). Prints how many.
void reopenHeldPhotos(const std::string& db, const std::vector<std::string>& people);

// Who is making a change from the command line, for the audit trail: "cli:" and the operating
// system's user ($USER, else the login name), or "cli" when neither is known.
std::string cliActor();

inline Error databaseProblem() {
  return reg::databaseError("a query failed while reading the register");
}

}  // namespace consentguard::cli
