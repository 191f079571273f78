// Enrolling a person from reference photos, and enrolling everyone again after the face engine
// changes. Each photo must show one face that passes the reference checks
// (faces/reference_quality.h). What is kept is the face and what is around it (three times the
// face's box, at most kKeptSidePx on a side), upright, as a JPEG without metadata; the template
// is made from that kept copy, so that `reEnrol` rebuilds exactly what the photo gave.
// Photo and template are stored in one transaction with their audit entry
// (reference_photo_added, reference_photo_removed, re_enrolled: actor as in audit/), and only
// with biometric consent.
// Free functions; as thread-safe as the store and engine they are given (one per thread).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "consentguard/common/result.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/register/register_store.h"

namespace consentguard::check {

inline constexpr int kKeptSidePx = 800;

struct EnrolledPhoto {
  std::int64_t reference_photo = 0;
  std::string photo_date;  // YYYY-MM-DD: the photo's own date, else today
};

// Errors: the image's (corrupt, unsupported, too large), the face checks' (no_face,
// several_faces, face_too_small, and the quality checks'), no_biometric_consent, unknown_person.
// Each has a sentence a school's office can act on.
Result<EnrolledPhoto> enrolReferencePhoto(reg::RegisterStore& store, faces::FaceEngine& engine,
                                          const std::string& person,
                                          std::span<const std::uint8_t> bytes,
                                          const std::string& source, const std::string& actor);

// A face in a submitted photo, cut out to be enrolled (queue/offered_faces.h): the face's box
// grown by the face's own width and height on each side (the margin the detector and the kept
// copy need), within the upright photo, with every other face in it (`others`, boxes in the same
// pixels) covered in grey, so that only this person is kept and checked.
cv::Mat faceFromPhoto(const cv::Mat& rgb, const cv::Rect& face,
                      const std::vector<cv::Rect>& others);

// Writes that must be kept with an enrolled photo, in its transaction (an error undoes both).
using AlsoKeep = std::function<Status(const EnrolledPhoto&)>;

// Enrols the face at `face` in a submitted photo (its stored original's bytes) as a reference
// photo of `person`: cut out by faceFromPhoto, then the same path, checks, errors and audit as
// enrolReferencePhoto. The photo's date is the original's own date, else today. `alsoKeep`
// (closing the offer of this face) is written with the photo, after the face engine's work,
// so that no write lock is held while the engine runs.
Result<EnrolledPhoto> enrolFaceFromPhoto(reg::RegisterStore& store, faces::FaceEngine& engine,
                                         const std::string& person,
                                         std::span<const std::uint8_t> original,
                                         const cv::Rect& face, const std::vector<cv::Rect>& others,
                                         const std::string& source, const std::string& actor,
                                         const AlsoKeep& alsoKeep = {});

struct ReEnrolReport {
  int people = 0;           // people with kept reference photos
  int templates_made = 0;
  // "Amy Fowler: amy2.jpg: no face was found ..." for each kept photo the engine refused.
  std::vector<std::string> refused;
};

// Makes every template from the kept reference photos again with `engine` (after a model
// change), replacing the templates made from them; one transaction per person. Templates with
// no kept photo (enrolled before photos were kept) are left as they are.
Result<ReEnrolReport> reEnrol(reg::RegisterStore& store, faces::FaceEngine& engine,
                              const std::string& actor);

// Removes a kept reference photo and the template made from it. Audited.
Status removeReferencePhoto(reg::RegisterStore& store, std::int64_t id, const std::string& actor);

}  // namespace consentguard::check
