#include "consentguard/check/enrolment.h"

#include <algorithm>
#include <map>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "consentguard/audit/audited_register.h"
#include "consentguard/common/dates.h"
#include "consentguard/common/flat_json.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"
#include "consentguard/register/database.h"

namespace consentguard::check {
namespace {

// The day the photo was taken, from its EXIF date ("2026:09:14 10:02:11"); empty when it has
// none, or one in the future (a wrong camera clock must not make a template look young).
std::string photoDate(std::span<const std::uint8_t> bytes) {
  auto metadata = image::readMetadata(bytes);
  if (!metadata || metadata->date_taken.size() < 10) return "";
  std::string date = metadata->date_taken.substr(0, 10);
  std::replace(date.begin(), date.end(), ':', '-');
  return isIsoDate(date) && date <= todayIso() ? date : "";
}

// The face's box enlarged to three times its size, within the photo, scaled down to at most
// kKeptSidePx on its longer side.
cv::Mat keptCrop(const cv::Mat& rgb, const cv::Rect& face) {
  const cv::Rect around(face.x - face.width, face.y - face.height, 3 * face.width,
                        3 * face.height);
  cv::Mat crop = rgb(around & cv::Rect(0, 0, rgb.cols, rgb.rows));
  const int side = std::max(crop.cols, crop.rows);
  if (side <= kKeptSidePx) return crop.clone();
  cv::Mat smaller;
  const double scale = double(kKeptSidePx) / side;
  cv::resize(crop, smaller, cv::Size(), scale, scale, cv::INTER_AREA);
  return smaller;
}

Result<std::vector<std::uint8_t>> encodeJpeg(const cv::Mat& rgb) {
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  std::vector<std::uint8_t> jpeg;
  if (!cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, 92})) {
    return makeError("internal", "The reference photo could not be kept. Try again.",
                     "JPEG encoding failed");
  }
  return jpeg;
}

Result<faces::Descriptor> describeKept(faces::FaceEngine& engine,
                                       std::span<const std::uint8_t> jpeg) {
  auto kept = image::decodeImage(jpeg);
  if (!kept) return kept.error();
  auto face = engine.referenceFace(kept->rgb);
  if (!face) return face.error();
  return face->descriptor;
}

Status noConsent(const reg::Person& p) {
  return makeError("no_biometric_consent",
                   p.displayName() +
                       " has no biometric consent, so no reference photo or face template can "
                       "be kept. Their photos will go to a senior leader instead.");
}

Status mayEnrol(reg::RegisterStore& store, const std::string& person) {
  auto found = store.findPerson(person);
  if (!found) return found.error();
  if (!*found) return reg::unknownPerson(person);
  if ((*found)->biometric != reg::Biometric::kGiven) return noConsent(**found);
  return okStatus();
}

// Every reference photo, uploaded or cut from a submitted photo, is enrolled here: the one face
// must pass the reference checks; what is kept and the template come from the same copy. The
// face engine's work is done before anything is written; then the photo, its template, their
// audit entry and `alsoKeep` (more writes that belong with them) are kept together or not at all.
Result<EnrolledPhoto> enrolUpright(reg::RegisterStore& store, faces::FaceEngine& engine,
                                   const std::string& person, const cv::Mat& rgb,
                                   const std::string& photo_date, const std::string& source,
                                   const std::string& actor, const AlsoKeep& alsoKeep = {}) {
  auto face = engine.referenceFace(rgb);
  if (!face) return face.error();
  auto jpeg = encodeJpeg(keptCrop(rgb, face->box));
  if (!jpeg) return jpeg.error();
  // The template comes from what is kept, so that enrolling again later gives the same one.
  auto descriptor = describeKept(engine, *jpeg);
  if (!descriptor) {
    return makeError(descriptor.error().code,
                     "The face could not be enrolled from this photo: " +
                         descriptor.error().message + " Try a photo taken closer.",
                     descriptor.error().detail);
  }
  reg::ReferencePhoto kept;
  kept.person_id = person;
  kept.source = source;
  kept.photo_date = photo_date.empty() ? todayIso() : photo_date;
  kept.added_by = actor;
  kept.jpeg = std::move(jpeg.value());

  EnrolledPhoto enrolled{0, kept.photo_date};
  reg::Database::Transaction transaction(store.database());
  if (!transaction.begun()) return transaction.begun().error();
  Status s = audit::recordChange(
      store.database(), actor, "reference_photo_added", person, [&]() -> Result<std::string> {
        auto id = store.addReferencePhoto(kept);
        if (!id) return id.error();
        const std::vector<float> values(descriptor->begin(), descriptor->end());
        if (Status added = store.addTemplate(person, values, source, engine.pipelineVersion(),
                                             kept.photo_date, *id);
            !added) {
          return added.error();
        }
        enrolled.reference_photo = *id;
        return FlatJson()
            .number("reference_photo", *id)
            .text("source", source)
            .text("photo_date", kept.photo_date)
            .text("pipeline", engine.pipelineVersion())
            .str();
      });
  if (s && alsoKeep) s = alsoKeep(enrolled);
  if (s) s = transaction.commit();
  if (!s) return s.error();
  return enrolled;
}

}  // namespace

