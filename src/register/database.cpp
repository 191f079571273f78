#include "consentguard/register/database.h"

#include <sqlite3.h>

namespace consentguard::reg {

Error databaseError(const std::string& detail) {
  return makeError("database",
                   "The consent register could not be read or updated. Nothing was changed; try "
                   "again, and tell the school's IT support if it keeps happening.",
                   detail);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::bind(const std::vector<SqlValue>& values) {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  for (size_t i = 0; i < values.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    const SqlValue& v = values[i];
    if (std::holds_alternative<std::nullptr_t>(v)) {
      sqlite3_bind_null(stmt_, index);
    } else if (auto n = std::get_if<std::int64_t>(&v)) {
      sqlite3_bind_int64(stmt_, index, *n);
    } else if (auto d = std::get_if<double>(&v)) {
      sqlite3_bind_double(stmt_, index, *d);
    } else if (auto s = std::get_if<std::string>(&v)) {
      sqlite3_bind_text(stmt_, index, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
    } else if (auto b = std::get_if<std::vector<std::uint8_t>>(&v)) {
      sqlite3_bind_blob(stmt_, index, b->data(), static_cast<int>(b->size()), SQLITE_TRANSIENT);
    }
  }
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return databaseError(std::string(sqlite3_errmsg(db_)) + " in: " + sqlite3_sql(stmt_));
}

Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return okStatus();
  }
}

bool Statement::isNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::optionalText(int column) const {
  if (isNull(column)) return std::nullopt;
  return text(column);
}

std::vector<std::uint8_t> Statement::blob(int column) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int n = sqlite3_column_bytes(stmt_, column);
  if (!p || n <= 0) return {};
  return std::vector<std::uint8_t>(p, p + n);
}

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<Database> db(new Database(raw));
  if (rc != SQLITE_OK) {
    return databaseError(path.string() + ": " + (raw ? sqlite3_errmsg(raw) : "cannot open"));
  }
  sqlite3_busy_timeout(raw, 5000);
  // Fail closed: refuse a file that is not a database rather than treat it as empty.
  if (Status s =
          db->executeScript("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;"
                            "PRAGMA synchronous = FULL; SELECT count(*) FROM sqlite_master;");
      !s) {
    return databaseError(path.string() + ": " + s.error().detail);
  }
  return db;
}

Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

Result<Statement> Database::prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return databaseError(std::string(sqlite3_errmsg(db_)) + " in: " + sql);
  }
  return Statement(db_, stmt);
}

Status Database::execute(const std::string& sql, const std::vector<SqlValue>& values) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  return stmt->bind(values).run();
}

Status Database::executeScript(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string detail = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    return databaseError(detail);
  }
  return okStatus();
}

Status Database::backupTo(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    return makeError("output_exists", "There is already a file at " + file.string() + ".",
                     file.string());
  }
  sqlite3* copy = nullptr;
  if (sqlite3_open_v2(file.c_str(), &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string detail = copy ? sqlite3_errmsg(copy) : "out of memory";
    sqlite3_close(copy);
    return databaseError("backup to " + file.string() + ": " + detail);
  }
  // All pages in one step: the copy is of one moment, however busy the service is.
  sqlite3_backup* backup = sqlite3_backup_init(copy, "main", db_, "main");
  int rc = backup ? sqlite3_backup_step(backup, -1) : SQLITE_ERROR;
  const std::string detail = sqlite3_errmsg(copy);
  if (backup) sqlite3_backup_finish(backup);
  sqlite3_close(copy);
  if (rc != SQLITE_DONE) {
    std::filesystem::remove(file, ec);
    return databaseError("backup to " + file.string() + ": " + detail);
  }
  return okStatus();
}

std::int64_t Database::lastInsertId() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

Database::Transaction::Transaction(Database& db)
    : db_(db), depth_(db.transaction_depth_), begun_(begin()) {
  open_ = begun_.ok();
  if (open_) ++db_.transaction_depth_;
}

Status Database::Transaction::begin() {
  if (depth_ == 0) return db_.executeScript("BEGIN IMMEDIATE");
  return db_.executeScript("SAVEPOINT nested_" + std::to_string(depth_));
}

Database::Transaction::~Transaction() {
  if (!open_) return;
  --db_.transaction_depth_;
  if (depth_ == 0) {
    (void)db_.executeScript("ROLLBACK");
  } else {
    const std::string name = "nested_" + std::to_string(depth_);
    (void)db_.executeScript("ROLLBACK TO " + name + "; RELEASE " + name);
  }
}

Status Database::Transaction::commit() {
  if (!open_) return databaseError("commit without an open transaction");
  Status s = depth_ == 0 ? db_.executeScript("COMMIT")
                         : db_.executeScript("RELEASE nested_" + std::to_string(depth_));
  if (s) {
    open_ = false;
    --db_.transaction_depth_;
  }
  return s;
}

}  // namespace consentguard::reg
