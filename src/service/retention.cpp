#include "consentguard/service/retention.h"

#include <filesystem>

#include "consentguard/service/outcome_writer.h"

namespace consentguard::service {

Result<int> deleteExpiredPhotos(queue::JobQueue& queue, int days, Poco::Logger& log) {
  auto expired = queue.expired(days);
  if (!expired) return expired.error();
  int deleted = 0;
  for (const auto& job : *expired) {
    bool all = true;
    auto repeats = queue.repeatsOf(job.id);
    if (!repeats) return repeats.error();
    for (const auto& repeat : *repeats) {
      std::error_code ec;
      if (!repeat.note.empty()) std::filesystem::remove(repeat.note, ec);
    }
    for (const std::filesystem::path& file : {job.original, job.redacted, job.output,
                                              std::filesystem::path(job.output.string() + ".txt"),
                                              contactSheetPath(job), stagedVideoPath(job)}) {
      if (file.empty()) continue;
      std::error_code ec;
      std::filesystem::remove(file, ec);
      if (ec) {
        all = false;
        log.error("retention: %s could not be deleted (%s)", file.string(), ec.message());
      }
    }
    if (!all) continue;
    if (Status s = queue.markPurged(job.id, days); !s) return s.error();
    ++deleted;
  }
  if (deleted > 0) {
    log.information("retention: the files of %d photos older than %d days were deleted", deleted,
                    days);
  }
  return deleted;
}

}  // namespace consentguard::service
