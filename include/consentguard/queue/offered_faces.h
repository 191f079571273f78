// Faces offered as reference photos (issue 21: templates that keep up with a growing child).
// When a senior leader identifies a face as a pupil, or approves a held photo in which a
// pupil's face was named, that face is offered to the admin as a new reference photo of the
// pupil. An offer is made only while the pupil has biometric consent, and holds only where the
// face is (the photo's job and the face's box), never a copy of the face or a template: the
// admin adds it (check/enrolment.h: enrolFaceFromPhoto, with the reference checks) or turns it
// down ("not this one"), and either closes it. A face is offered once per photo and pupil.
//
// Free functions on the caller's connection to the register's database (one per thread). Each
// change is audited in the same transaction; they nest inside a caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/register/database.h"

namespace consentguard::queue {

struct OfferedFace {
  std::int64_t id = 0;
  std::string job_id;
  std::string box;  // queue::boxKey: "x,y,w,h" in the upright photo's pixels
  std::string person_id;
  std::string how;         // "identified" (SLT named an unknown face) or "approved"
  std::string offered_by;  // the senior leader's actor
  std::string offered_at;  // ISO 8601
};

// Offers the face when `person` is a pupil with biometric consent; does nothing otherwise, or
// when this face of this photo was offered for them before (open, added or turned down).
// Audited as reference_face_offered.
Status offerReferenceFace(reg::Database& db, const std::string& job_id, const std::string& box,
                          const std::string& person, const std::string& how, const std::string& by);

// Offers every face the job's checked result names as a consented pupil (after SLT approved
// the photo), as offerReferenceFace does.
Status offerNamedFaces(reg::Database& db, const std::string& job_id, const std::string& by);

// The open offers for `person`, oldest first; everyone's when `person` is empty.
Result<std::vector<OfferedFace>> openOffers(reg::Database& db, const std::string& person);
// One open offer, by id.
Result<std::optional<OfferedFace>> openOffer(reg::Database& db, std::int64_t id);

// Closes an open offer: `added` (it became a reference photo, reference_photo_id) or turned
// down. Audited as reference_face_added or reference_face_declined. Error "not_found" when it
// is not open (someone else acted on it first).
Status closeOffer(reg::Database& db, std::int64_t id, bool added, std::int64_t reference_photo,
                  const std::string& actor);

}  // namespace consentguard::queue
