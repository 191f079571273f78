// A thin RAII layer over SQLite for the register: one connection, prepared statements with
// bound parameters (never SQL built from strings), transactions that roll back unless
// committed. SQLite errors become Errors with code "database" and the SQLite message as detail.
// A Database is not thread-safe: each thread opens its own (WAL lets them share the file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "consentguard/common/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace consentguard::reg {

// A value bound to a statement parameter or read from a column.
using SqlValue =
    std::variant<std::nullptr_t, std::int64_t, double, std::string, std::vector<std::uint8_t>>;

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binds parameters 1..n in order.
  Statement& bind(const std::vector<SqlValue>& values);
  // Advances to the next row: true with a row, false when done; errors become an Error.
  Result<bool> step();
  // Runs to completion, ignoring rows.
  Status run();
  // Runs to completion, turning each row into a value with read(*this).
  template <typename ReadRow>
  auto collect(ReadRow&& read) -> Result<std::vector<decltype(read(*this))>> {
    std::vector<decltype(read(*this))> rows;
    for (;;) {
      auto row = step();
      if (!row) return row.error();
      if (!*row) return rows;
      rows.push_back(read(*this));
    }
  }

  bool isNull(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;  // "" for NULL
  std::optional<std::string> optionalText(int column) const;
  std::vector<std::uint8_t> blob(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  // Opens (creating it, and its folder, if need be) with WAL, foreign keys on and a busy timeout.
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Result<Statement> prepare(const std::string& sql);
  // Runs one statement with parameters, ignoring any rows.
  Status execute(const std::string& sql, const std::vector<SqlValue>& values = {});
  // Runs several statements separated by semicolons, with no parameters (schema scripts).
  Status executeScript(const std::string& sql);
  std::int64_t lastInsertId() const;
  int changes() const;

  // A consistent copy of the whole database in a new file, with SQLite's online backup API,
  // while others go on reading and writing. Errors: "output_exists", "database".
  Status backupTo(const std::filesystem::path& file);

  // BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit() succeeded.
  // Transactions nest: an inner one is a savepoint inside the outer, so a store method that
  // is atomic on its own is also part of a caller's larger transaction (a whole CSV import).
  class Transaction {
   public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    const Status& begun() const { return begun_; }
    Status commit();

   private:
    Status begin();
    Database& db_;
    int depth_;
    Status begun_;
    bool open_ = false;
  };

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  int transaction_depth_ = 0;
};

Error databaseError(const std::string& detail);

}  // namespace consentguard::reg
