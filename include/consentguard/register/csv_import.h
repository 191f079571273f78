// Imports the consent register from the school's MIS, exported as CSV (format in README.md).
// The whole file is checked before anything is written: one bad row rejects the file, with
// every bad line's number and reason. A good file is written in one transaction; importing it
// again updates people already in the register (nobody is deleted by an import).
// Free function; as thread-safe as the RegisterStore it is given.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/register/register_store.h"

namespace consentguard::reg {

struct ImportOptions {
  std::vector<std::string> channels = {"website", "newsletter", "social_media"};
  std::string today;  // ISO date recorded for consent given or withdrawn by this import
  size_t max_bytes = 16u << 20;
  size_t max_rows = 50'000;
};

// One person the import adds or changes, in words for the preview and the report.
struct ImportedPerson {
  std::string id;
  std::string name;  // as the file gives it
  bool added = false;
  std::vector<std::string> changes;      // "year group 6 to 7", "consent for website given"
  std::vector<std::string> withdrawals;  // "consent for website withdrawn", "put on the no-photo
                                         // list", "biometric consent withdrawn": at once
};

struct ImportReport {
  int added = 0;
  int updated = 0;    // already in the register, and something of theirs changes
  int unchanged = 0;  // already in the register, exactly as the file has them
  int consents_withdrawn = 0;  // granted before, refused in this file: takes effect at once
  int templates_deleted = 0;   // biometric consent withdrawn by this file
  std::vector<std::string> ignored_columns;  // columns the register does not keep
  // People whose consent, no-photo flag or biometric consent this import changed: their held
  // photos must be checked again.
  std::vector<std::string> people_changed;
  // Everyone added or changed, in the file's order (people the file leaves as they were are
  // not listed).
  std::vector<ImportedPerson> people;
};

// Errors: "bad_csv" with one line per problem in the message ("Line 7: ...").
Result<ImportReport> importRegisterCsv(RegisterStore& store, std::string_view text,
                                       const ImportOptions& options);

// What importing `text` would do, with nothing changed: the import runs inside a transaction
// that is then rolled back. The same errors as importRegisterCsv.
Result<ImportReport> previewRegisterCsv(RegisterStore& store, std::string_view text,
                                        const ImportOptions& options);

}  // namespace consentguard::reg
