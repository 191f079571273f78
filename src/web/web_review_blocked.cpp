// A photo the rules blocked only for faces waits on the review list for a covered copy. A senior
// leader may also reject it (with a reason the sender sees) or dismiss it (no covered copy is
// wanted): either records the decision and takes it off the list, leaves it blocked where it is,
// and never publishes anything. And an unknown face in it may be identified, when the photo is
// checked again as a held one is. Each is audited and logged.
//
// JobQueue (queue/job_queue.h) lets only a covered copy be decided on a blocked photo and only a
// held photo's faces be identified; these two steps are its decide() and identifyFace() for a
// coverable photo, in the same transaction shape, until the queue offers them itself.
#include <Poco/JSON/Object.h>

#include <sstream>

#include "consentguard/audit/audit_log.h"
#include "consentguard/common/text.h"
#include "consentguard/queue/offered_faces.h"
#include "review_page.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

// As the queue's own test for a coverable photo: blocked only for faces, not decided, kept.
const char* kCoverableJob =
    "state = 'done' AND verdict = 'block' AND decision = '' AND purged_at = '' AND "
    "json_extract(result_json, '$.coverable') = 1";

std::string json(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

}  // namespace

void closeBlockedPhoto(ReviewRequest& r, const queue::Job& job, const std::string& decision,
                       const std::string& typedReason) {
  const std::string reason = trimSpace(typedReason);
  if (decision == "rejected" && (reason.empty() || reason.size() > 1000)) {
    return r.refuse(HTTPResponse::HTTP_BAD_REQUEST, "A reason is needed",
                    "Write why the photo must not be published (up to 1000 characters).");
  }
  // The jobs table accepts only approved, rejected and redacted (schema CHECK): a dismissal is
  // recorded as a rejection with this reason, and audited as photo_dismissed.
  const std::string recorded = decision == "dismissed" ? kDismissedReason : reason;
  reg::Database& db = r.t.queue->database();
  const std::string actor = actorOf(r.session);
  Status done = [&]() -> Status {
    reg::Database::Transaction transaction(db);
    if (!transaction.begun()) return transaction.begun();
    if (Status s = db.execute(
            "UPDATE jobs SET decision = ?, decided_by = ?, decision_reason = ?, decided_at = "
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', "
            "'now') WHERE id = ? AND " + std::string(kCoverableJob),
            {std::string("rejected"), actor, recorded, job.id});
        !s) {
      return s;
    }
    if (db.changes() != 1) {
      return makeError("not_held", "This photo is no longer waiting for a decision: someone "
                                   "else may have decided it already. Nothing was changed.");
    }
    Poco::JSON::Object details;
    details.set("verdict", "block");
    details.set("reason", recorded);
    if (Status a = audit::AuditLog(db).append(actor, "photo_" + decision, job.id, json(details));
        !a) {
      return a;
    }
    return transaction.commit();
  }();
  if (!done) {
    return r.refuse(done.error().code == "not_held" ? HTTPResponse::HTTP_CONFLICT
                                                    : HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                    "Not done", done.error().message);
  }
  logDecision(r, job, decision == "rejected" ? "rejected blocked" : "dismissed blocked");
  redirect(r.response, "/review?done=" + job.id);
}

Status identifyBlockedFace(ReviewRequest& r, const queue::Job& job, const std::string& face,
                           const std::string& person) {
  reg::Database& db = r.t.queue->database();
  const std::string actor = actorOf(r.session);
  reg::Database::Transaction transaction(db);
  if (!transaction.begun()) return transaction.begun();
  if (Status s = db.execute(
          "INSERT INTO identified_faces (job_id, box, person_id, identified_by) VALUES (?, ?, ?, "
          "?) ON CONFLICT (job_id, box) DO UPDATE SET person_id = excluded.person_id, "
          "identified_by = excluded.identified_by",
          {job.id, face, person, actor});
      !s) {
    return s;
  }
  // Checked again from the start; the worker removes the blocked copy and its note first.
  if (Status s = db.execute(
          "UPDATE jobs SET state = 'queued', previous_output = output_path, output_path = '', "
          "verdict = '', result_json = '', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
          "WHERE id = ? AND " + std::string(kCoverableJob),
          {job.id});
      !s) {
    return s;
  }
  if (db.changes() != 1) {
    return makeError("not_held", "This photo is no longer waiting for a decision, so its faces "
                                 "cannot be changed. Nothing was changed.");
  }
  Poco::JSON::Object details;
  details.set("box", face);
  details.set("person", person);
  if (Status a = audit::AuditLog(db).append(actor, "face_identified", job.id, json(details)); !a) {
    return a;
  }
  if (Status o = queue::offerReferenceFace(db, job.id, face, person, "identified", actor); !o) {
    return o;
  }
  return transaction.commit();
}

}  // namespace consentguard::service
