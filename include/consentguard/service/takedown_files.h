// The files behind a takedown. A photo that must come down is no longer published by the
// service: its cleaned copy is moved out of outbox/<channel>/ (where a CMS or a person would
// publish it again) into taken-down/<channel>/, so that the office can still see which photo to
// remove from the website, and is deleted from the server once the takedown is marked done.
// Where it went is recorded with the takedown and as the job's output (so that the retention
// period later deletes that file, never a new one in the outbox under the same name).
//
// Fail closed: a file that cannot be moved or deleted stays where it is, is logged, and is tried
// again on the next pass; no file is moved or deleted without its new place being recorded.
// Each pass takes the database's write lock per takedown, so passes from several threads (the
// worker, the takedowns page) or processes do not move the same file twice. Free functions; each
// thread passes its own database connection.
#pragma once

#include <Poco/Logger.h>

#include <cstdint>
#include <string>

#include "consentguard/common/result.h"
#include "consentguard/register/database.h"
#include "consentguard/service/data_folders.h"

namespace consentguard::service {

// Where takedowns' withdrawn copies are kept: DATA/taken-down/<channel>/.
std::filesystem::path takenDownFolder(const DataFolders& folders, const std::string& channel);

// Moves the published copy of every takedown not yet withdrawn out of the outbox, and deletes
// the withdrawn copy of every takedown marked done whose copy is still there (one done from the
// command line, or whose deletion failed before). Each move and deletion is logged. Returns how
// many files were moved or deleted; an error only when the takedowns could not be read (one
// takedown's failure is logged and the others go on).
Result<int> withdrawPublishedCopies(reg::Database& db, const DataFolders& folders,
                                    Poco::Logger& log);

// Marks the takedown done (queue::markTakedownDone: audited) by `by` ("user:NAME",
// "key:NAME"), then deletes its withdrawn copy from the server, first taking it out of the
// outbox if that had not happened yet. Logged. Errors are markTakedownDone's; a copy that
// cannot be deleted is logged and deleted on a later withdrawPublishedCopies pass.
Status finishTakedown(reg::Database& db, const DataFolders& folders, std::int64_t id,
                      const std::string& by, Poco::Logger& log);

}  // namespace consentguard::service
