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
  std::string photo;    // the job id
  std::string channel;
  std::string person;   // register id: for the school's pages, never the API
  std::string reason;   // consent_withdrawn, no_photo or consent_expired
  std::string since;    // ISO 8601 UTC
  std::string done_at;  // empty while open
  std::string done_by;
  std::string file_name;  // as submitted
};

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

}  // namespace consentguard::queue