Result<EnrolledPhoto> enrolReferencePhoto(reg::RegisterStore& store, faces::FaceEngine& engine,
                                          const std::string& person,
                                          std::span<const std::uint8_t> bytes,
                                          const std::string& source, const std::string& actor) {
  // Refuse before looking at any face: without consent no template may even be computed.
  if (Status may = mayEnrol(store, person); !may) return may.error();
  auto image = image::decodeImage(bytes);
  if (!image) return image.error();
  return enrolUpright(store, engine, person, image->rgb, photoDate(bytes), source, actor);
}

cv::Mat faceFromPhoto(const cv::Mat& rgb, const cv::Rect& face,
                      const std::vector<cv::Rect>& others) {
  const cv::Rect whole(0, 0, rgb.cols, rgb.rows);
  const cv::Rect around =
      cv::Rect(face.x - face.width, face.y - face.height, 3 * face.width, 3 * face.height) & whole;
  cv::Mat cut = rgb(around).clone();
  for (const auto& other : others) {
    if (other == face) continue;
    // A little larger than the detector's box, which can leave the chin or brow outside.
    const int dx = other.width / 6, dy = other.height / 6;
    const cv::Rect cover =
        (cv::Rect(other.x - dx, other.y - dy, other.width + 2 * dx, other.height + 2 * dy) &
         around) -
        around.tl();
    if (cover.area() > 0) cut(cover).setTo(cv::Scalar(128, 128, 128));
  }
  // Where another face's cover reaches into this one, this face wins: it is the one to keep.
  const cv::Rect own = (face & around) - around.tl();
  if (own.area() > 0) rgb(own + around.tl()).copyTo(cut(own));
  return cut;
}

Result<EnrolledPhoto> enrolFaceFromPhoto(reg::RegisterStore& store, faces::FaceEngine& engine,
                                         const std::string& person,
                                         std::span<const std::uint8_t> original,
                                         const cv::Rect& face, const std::vector<cv::Rect>& others,
                                         const std::string& source, const std::string& actor,
                                         const AlsoKeep& alsoKeep) {
  if (Status may = mayEnrol(store, person); !may) return may.error();
  auto image = image::decodeImage(original);
  if (!image) return image.error();
  if ((face & cv::Rect(0, 0, image->rgb.cols, image->rgb.rows)).area() == 0) {
    return makeError("no_face",
                     "The face is not where the photo's record says. Turn this one down and add "
                     "another photo instead.");
  }
  return enrolUpright(store, engine, person, faceFromPhoto(image->rgb, face, others),
                      photoDate(original), source, actor, alsoKeep);
}

Status removeReferencePhoto(reg::RegisterStore& store, std::int64_t id,
                            const std::string& actor) {
  auto photo = store.referencePhoto(id);
  if (!photo) return photo.error();
  if (!*photo) {
    return makeError("not_found", "There is no such reference photo. It may have been removed.");
  }
  return audit::recordChange(store.database(), actor, "reference_photo_removed",
                             (*photo)->person_id, [&]() -> Result<std::string> {
                               if (Status s = store.removeReferencePhoto(id); !s) {
                                 return s.error();
                               }
                               return FlatJson()
                                   .number("reference_photo", id)
                                   .text("source", (*photo)->source)
                                   .str();
                             });
}

Result<ReEnrolReport> reEnrol(reg::RegisterStore& store, faces::FaceEngine& engine,
                              const std::string& actor) {
  auto photos = store.referencePhotos("");
  if (!photos) return photos.error();
  std::map<std::string, std::vector<reg::ReferencePhoto>> byPerson;
  for (auto& p : *photos) byPerson[p.person_id].push_back(std::move(p));
  ReEnrolReport report;
  for (const auto& entry : byPerson) {
    // Named, not structured bindings: the lambda below captures them (clang 14 cannot).
    const std::string& person = entry.first;
    const std::vector<reg::ReferencePhoto>& kept = entry.second;
    auto found = store.findPerson(person);
    if (!found) return found.error();
    const std::string name = *found ? (*found)->displayName() : person;
    ++report.people;
    Status s = audit::recordChange(
        store.database(), actor, "re_enrolled", person, [&]() -> Result<std::string> {
          if (Status d = store.deleteTemplatesFromReferencePhotos(person); !d) return d.error();
          int made = 0;
          for (const auto& listed : kept) {
            auto photo = store.referencePhoto(listed.id);
            if (!photo) return photo.error();
            if (!*photo) continue;
            auto descriptor = describeKept(engine, (*photo)->jpeg);
            if (!descriptor) {
              report.refused.push_back(name + ": " + listed.source + ": " +
                                       descriptor.error().message);
              continue;
            }
            const std::vector<float> values(descriptor->begin(), descriptor->end());
            if (Status a = store.addTemplate(person, values, listed.source,
                                             engine.pipelineVersion(), listed.photo_date,
                                             listed.id);
                !a) {
              return a.error();
            }
            ++made;
          }
          report.templates_made += made;
          return FlatJson()
              .number("templates_made", made)
              .text("pipeline", engine.pipelineVersion())
              .str();
        });
    if (!s) return s.error();
  }
  return report;
}

}  // namespace consentguard::check
