#include "consentguard/service/photo_worker.h"

#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "consentguard/check/check_json.h"
#include "consentguard/check/contact_sheet.h"
#include "consentguard/common/dates.h"
#include "consentguard/common/files.h"
#include "consentguard/queue/takedowns.h"
#include "consentguard/service/outcome_writer.h"
#include "consentguard/service/retention.h"
#include "consentguard/service/takedown_files.h"

namespace consentguard::service {
namespace {

// Takes the published copies of takedowns out of the outbox (service/takedown_files.h).
void withdrawTakenDownCopies(reg::Database& db, const DataFolders& folders, Poco::Logger& log) {
  if (auto moved = withdrawPublishedCopies(db, folders, log); !moved) {
    log.error(
        "takedowns: the published copies could not be checked: %s (%s); tried again in a "
        "few seconds",
        moved.error().message, moved.error().detail);
  }
}

}  // namespace

long residentMemoryKb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  if (!(statm >> pages >> resident)) return 0;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

PhotoWorker::PhotoWorker(const ServiceSettings& settings, int number, Poco::Logger& log)
    : settings_(settings), number_(number), log_(log) {}

PhotoWorker::~PhotoWorker() { stop(); }

Result<std::unique_ptr<PhotoWorker>> PhotoWorker::create(const ServiceSettings& settings,
                                                         int number, Poco::Logger& log) {
  std::unique_ptr<PhotoWorker> worker(new PhotoWorker(settings, number, log));
  auto engine = faces::FaceEngine::create(settings.models, settings.engine);
  if (!engine) return engine.error();
  worker->engine_ = std::move(engine.value());
  auto store = reg::RegisterStore::open(settings.folders.database(), dataKeyFile(settings));
  if (!store) return store.error();
  worker->store_ = std::move(store.value());
  auto queue = queue::JobQueue::open(settings.folders.database(), settings.folders.store());
  if (!queue) return queue.error();
  worker->queue_ = std::move(queue.value());
  worker->checker_ =
      std::make_unique<check::PhotoChecker>(*worker->engine_, *worker->store_, settings.policy);
  return worker;
}

void PhotoWorker::start() {
  thread_ = std::thread([this] { run(); });
}

void PhotoWorker::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void PhotoWorker::retryStuckOutcomes() {
  auto stuck = queue_->stuckFinishing(60);
  if (!stuck) return;
  for (const auto& job : *stuck) {
    Status written = completeOutcome(*queue_, job, settings_.policy.heic_jpeg_quality);
    if (written) {
      log_.information("job %s: outcome written on a retry -> %s", job.id, job.output.string());
    } else {
      log_.error("job %s: outcome still cannot be written: %s (%s)", job.id,
                 written.error().message, written.error().detail);
    }
  }
}

void PhotoWorker::run() {
  auto lastRetry = std::chrono::steady_clock::now();
  // A takedown raised anywhere (the register's pages, the API, the commands) has its published
  // copy taken out of the outbox within seconds: the worker looks every few seconds.
  auto lastWithdrawal = std::chrono::steady_clock::now() - std::chrono::hours(1);
  // The first worker applies the retention period at start and then hourly.
  auto lastRetention = std::chrono::steady_clock::now() - std::chrono::hours(2);
  while (!stopping_) {
    auto worked = processNext();
    // A photo's check frees tens of MB (the decoded photo, the detectors' tensors), which glibc
    // keeps for the next one (tuneAllocatorForDlib, no trim below 1 GB).
    if ((!worked || *worked) && memory_limit_kb_ > 0 && residentMemoryKb() > memory_limit_kb_) {
      malloc_trim(0);
    }
    if (!worked) {
      log_.error("worker %d: %s (%s)", number_, worked.error().message, worked.error().detail);
    }
    // One worker looks for outcomes that could not be written (a full disk) once a minute,
    // and for published photos whose people's consent has since expired.
    if (number_ == 1 && std::chrono::steady_clock::now() - lastRetry > std::chrono::minutes(1)) {
      retryStuckOutcomes();
      raiseDueTakedowns();
      // A register file previewed on /import and never confirmed holds pupils' details: it
      // goes after an hour (web_import.cpp).
      (void)queue_->database().execute(
          "DELETE FROM pending_imports WHERE created_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', "
          "'-1 hour')");
      lastRetry = std::chrono::steady_clock::now();
    }
    if (number_ == 1 &&
        std::chrono::steady_clock::now() - lastWithdrawal > std::chrono::seconds(3)) {
      withdrawTakenDownCopies(queue_->database(), settings_.folders, log_);
      lastWithdrawal = std::chrono::steady_clock::now();
    }
    if (number_ == 1 && settings_.retention_days > 0 &&
        std::chrono::steady_clock::now() - lastRetention > std::chrono::hours(1)) {
      if (auto deleted = deleteExpiredPhotos(*queue_, settings_.retention_days, log_); !deleted) {
        log_.error("retention: %s (%s)", deleted.error().message, deleted.error().detail);
      }
      lastRetention = std::chrono::steady_clock::now();
    }
    if (!worked || !*worked)
      std::this_thread::sleep_for(std::chrono::milliseconds(worked ? 200 : 2000));
  }
}

void PhotoWorker::raiseDueTakedowns() {
  auto raised = queue::raiseTakedowns(queue_->database(), todayIso());
  if (!raised) {
    log_.error("takedowns: %s (%s)", raised.error().message, raised.error().detail);
    return;
  }
  for (const auto& t : *raised) {
    log_.warning("takedown %s: photo %s must come off the %s channel (%s)", std::to_string(t.id),
                 t.photo, t.channel, t.reason);
  }
  if (!raised->empty()) withdrawTakenDownCopies(queue_->database(), settings_.folders, log_);
}

Result<PhotoWorker::Checked> PhotoWorker::checkPhoto(const queue::Job& job) {
  auto bytes = image::readFileBytes(job.original);
  if (!bytes) return bytes.error();
  const queue::Submission& s = job.submission;
  auto identified = queue_->identifiedFaces(job.id);
  if (!identified) return identified.error();
  check::CheckRequest request{
      std::move(bytes.value()), s.channel, s.file_name, s.caption, s.alt_text, {}};
  for (const auto& [box, person] : *identified) {
    if (auto b = queue::parseBoxKey(box)) {
      request.identified.emplace_back(cv::Rect(b->x, b->y, b->w, b->h), person);
    }
  }
  (void)store_->takeRecordedIncidents();  // any left by a check that failed part way
  auto result = checker_->check(request);
  if (!result) return result.error();
  attachIncidents(job, result->decision, result->faces);
  std::ostringstream json;
  check::resultJson(*result)->stringify(json);
  return Checked{result->decision, json.str(),
                 result->published ? image::fileExtension(result->published->format) : ""};
}

void PhotoWorker::attachIncidents(const queue::Job& job, const policy::Decision& decision,
                                  const std::vector<check::CheckedFace>& faces) {
  // The check records its incidents in the order of decision.incidents.
  const std::vector<std::int64_t> ids = store_->takeRecordedIncidents();
  for (size_t i = 0; i < ids.size() && i < decision.incidents.size(); ++i) {
    const policy::IncidentFact& fact = decision.incidents[i];
    // The face it is about: the one with that person, found the way the incident says.
    std::string box;
    bool sameWay = false;
    for (const auto& face : faces) {
      if (fact.evidence == "named_in_metadata" || face.person != fact.person_id) continue;
      const bool way = face.likely == (fact.evidence == "likely_match");
      if (!box.empty() && (sameWay || !way)) continue;
      box = queue::boxKey({face.box.x, face.box.y, face.box.width, face.box.height});
      sameWay = way;
    }
    if (auto attached = store_->attachIncident(ids[i], job.id, box); !attached) {
      log_.warning("job %s: incident %s could not be linked to the photo: %s", job.id,
                   std::to_string(ids[i]), attached.error().detail);
    }
  }
}

// A video: its clean copy is made in store/ by the check (written again, byte for byte, with
// the outcome), and the contact sheet of its frames is kept there for the review page.
Result<PhotoWorker::Checked> PhotoWorker::checkVideo(const queue::Job& job) {
  const queue::Submission& s = job.submission;
  (void)store_->takeRecordedIncidents();
  auto result = checker_->checkVideo(
      {job.original, s.channel, s.file_name, s.caption, s.alt_text, stagedVideoPath(job)});
  if (!result) return result.error();
  attachIncidents(job, result->decision, {});
  if (const auto sheet = check::contactSheetJpeg(*result); !sheet.empty()) {
    if (Status w = writeFileAtomically(contactSheetPath(job), sheet, /*overwrite=*/true); !w) {
      log_.warning("job %s: the contact sheet could not be kept: %s", job.id, w.error().detail);
    }
  }
  std::ostringstream json;
  check::videoResultJson(*result)->stringify(json);
  return Checked{result->decision, json.str(), result->published ? ".mp4" : ""};
}

Result<bool> PhotoWorker::processNext() {
  auto claimed = queue_->claim();
  if (!claimed) return claimed.error();
  if (!*claimed) return false;
  queue::Job job = std::move(**claimed);

  if (!job.previous_output.empty()) {
    // Checked again (a change of consent, a face identified): its held copy goes first,
    // whatever the new outcome, so that the new one can take its name.
    std::error_code ec;
    std::filesystem::remove(job.previous_output, ec);
    std::filesystem::remove(job.previous_output.string() + ".txt", ec);
  }
  // The register as it is before the check reads any of it: if it changes before the outcome
  // is recorded (a consent withdrawn, a pupil put on the no-photo list), the photo is checked
  // again rather than decided on what was.
  auto version = queue_->registerVersion();
  if (!version) {
    (void)queue_->release(job.id);
    return version.error();
  }
  auto checked = isVideoJob(job) ? checkVideo(job) : checkPhoto(job);
  if (!checked) {
    (void)queue_->release(job.id);
    return checked.error();
  }
  if (after_check_) after_check_(job);
  const queue::Submission& s = job.submission;
  job.verdict = policy::verdictName(checked->decision.verdict);
  job.result_json = checked->json;
  const std::string extension = checked->extension;
  job.output = chooseOutputPath(settings_.folders, job, job.verdict, extension);
  if (Status s2 =
          queue_->recordDecision(job.id, job.verdict, job.result_json, job.output, *version);
      !s2) {
    (void)queue_->release(job.id);
    if (s2.error().code == "register_changed") {
      log_.information("job %s: the register changed while it was checked (%s); checking it again",
                       job.id, s2.error().detail);
      return true;
    }
    return s2.error();
  }
  // On failure the job stays finishing: retried within minutes, and at the next start. A held
  // copy from before it was checked again goes once the new outcome is written.
  if (Status written = completeOutcome(*queue_, job, settings_.policy.heic_jpeg_quality); !written)
    return written.error();
  log_.information("job %s (%s, %s): %s -> %s", job.id, s.file_name, s.channel, job.verdict,
                   job.output.string());
  // Incidents are for the DSL's page; the log says how sure each was (never the name).
  for (const auto& incident : checked->decision.incidents) {
    log_.warning("job %s: incident %s for register id %s (%s)", job.id, incident.code,
                 incident.person_id, incident.evidence);
  }
  return true;
}

}  // namespace consentguard::service
