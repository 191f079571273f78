// Takedowns: when a pupil may no longer appear on a channel (consent withdrawn or expired, or
// put on the no-photo list), every photo already published there in which they appear must
// come down. Who is in a published photo is recorded when it is published (the people
// recognised in it, or identified by SLT; faces covered in a redacted copy are not in it), and
// kept while the photo is published: the retention purge of the photo's own files does not
// remove it, since the copy on the website outlives them. A photo gets at most one takedown;
// once it is marked done, the record of who was in it is deleted.
// Operates on the register's database; not thread-safe (each thread has its own connection).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/register/database.h"

namespace consentguard::queue {

struct Takedown {
  std::int64_t id = 0;
  std::string photo;  // the job id
  std::string channel;
  std::string person;   // register id: for the school's pages, never the API
  std::string reason;   // consent_withdrawn, no_photo or consent_expired
  std::string since;    // ISO 8601 UTC
  std::string done_at;  // empty while open
  std::string done_by;
  std::string file_name;  // as submitted
  // Where the service's published copy went when it was taken out of the outbox
  // (service/takedown_files.h): a path, kNoCopyFound, or empty while not yet done.
  std::string withdrawn_copy;
  // From the photo's job, for the school's pages.
  std::string caption;
  std::string published_at;  // when it was published (ISO 8601 UTC)
  std::string submitted_by;  // "user:NAME", "key:NAME"
  std::string approved_by;   // the senior leader who approved it (or a covered copy), if one did
  std::string output;        // the job's output path: the published copy, wherever it is now
  std::string original;      // the stored original (until the retention period deletes it)
};

// withdrawn_copy when the published copy was no longer in the outbox (deleted by hand, or by
// the retention period) and so there was nothing to move.
inline constexpr const char* kNoCopyFound = "(none)";

// Called when a job is done with verdict publish, inside its transaction: records the people
// in what was published, from the job's result.
Status recordPublishedPeople(reg::Database& db, const std::string& job_id);

// Raises a takedown for every published photo in which someone now may not appear on its
// channel, as the register stands `today` (YYYY-MM-DD); only for `person` when given. Each is
// audited. Returns the takedowns raised.
Result<std::vector<Takedown>> raiseTakedowns(reg::Database& db, const std::string& today,
                                             const std::string& person = {});

// Open takedowns, oldest first; on one channel when given.
Result<std::vector<Takedown>> openTakedowns(reg::Database& db, const std::string& channel = {});
Result<std::optional<Takedown>> findTakedown(reg::Database& db, std::int64_t id);
// Whether the photo has a takedown, open or done: it is no longer published.
Result<bool> isTakenDown(reg::Database& db, const std::string& job_id);

// The photo has been removed from the channel. Audited; the record of who was in it goes.
// Errors: "not_found". Marking a done takedown again changes nothing.
Status markTakedownDone(reg::Database& db, std::int64_t id, const std::string& by);

// Takedowns, open or done, whose published copy has not yet been taken out of the outbox
// (withdrawn_copy empty), oldest first.
Result<std::vector<Takedown>> takedownsToWithdraw(reg::Database& db);
// Done takedowns whose withdrawn copy was recorded (a path, not kNoCopyFound): the copy is
// deleted once the takedown is done; a caller checks whether it is still there.
Result<std::vector<Takedown>> doneWithCopies(reg::Database& db);

// Records, in one transaction, where the published copy of takedown `id` went: sets
// withdrawn_copy to `copy` and, unless `copy` is kNoCopyFound, the job's output path to it too
// (so that the retention period deletes that file, never a new one in the outbox under the old
// name). Only while withdrawn_copy is empty and the job's output is still `from`; errors:
// "changed" when either is no longer so. Runs inside the caller's transaction if there is one.
Status recordWithdrawnCopy(reg::Database& db, std::int64_t id, const std::string& from,
                           const std::string& copy);

}  // namespace consentguard::queue
