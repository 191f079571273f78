#include "consentguard/service/api_keys.h"

#include <Poco/DigestEngine.h>
#include <Poco/RandomStream.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>

#include "consentguard/audit/audit_log.h"
#include "consentguard/common/text.h"

namespace consentguard::service {
namespace {

std::string sha256Hex(const std::string& text) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(text);
  return Poco::DigestEngine::digestToHex(sha.digest());
}

std::string joinChannels(const std::vector<std::string>& channels) {
  std::string text;
  for (const auto& c : channels) text += (text.empty() ? "" : ",") + c;
  return text;
}

}  // namespace

bool ApiKey::allows(const std::string& channel) const {
  return std::find(channels.begin(), channels.end(), channel) != channels.end();
}

Result<std::string> createApiKey(reg::Database& db, const std::string& name,
                                 const std::vector<std::string>& channels, bool manages_register) {
  if (name.empty() || (channels.empty() && !manages_register)) {
    return makeError("bad_key_request",
                     "A key needs a name (who uses it) and at least one channel, or --register.");
  }
  Poco::RandomInputStream random;  // the operating system's random source
  unsigned char raw[32];
  random.read(reinterpret_cast<char*>(raw), sizeof raw);
  std::string secret;
  static const char* hex = "0123456789abcdef";
  for (unsigned char b : raw) {
    secret += hex[b >> 4];
    secret += hex[b & 15];
  }
  if (Status s = db.execute(
          "INSERT INTO api_keys (name, key_sha256, channels, manages_register) VALUES (?, ?, ?, ?)",
          {name, sha256Hex(secret), joinChannels(channels),
           std::int64_t{manages_register ? 1 : 0}});
      !s) {
    return s.error();
  }
  return secret;
}

Result<std::vector<StoredApiKey>> listApiKeys(reg::Database& db) {
  auto stmt = db.prepare(
      "SELECT id, name, channels, created_at, manages_register, revoked FROM api_keys ORDER BY "
      "id");
  if (!stmt) return stmt.error();
  return stmt->collect([](reg::Statement& row) {
    return StoredApiKey{row.integer(0), row.text(1),         row.text(2),
                        row.text(3),    row.integer(4) != 0, row.integer(5) != 0};
  });
}

Status revokeApiKey(reg::Database& db, std::int64_t id, const std::string& actor) {
  reg::Database::Transaction transaction(db);
  if (!transaction.begun()) return transaction.begun();
  auto name = db.prepare("SELECT name FROM api_keys WHERE id = ? AND revoked = 0");
  if (!name) return name.error();
  auto row = name->bind({id}).step();
  if (!row) return row.error();
  if (!*row) {
    return makeError("no_key", "There is no API key " + std::to_string(id) + " in use.");
  }
  const std::string keyName = name->text(0);
  if (Status s = db.execute("UPDATE api_keys SET revoked = 1 WHERE id = ?", {id}); !s) return s;
  if (Status s = audit::AuditLog(db).append(actor, "api_key_revoked", keyName,
                                            "{\"id\":" + std::to_string(id) + "}");
      !s) {
    return s;
  }
  return transaction.commit();
}

Result<std::optional<ApiKey>> findApiKey(reg::Database& db, const std::string& secret) {
  if (secret.size() != 64) return std::optional<ApiKey>{};
  auto stmt = db.prepare(
      "SELECT name, channels, manages_register FROM api_keys WHERE key_sha256 = ? AND "
      "revoked = 0");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({sha256Hex(secret)}).step();
  if (!row) return row.error();
  if (!*row) return std::optional<ApiKey>{};
  ApiKey key{stmt->text(0), {}, stmt->integer(2) != 0};
  Poco::StringTokenizer channels(
      stmt->text(1), ",",
      Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  key.channels.assign(channels.begin(), channels.end());
  return std::optional<ApiKey>{key};
}

}  // namespace consentguard::service
