// The data key: the AES-256 key that seals the register's face templates and reference photos,
// so that a copy of the database alone holds neither (issue 14).
//
// The key lives in its own file outside the database (by default DATA/keys/data.key; the
// service's `service.data_key` and the commands' --data-key name another), readable by the
// service's account only (mode 0600), as one line: "consentguard-data-key-1 <64 hex digits>".
// Its id, the first 16 hex digits of its SHA-256, is stored beside what it sealed, so that the
// wrong key is told apart from a damaged value.
//
// A sealed value is "CGK1", the key id (8 bytes), a random 96-bit nonce, the AES-256-GCM
// ciphertext and its 128-bit tag. What is encrypted is the value's context (for example
// "templates/1001": which table and whose) followed by the value, so that a sealed template
// moved to another person's row no longer opens.
//
// Value type; thread-safe (each seal and open makes its own cipher).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "consentguard/common/result.h"

namespace consentguard::reg {

class DataKey {
 public:
  // A new random key.
  static DataKey generate();
  // Errors: "no_data_key" (the file is missing), "data_key_readable_by_others" (its mode lets
  // anyone but its owner read it), "bad_data_key" (not a key file).
  static Result<DataKey> load(const std::filesystem::path& file);
  // Writes the key to `file` with mode 0600, flushed to disk. Refuses to replace a file that
  // exists unless `overwrite`. Errors: "output_exists", "write_failed".
  Status save(const std::filesystem::path& file, bool overwrite) const;

  const std::string& id() const { return id_; }

  std::vector<std::uint8_t> seal(const std::vector<std::uint8_t>& value,
                                 std::string_view context) const;
  // Errors: "data_key_mismatch" (sealed with another key), "sealed_value_damaged" (changed,
  // cut short, or moved from another context).
  Result<std::vector<std::uint8_t>> open(const std::vector<std::uint8_t>& sealed,
                                         std::string_view context) const;

 private:
  explicit DataKey(const std::array<std::uint8_t, 32>& key);

  std::array<std::uint8_t, 32> key_{};
  std::string id_;
};

// Whether `blob` is a sealed value (it starts with the mark), and the id of the key that sealed
// it ("" when it is not sealed).
bool isSealed(const std::vector<std::uint8_t>& blob);
std::string sealedKeyId(const std::vector<std::uint8_t>& blob);

// Where the key of the register at `database` is kept when nothing names it: keys/data.key
// beside the database.
std::filesystem::path defaultDataKeyPath(const std::filesystem::path& database);

// The file a key rotation writes its new key to before the register is re-sealed.
std::filesystem::path pendingDataKeyPath(const std::filesystem::path& key_file);

}  // namespace consentguard::reg
