// Faces offered as reference photos, on a person's register page, for the admin (issue 21:
// templates that keep up with a growing child). A senior leader's naming of a pupil's face in a
// reviewed photo offers it (queue/offered_faces.h); here the admin sees each face cut from the
// stored original, and adds it to the pupil's reference photos (the same checks as an upload:
// check/enrolment.h) or turns it down ("Not this one"). Both are audited; both close the offer.
//   /register/{id}/offered/{n}.jpg            the face, with the margin that would be kept
//   /register/{id}/offered/{n}/add            POST: enrol it
//   /register/{id}/offered/{n}/decline        POST: turn it down
#include <Poco/NumberParser.h>
#include <Poco/URI.h>

#include "consentguard/check/enrolment.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/queue/offered_faces.h"
#include "review_facts.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

// Where an offered face is, and whether it can still be added; `why` says plainly when not.
struct OfferedPlace {
  std::optional<queue::Job> job;
  cv::Rect face;
  std::vector<cv::Rect> others;  // the photo's other faces, covered in what is kept
  std::string why;
};

OfferedPlace placeOf(const queue::OfferedFace& offer, const reg::Person& person,
                     ThreadDatabase& t) {
  OfferedPlace place;
  if (person.biometric != reg::Biometric::kGiven) {
    place.why = person.displayName() +
                " has no biometric consent now, so no reference photo can be kept. Choose "
                "\"Not this one\" to clear it.";
    return place;
  }
  auto job = t.queue->find(offer.job_id);
  const auto box = queue::parseBoxKey(offer.box);
  std::error_code ec;
  if (!job || !*job || !box || !std::filesystem::exists((*job)->original, ec)) {
    place.why =
        "The photo this face was in is no longer kept (photos are deleted after the retention "
        "period), so it cannot be added. Choose \"Not this one\" to clear it.";
    return place;
  }
  place.job = **job;
  place.face = cv::Rect(box->x, box->y, box->w, box->h);
  for (const auto& f : facesOf(**job))
    place.others.emplace_back(f.box.x, f.box.y, f.box.w, f.box.h);
  return place;
}

std::string describeHow(const queue::OfferedFace& offer) {
  return offer.how == "identified" ? "identified" : "named in a photo approved";
}

class OfferedFaces {
 public:
  OfferedFaces(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
               const ServiceSettings& settings, Session session, reg::Person person,
               queue::OfferedFace offer)
      : response_(response),
        t_(t),
        settings_(settings),
        session_(std::move(session)),
        person_(std::move(person)),
        offer_(std::move(offer)) {}

  void image();
  void add();
  void decline();

 private:
  void refuse(HTTPResponse::HTTPStatus status, const std::string& message) {
    sendMessagePage(response_, status, "Not added", message, &session_);
  }
  void backToPerson(const std::string& done) {
    redirect(response_,
             "/register/" + Poco::URI(person_.id).toString() + "?offer=" + done + "#offered");
  }

  Poco::Net::HTTPServerResponse& response_;
  ThreadDatabase& t_;
  const ServiceSettings& settings_;
  Session session_;
  reg::Person person_;
  queue::OfferedFace offer_;
};

void OfferedFaces::image() {
  const OfferedPlace place = placeOf(offer_, person_, t_);
  auto bytes = place.job ? image::readFileBytes(place.job->original)
                         : Result<std::vector<std::uint8_t>>(makeError("gone", place.why));
  auto decoded = bytes ? image::decodeImage(*bytes) : Result<image::UprightImage>(bytes.error());
  if (!decoded) {
    return sendMessagePage(response_, HTTPResponse::HTTP_NOT_FOUND, "No picture",
                           "This face cannot be shown: " + decoded.error().message, &session_);
  }
  sendJpeg(response_, check::faceFromPhoto(decoded->rgb, place.face, place.others), 320);
}

void OfferedFaces::add() {
  const OfferedPlace place = placeOf(offer_, person_, t_);
  if (!place.job) return refuse(HTTPResponse::HTTP_CONFLICT, place.why + " Nothing was kept.");
  auto bytes = image::readFileBytes(place.job->original);
  if (!bytes) {
    return refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                  "The photo could not be read: " + bytes.error().message + " Nothing was kept.");
  }
  auto engine = threadFaceEngine(settings_);
  if (!engine) {
    return refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                  "The face engine could not be loaded, so nothing was kept. Tell the Consent "
                  "Guard administrator: " +
                      engine.error().message);
  }
  // The reference photo, its template, their audit entries and the closed offer are kept
  // together, or none of them.
  auto enrolled = check::enrolFaceFromPhoto(
      *t_.store, **engine, person_.id, *bytes, place.face, place.others,
      place.job->submission.file_name, actorOf(session_), [&](const check::EnrolledPhoto& kept) {
        return queue::closeOffer(t_.store->database(), offer_.id, true, kept.reference_photo,
                                 actorOf(session_));
      });
  if (!enrolled && enrolled.error().code == "not_found") {
    return refuse(HTTPResponse::HTTP_CONFLICT, enrolled.error().message);
  }
  if (!enrolled) {
    return refuse(enrolled.error().code == "database" ? HTTPResponse::HTTP_SERVICE_UNAVAILABLE
                                                      : HTTPResponse::HTTP_UNPROCESSABLE_ENTITY,
                  "This face was not added to " + person_.displayName() +
                      "'s reference photos: " + enrolled.error().message +
                      " Nothing was kept. Choose \"Not this one\" to clear it, or upload a "
                      "clearer photo of " +
                      person_.displayName() + " on their page.");
  }
  backToPerson("added");
}

