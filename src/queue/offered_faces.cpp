#include "consentguard/queue/offered_faces.h"

#include "consentguard/audit/audit_log.h"
#include "consentguard/common/flat_json.h"

namespace consentguard::queue {
namespace {

constexpr const char* kOfferColumns = "id, job_id, box, person_id, how, offered_by, offered_at";

OfferedFace readOffer(const reg::Statement& row) {
  return {row.integer(0), row.text(1), row.text(2), row.text(3),
          row.text(4),    row.text(5), row.text(6)};
}

}  // namespace

Status offerReferenceFace(reg::Database& db, const std::string& job_id, const std::string& box,
                          const std::string& person, const std::string& how,
                          const std::string& by) {
  reg::Database::Transaction transaction(db);
  if (!transaction.begun()) return transaction.begun();
  // Only a pupil whose parent gave biometric consent: without it no reference photo may be
  // kept, so there is nothing to offer.
  if (Status s = db.execute(
          "INSERT OR IGNORE INTO offered_faces (job_id, box, person_id, how, offered_by) SELECT "
          "?, ?, id, ?, ? FROM people WHERE id = ? AND role = 'pupil' AND biometric = 'given'",
          {job_id, box, how, by, person});
      !s) {
    return s;
  }
  if (db.changes() != 1) return transaction.commit();
  const std::string details = FlatJson()
                                  .number("offer", db.lastInsertId())
                                  .text("job", job_id)
                                  .text("box", box)
                                  .text("how", how)
                                  .str();
  if (Status a = audit::AuditLog(db).append(by, "reference_face_offered", person, details); !a) {
    return a;
  }
  return transaction.commit();
}

Status offerNamedFaces(reg::Database& db, const std::string& job_id, const std::string& by) {
  auto stmt = db.prepare(
      "SELECT json_extract(f.value, '$.person'), json_extract(f.value, '$.box.x') || ',' || "
      "json_extract(f.value, '$.box.y') || ',' || json_extract(f.value, '$.box.w') || ',' || "
      "json_extract(f.value, '$.box.h') FROM jobs j, json_each(j.result_json, '$.faces') f "
      "WHERE j.id = ? AND json_valid(j.result_json) AND json_extract(f.value, '$.status') = "
      "'consented' AND json_extract(f.value, '$.person') IS NOT NULL");
  if (!stmt) return stmt.error();
  auto named = stmt->bind({job_id}).collect([](const reg::Statement& row) {
    return std::pair<std::string, std::string>(row.text(0), row.text(1));
  });
  if (!named) return named.error();
  for (const auto& [person, box] : *named) {
    if (Status s = offerReferenceFace(db, job_id, box, person, "approved", by); !s) return s;
  }
  return okStatus();
}

Result<std::vector<OfferedFace>> openOffers(reg::Database& db, const std::string& person) {
  auto stmt = db.prepare(std::string("SELECT ") + kOfferColumns +
                         " FROM offered_faces WHERE status = 'open' AND (? = '' OR person_id = "
                         "?) ORDER BY offered_at, id");
  if (!stmt) return stmt.error();
  return stmt->bind({person, person}).collect(readOffer);
}

Result<std::optional<OfferedFace>> openOffer(reg::Database& db, std::int64_t id) {
  auto stmt = db.prepare(std::string("SELECT ") + kOfferColumns +
                         " FROM offered_faces WHERE status = 'open' AND id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({id}).step();
  if (!row) return row.error();
  if (!*row) return std::optional<OfferedFace>();
  return std::optional<OfferedFace>(readOffer(*stmt));
}

Status closeOffer(reg::Database& db, std::int64_t id, bool added, std::int64_t reference_photo,
                  const std::string& actor) {
  reg::Database::Transaction transaction(db);
  if (!transaction.begun()) return transaction.begun();
  auto offer = openOffer(db, id);
  if (!offer) return offer.error();
  if (!*offer) {
    return makeError("not_found",
                     "This face is no longer offered: someone may have added it or turned it "
                     "down already. Nothing was changed.");
  }
  if (Status s =
          db.execute("UPDATE offered_faces SET status = ?, closed_by = ?, closed_at = "
                     "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? AND status = 'open'",
                     {std::string(added ? "added" : "declined"), actor, id});
      !s) {
    return s;
  }
  FlatJson details;
  details.number("offer", id).text("job", (*offer)->job_id).text("box", (*offer)->box);
  if (added) details.number("reference_photo", reference_photo);
  if (Status a = audit::AuditLog(db).append(
          actor, added ? "reference_face_added" : "reference_face_declined", (*offer)->person_id,
          details.str());
      !a) {
    return a;
  }
  return transaction.commit();
}

}  // namespace consentguard::queue
