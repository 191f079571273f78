// RegisterStore and the data key: opening a register with its key, sealing what a register
// from before schema 13 holds in plain, and rotating the key.
#include <fcntl.h>
#include <unistd.h>

#include <optional>

#include "consentguard/register/register_store.h"

namespace consentguard::reg {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCheckContext = "data_key_check";

std::vector<std::uint8_t> checkValue() {
  const std::string text = "Consent Guard data key check";
  return {text.begin(), text.end()};
}

std::string templateContext(const std::string& person) { return "templates/" + person; }
std::string photoContext(const std::string& person) { return "reference_photos/" + person; }

struct SealedRow {
  std::int64_t id = 0;
  std::string person;
  std::vector<std::uint8_t> value;
};

// Every template and reference photo, sealed or not: {table, column, context} each.
struct SealedColumn {
  const char* table;
  const char* column;
  std::string (*context)(const std::string&);
};
const SealedColumn kSealedColumns[] = {{"templates", "descriptor", templateContext},
                                       {"reference_photos", "jpeg", photoContext}};

Result<std::vector<SealedRow>> rowsOf(Database& db, const SealedColumn& column) {
  auto stmt = db.prepare(std::string("SELECT id, person_id, ") + column.column + " FROM " +
                         column.table + " ORDER BY id");
  if (!stmt) return stmt.error();
  return stmt->collect([](const Statement& row) {
    return SealedRow{row.integer(0), row.text(1), row.blob(2)};
  });
}

Status replaceValue(Database& db, const SealedColumn& column, std::int64_t id,
                    const std::vector<std::uint8_t>& sealed) {
  return db.execute(
      std::string("UPDATE ") + column.table + " SET " + column.column + " = ? WHERE id = ?",
      {sealed, id});
}

// Seals the values a register from before schema 13 holds in plain. Returns how many.
Result<int> sealPlainValues(Database& db, const DataKey& key) {
  int sealed = 0;
  for (const SealedColumn& column : kSealedColumns) {
    auto rows = rowsOf(db, column);
    if (!rows) return rows.error();
    for (const SealedRow& row : *rows) {
      if (isSealed(row.value)) continue;
      if (Status s =
              replaceValue(db, column, row.id, key.seal(row.value, column.context(row.person)));
          !s) {
        return s.error();
      }
      ++sealed;
    }
  }
  return sealed;
}

struct KeyCheck {
  std::string key_id;
  std::vector<std::uint8_t> value;
};

Result<std::optional<KeyCheck>> readKeyCheck(Database& db) {
  auto stmt = db.prepare("SELECT key_id, check_value FROM data_key WHERE id = 1");
  if (!stmt) return stmt.error();
  auto rows = stmt->collect([](const Statement& row) {
    return KeyCheck{row.text(0), row.blob(1)};
  });
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<KeyCheck>{};
  return std::optional<KeyCheck>{rows->front()};
}

Status writeKeyCheck(Database& db, const DataKey& key) {
  return db.execute(
      "INSERT INTO data_key (id, key_id, check_value) VALUES (1, ?, ?) ON CONFLICT(id) DO "
      "UPDATE SET key_id = excluded.key_id, check_value = excluded.check_value",
      {key.id(), key.seal(checkValue(), kCheckContext)});
}

bool opensCheck(const DataKey& key, const KeyCheck& check) {
  auto opened = key.open(check.value, kCheckContext);
  return opened && *opened == checkValue();
}

Error wrongKey(const fs::path& file, const KeyCheck& check, const std::string& held) {
  return makeError("wrong_data_key",
                   "The data key file " + file.string() +
                       " is not the key this register's face templates and reference photos "
                       "were encrypted with, so they cannot be read. Put back the register's "
                       "own key file (key id " +
                       check.key_id + "), then try again.",
                   "the register needs key " + check.key_id + ", the file holds " + held);
}

// Renames `from` over `to` and flushes the folder, so that the new name survives a power cut.
Status putInPlace(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    return makeError("write_failed",
                     "The new data key could not be put in place at " + to.string() + ".",
                     ec.message());
  }
  const int dir = ::open(to.parent_path().empty() ? "." : to.parent_path().c_str(),
                         O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return okStatus();
}

// The register's first key: the one set-up made, else a new one written to `file`; with every
// plain value sealed. Returns the key, or nothing when another store gave the register its key
// first.
Result<std::optional<DataKey>> giveFirstKey(Database& db, const fs::path& file) {
  Database::Transaction tx(db);  // one store at a time
  if (!tx.begun()) return tx.begun().error();
  auto check = readKeyCheck(db);
  if (!check) return check.error();
  if (*check) return std::optional<DataKey>{};
  std::error_code ec;
  Result<DataKey> key = DataKey::generate();
  if (!fs::exists(file, ec)) {
    Status saved = key->save(file, false);
    if (!saved && saved.error().code != "output_exists") return saved.error();
    if (!saved) key = DataKey::load(file);  // another thread made it first
  } else {
    key = DataKey::load(file);
  }
  if (!key) return key.error();
  if (Status s = writeKeyCheck(db, *key); !s) return s.error();
  if (auto sealed = sealPlainValues(db, *key); !sealed) return sealed.error();
  if (Status s = tx.commit(); !s) return s.error();
  return std::optional<DataKey>{std::move(key.value())};
}

// The key of the register in `db`, from `file`; see RegisterStore::open.
Result<DataKey> keyForRegister(Database& db, const fs::path& file) {
  auto check = readKeyCheck(db);
  if (!check) return check.error();
  if (!*check) {
    auto first = giveFirstKey(db, file);
    if (!first) return first.error();
    if (*first) return std::move(**first);
    check = readKeyCheck(db);
    if (!check) return check.error();
    if (!*check) return databaseError("the data key check vanished");
  }
  auto key = DataKey::load(file);
  if (key && key->id() == (*check)->key_id) {
    if (!opensCheck(*key, **check)) {
      return makeError("sealed_value_damaged",
                       "The register's check of its data key has been changed or damaged. "
                       "Restore the register from a backup.",
                       "data_key.check_value does not open");
    }
    return key;
  }
  // A rotation that re-sealed the register but stopped before its new key replaced the old.
  const fs::path pending = pendingDataKeyPath(file);
  if (auto next = DataKey::load(pending);
      next && next->id() == (*check)->key_id && opensCheck(*next, **check)) {
    if (Status s = putInPlace(pending, file); !s) return s.error();
    return next;
  }
  if (!key) return key.error();
  return wrongKey(file, **check, key->id());
}

}  // namespace