void OfferedFaces::decline() {
  if (Status s = queue::closeOffer(t_.store->database(), offer_.id, false, 0, actorOf(session_));
      !s) {
    return sendMessagePage(response_,
                           s.error().code == "not_found" ? HTTPResponse::HTTP_CONFLICT
                                                         : HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                           "Not changed", s.error().message, &session_);
  }
  backToPerson("declined");
}

}  // namespace

void addOfferedFaceNotice(ctemplate::TemplateDictionary& page, const reg::Person& person,
                          const std::string& outcome) {
  if (outcome != "added" && outcome != "declined") return;
  page.AddSectionDictionary("NOTICE")->SetValue(
      "TEXT", outcome == "added" ? "Added to " + person.displayName() +
                                       "'s reference photos, with a new face template made from it."
                                 : "Turned down: that face will not be offered again.");
}

void addOfferedFaces(ctemplate::TemplateDictionary& page, ThreadDatabase& t,
                     const reg::Person& person, const Session& session) {
  auto offers = queue::openOffers(t.store->database(), person.id);
  if (!offers || offers->empty()) return;
  auto* section = page.AddSectionDictionary("ANY_OFFERED");
  section->SetIntValue("OFFERED_COUNT", static_cast<long>(offers->size()));
  for (const auto& offer : *offers) {
    const OfferedPlace place = placeOf(offer, person, t);
    auto* row = section->AddSectionDictionary("OFFER");
    row->SetIntValue("OFFER", static_cast<long>(offer.id));
    row->SetValue("FILE", place.job ? place.job->submission.file_name : "a photo no longer kept");
    row->SetValue("HOW", describeHow(offer));
    row->SetValue("BY", offer.offered_by.substr(offer.offered_by.find(':') + 1));
    row->SetValue("AT", readableTime(offer.offered_at));
    if (place.job) {
      row->ShowSection("ADDABLE");
    } else {
      row->AddSectionDictionary("NOT_ADDABLE")->SetValue("WHY", place.why);
    }
    row->SetValue("CSRF", session.csrf_token);
  }
}

bool handleOfferedFacesRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                             Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                             const ServiceSettings& settings) {
  const std::string prefix = "/register/", marker = "/offered/";
  if (path.rfind(prefix, 0) != 0) return false;
  const auto at = path.find(marker, prefix.size());
  if (at == std::string::npos) return false;
  std::string id;
  Poco::URI::decode(path.substr(prefix.size(), at - prefix.size()), id);
  if (id.empty() || id.find('/') != std::string::npos) return false;
  const std::string rest = path.substr(at + marker.size());
  const bool post = request.getMethod() == "POST";
  const bool image = !post && rest.ends_with(".jpg");
  const bool add = post && rest.ends_with("/add");
  const bool decline = post && rest.ends_with("/decline");
  const std::string number = image     ? rest.substr(0, rest.size() - 4)
                             : add     ? rest.substr(0, rest.size() - 4)
                             : decline ? rest.substr(0, rest.size() - 8)
                                       : "";
  Poco::Int64 offerId = 0;
  if (number.empty() || !Poco::NumberParser::tryParse64(number, offerId)) return false;
  Poco::Net::HTMLForm form;
  auto session = requireSession(request, response, t, canChangeRegister, post ? &form : nullptr);
  if (!session) return true;
  auto person = t.store->findPerson(id);
  auto offer = queue::openOffer(t.store->database(), offerId);
  if (!person || !offer) {
    sendMessagePage(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Consent Guard has a problem",
                    "The register could not be read; try again shortly.", &*session);
    return true;
  }
  if (!*person || !*offer || (**offer).person_id != id) {
    sendMessagePage(response, post ? HTTPResponse::HTTP_CONFLICT : HTTPResponse::HTTP_NOT_FOUND,
                    "No longer offered",
                    "This face is no longer offered: someone may have added it or turned it "
                    "down already. Nothing was changed.",
                    &*session);
    return true;
  }
  OfferedFaces pages(response, t, settings, *session, **person, **offer);
  if (image) {
    pages.image();
  } else if (add) {
    pages.add();
  } else {
    pages.decline();
  }
  return true;
}

}  // namespace consentguard::service
