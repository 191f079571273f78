// Backups of a school's Consent Guard, taken while the service runs, and putting one back:
//   DIR/consentguard.db      the register, queue, audit trail and reference photos, copied with
//                            SQLite's online backup API (one consistent moment)
//   DIR/files/...            every file of the data folder (store/, outbox/, held/, rejected/,
//                            the TLS certificate) but the inboxes, the live database and the
//                            data key (keys/): the templates in the copy stay sealed
//   DIR/consentguard.properties  the configuration, when there is one
//   DIR/manifest.json        when, from where, and each file's size and SHA-256
// The database is copied first and the files after it, so every photo the copied database
// knows of is in the copy (originals are written before their job is recorded).
// A restore goes only into an empty data folder, checks every file against the manifest first,
// points the jobs' file paths at the new folder, and verifies the audit trail.
// Free functions; the backup is safe to run beside the service, the restore is not.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "consentguard/common/result.h"
#include "consentguard/service/data_folders.h"

namespace consentguard::service {

struct BackupReport {
  int files = 0;
  std::uint64_t bytes = 0;
  std::int64_t jobs = 0;
  std::string audit_head;  // the newest audit entry's hash at the moment of the copy
};

// Errors: "output_exists" (`to` is not empty), "bad_target" (inside the data folder),
// "no_database", "database", "write_failed".
Result<BackupReport> backupDataFolder(const DataFolders& folders,
                                      const std::filesystem::path& config_file,
                                      const std::filesystem::path& to);

struct RestoreReport {
  int files = 0;
  std::int64_t jobs = 0;
  std::int64_t audit_entries = 0;
  bool config_restored = false;
};

// Errors: "not_empty" (the data folder has files), "bad_backup" (no manifest, a file missing
// or not as it was), "audit_broken", "database", "write_failed". A config is written to
// `config_to` when given (and not already there).
Result<RestoreReport> restoreDataFolder(const std::filesystem::path& from,
                                        const DataFolders& folders,
                                        const std::filesystem::path& config_to = {});

}  // namespace consentguard::service
