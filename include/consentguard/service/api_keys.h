// API keys for the programs that submit photos (the website CMS, the newsletter tool). A key is
// shown once when it is made and stored only as its SHA-256; each key may submit to the channels
// it was made for and no others. Free functions over the register's database; as thread-safe as
// the Database given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/register/database.h"

namespace consentguard::service {

struct ApiKey {
  std::string name;
  std::vector<std::string> channels;
  bool manages_register = false;  // people, consent, the no-photo flag and devices

  bool allows(const std::string& channel) const;
};

// Makes a key; returns its secret text (64 hex digits), which is not stored.
Result<std::string> createApiKey(reg::Database& db, const std::string& name,
                                 const std::vector<std::string>& channels,
                                 bool manages_register = false);

struct StoredApiKey {
  std::int64_t id = 0;
  std::string name, channels, created_at;
  bool manages_register = false, revoked = false;
};
Result<std::vector<StoredApiKey>> listApiKeys(reg::Database& db);

// Withdraws a key at once (it is kept, marked revoked, for the record); audited as `actor`.
// Errors: "no_key" when there is no such key.
Status revokeApiKey(reg::Database& db, std::int64_t id, const std::string& actor);

// The key's owner and channels, or nullopt for an unknown or revoked key.
Result<std::optional<ApiKey>> findApiKey(reg::Database& db, const std::string& secret);

}  // namespace consentguard::service
