// Retention (rule 7): a photo is kept only as long as `service.retention_days` says. When a
// finished photo's time is up, its files go (the stored original, a redacted copy, and the
// outcome in outbox/, held/ or rejected/ with its note) and its record keeps only what the
// audit trail and the termly report need. Photos still held for a decision are kept.
// Free function; call it from one thread (the first worker does, hourly).
#pragma once

#include <Poco/Logger.h>

#include "consentguard/common/result.h"
#include "consentguard/queue/job_queue.h"

namespace consentguard::service {

// Deletes the files of every photo finished more than `days` days ago; returns how many.
// A file that cannot be deleted leaves its record as it is, to be tried again next time.
Result<int> deleteExpiredPhotos(queue::JobQueue& queue, int days, Poco::Logger& log);

}  // namespace consentguard::service