Result<std::unique_ptr<RegisterStore>> RegisterStore::open(const fs::path& path) {
  return open(path, defaultDataKeyPath(path));
}

Result<std::unique_ptr<RegisterStore>> RegisterStore::open(const fs::path& path,
                                                           const fs::path& data_key_file) {
  auto db = openRegisterDatabase(path);
  if (!db) return db.error();
  auto key = keyForRegister(**db, data_key_file);
  if (!key) return key.error();
  return std::unique_ptr<RegisterStore>(
      new RegisterStore(std::move(db.value()), std::move(key.value()), data_key_file));
}

Result<std::vector<std::uint8_t>> RegisterStore::unseal(const std::vector<std::uint8_t>& sealed,
                                                        const std::string& context) {
  // The new key is in the key file, or still beside it in the moment between a rotation's
  // commit and its rename.
  for (const fs::path& file : {key_file_, pendingDataKeyPath(key_file_)}) {
    if (sealedKeyId(sealed) == key_.id()) break;
    if (auto reloaded = DataKey::load(file); reloaded && reloaded->id() == sealedKeyId(sealed)) {
      key_ = std::move(reloaded.value());
    }
  }
  return key_.open(sealed, context);
}

Result<std::string> RegisterStore::rotateDataKey() {
  const DataKey next = DataKey::generate();
  const fs::path pending = pendingDataKeyPath(key_file_);
  if (Status s = next.save(pending, true); !s) return s.error();
  const auto abandon = [&](const Error& error) {
    std::error_code ec;
    fs::remove(pending, ec);
    return error;
  };
  Database::Transaction tx(*db_);
  if (!tx.begun()) return abandon(tx.begun().error());
  for (const SealedColumn& column : kSealedColumns) {
    auto rows = rowsOf(*db_, column);
    if (!rows) return abandon(rows.error());
    for (const SealedRow& row : *rows) {
      const std::string context = column.context(row.person);
      auto plain = unseal(row.value, context);
      if (!plain) return abandon(plain.error());
      if (Status s = replaceValue(*db_, column, row.id, next.seal(*plain, context)); !s) {
        return abandon(s.error());
      }
    }
  }
  if (Status s = writeKeyCheck(*db_, next); !s) return abandon(s.error());
  if (Status s = tx.commit(); !s) return abandon(s.error());
  // From here the register needs the new key: a failure below is finished by the next open.
  if (Status s = putInPlace(pending, key_file_); !s) return s.error();
  key_ = next;
  return next.id();
}

}  // namespace consentguard::reg
