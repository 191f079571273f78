#include "consentguard/service/api_keys.h"

#include <Poco/DigestEngine.h>
#include <Poco/RandomStream.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>

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
