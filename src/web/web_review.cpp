// The review page for senior leaders: the held photos (and videos: review_video.h), each shown
// with its faces boxed and labelled, and the decisions: approve (only what the rules put to a
// person), reject with a reason, identify an unknown face (the photo is checked again), publish a
// copy with faces covered (checked again before it goes out). Photos the rules blocked only for
// faces are listed too: for them the one decision is a covered copy; nobody can approve the
// original. A decision is written to the folders and the API before the answer is sent.
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <set>

#include "consentguard/check/photo_check.h"
#include "consentguard/common/files.h"
#include "consentguard/common/text.h"
#include "consentguard/image/image_format.h"
#include "consentguard/image/sanitiser.h"
#include "consentguard/service/outcome_writer.h"
#include "consentguard/video/video_file.h"
#include "page_templates.h"
#include "redaction.h"
#include "review_facts.h"
#include "review_video.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTMLForm;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// Each thread that is asked for a redacted copy loads its own face engine, once.
Result<check::PhotoChecker*> threadChecker(const ServiceSettings& settings, ThreadDatabase& t,
                                           faces::FaceEngine** engineOut) {
  thread_local std::unique_ptr<check::PhotoChecker> checker;
  auto engine = threadFaceEngine(settings);
  if (!engine) return engine.error();
  if (!checker)
    checker = std::make_unique<check::PhotoChecker>(**engine, *t.store, settings.policy);
  *engineOut = *engine;
  return checker.get();
}

class Review {
 public:
  Review(HTTPServerRequest& request, HTTPServerResponse& response, ThreadDatabase& t,
         const ServiceSettings& settings, Session session)
      : request_(request),
        response_(response),
        t_(t),
        settings_(settings),
        session_(std::move(session)) {}

  void list();
  // What became of a photo just decided, from its record (never text from the address).
  std::string notice(const std::string& id);
  void photo(const queue::Job& job);
  void image(const queue::Job& job);
  void approve(const queue::Job& job);
  void reject(const queue::Job& job, const HTMLForm& form);
  void identify(const queue::Job& job, const HTMLForm& form);
  void redact(const queue::Job& job, const HTMLForm& form);
  void device(const queue::Job& job);

 private:
  void refuse(HTTPResponse::HTTPStatus status, const std::string& title,
              const std::string& message) {
    sendMessagePage(response_, status, title, message, &session_);
  }
  // Records the decision, writes the outcome, and sends the reviewer back to the list.
  void finish(const queue::Job& job, const std::string& decision, const std::string& verdict,
              const std::string& extension, const std::string& reason,
              const std::filesystem::path& redacted = {});

  HTTPServerRequest& request_;
  HTTPServerResponse& response_;
  ThreadDatabase& t_;
  const ServiceSettings& settings_;
  Session session_;
};

// The held photos' (or blocked photos') rows: each with its reasons.
void addJobRows(ctemplate::TemplateDictionary& table, const char* section,
                const std::vector<queue::Job>& jobs) {
  for (const auto& job : jobs) {
    auto* row = table.AddSectionDictionary(section);
    row->SetValue("ID", job.id);
    row->SetValue("FILE", job.submission.file_name);
    row->SetValue("CHANNEL", job.submission.channel);
    row->SetValue("SUBMITTED", readableTime(job.created_at));
    for (const auto& r : reasonsOf(job)) row->AddSectionDictionary("REASON")->SetValue("TEXT", r);
  }
}

void Review::list() {
  auto held = t_.queue->held();
  if (!held)
    return refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Consent Guard has a problem",
                  "The list of held photos could not be read; try again shortly.");
  ctemplate::TemplateDictionary page("review_list");
  const Poco::URI uri(request_.getURI());
  for (const auto& [name, value] : uri.getQueryParameters()) {
    if (name != "done") continue;
    if (const std::string text = notice(value); !text.empty()) {
      page.AddSectionDictionary("NOTICE")->SetValue("TEXT", text);
    }
  }
  if (held->empty()) page.ShowSection("NONE_HELD");
  if (!held->empty()) addJobRows(*page.AddSectionDictionary("ANY_HELD"), "HELD", *held);
  auto blocked = t_.queue->coverable();
  if (blocked && !blocked->empty()) {
    auto* table = page.AddSectionDictionary("ANY_COVERABLE");
    table->SetValue("SENTENCE", policy::coveredCopySentence());
    addJobRows(*table, "BLOCKED", *blocked);
  }
  sendPage(response_, HTTPResponse::HTTP_OK, "Held photos", renderPage("review_list.tpl", page),
           &session_);
}

std::string Review::notice(const std::string& id) {
  auto job = t_.queue->find(id);
  if (!job || !*job) return "";
  const queue::Job& j = **job;
  std::string text = j.submission.file_name + ": ";
  const std::string by = j.decision.by.substr(j.decision.by.find(':') + 1);
  if (j.state == queue::JobState::kQueued || j.state == queue::JobState::kProcessing) {
    text += "being checked again with the face you identified.";
  } else if (j.state == queue::JobState::kFinishing) {
    text += "the decision is recorded; its files are being written.";
  } else if (j.decision.decision == "rejected") {
    text += "rejected by " + by + ", and moved to the rejected folder with the reason.";
  } else if (!j.decision.decision.empty()) {
    text += (j.decision.decision == "redacted" ? "a copy with faces covered was published by "
                                               : "approved and published by ") +
            by + " to the " + j.submission.channel + " outbox.";
  } else {
    text += "checked again: " + j.verdict + ".";
  }
  return text;
}

std::string percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

void Review::photo(const queue::Job& job) {
  const bool held = job.state == queue::JobState::kDone && job.verdict == "review";
  const bool coverable = isCoverable(job);
  auto bytes = image::readFileBytes(job.original);
  auto decoded = bytes ? image::decodeImage(*bytes) : Result<image::UprightImage>(bytes.error());
  const double width = decoded ? decoded->rgb.cols : 1, height = decoded ? decoded->rgb.rows : 1;
  const auto faces = facesOf(job);
  ctemplate::TemplateDictionary page("review_photo");
  page.SetValue("ID", job.id);
  page.SetValue("CSRF", session_.csrf_token);
  page.SetValue("FILE", job.submission.file_name);
  page.SetValue("CHANNEL", job.submission.channel);
  page.SetValue("SUBMITTED", readableTime(job.created_at));
  if (coverable) {
    page.AddSectionDictionary("COVERABLE")->SetValue("SENTENCE", policy::coveredCopySentence());
  } else if (!held) {
    addNotWaiting(page, job);
  }
  page.ShowSection(held ? "HELD" : "NOT_HELD");
  for (const auto& r : reasonsOf(job)) page.AddSectionDictionary("REASON")->SetValue("TEXT", r);
  if (const auto names = metadataNamesOf(job); !names.empty()) {
    auto* list = page.AddSectionDictionary("ANY_METADATA_NAMES");
    for (const auto& n : names) list->AddSectionDictionary("METADATA_NAME")->SetValue("TEXT", n);
  }
  // The picture is served at most 1600 px wide; the boxes are placed in the original's pixels.
  page.SetIntValue("WIDTH", static_cast<int>(width));
  page.SetIntValue("HEIGHT", static_cast<int>(height));
  for (const auto& f : faces) {
    auto* face = page.AddSectionDictionary("FACE");
    face->SetValue("STATUS", f.status);
    face->SetValue("PERSON", f.person);
    face->SetValue("LEFT", percent(100.0 * f.box.x / width));
    face->SetValue("TOP", percent(100.0 * f.box.y / height));
    face->SetValue("W", percent(100.0 * f.box.w / width));
    face->SetValue("H", percent(100.0 * f.box.h / height));
    face->SetValue("LABEL", faceLabel(f, *t_.store));
  }
  if (held || coverable) {
    auto* actions = page.AddSectionDictionary("ACTIONS");
    if (coverable) {
      actions->ShowSection("NO_APPROVE_COVERABLE");
    } else {
      actions->ShowSection(mayApprove(job) ? "APPROVE" : "NO_OVERRIDE");
    }
    if (held) {
      if (auto device = unregisteredDeviceOf(job)) {
        auto* form = actions->AddSectionDictionary("DEVICE");
        form->SetValue("MAKE_MODEL", device->make + " " + device->model);
        if (!device->serial.empty()) {
          form->AddSectionDictionary("SERIAL")->SetValue("TEXT", device->serial);
        }
      }
      actions->ShowSection("REJECT");
    }
    for (const auto& f : faces) {
      auto* cover = actions->AddSectionDictionary("COVER");
      cover->SetValue("BOX", queue::boxKey(f.box));
      cover->SetValue("LABEL", faceLabel(f, *t_.store));
      if (!mayBePublished(f.status)) cover->ShowSection("MUST");
    }
    auto people = t_.store->people();
    for (const auto& f : faces) {
      if (!held || mayBePublished(f.status) || f.status == "no_photo" || f.status == "no_consent")
        continue;
      auto* identify = actions->AddSectionDictionary("IDENTIFY");
      identify->SetValue("BOX", queue::boxKey(f.box));
      identify->SetValue("LABEL", faceLabel(f, *t_.store));
      for (const auto& p : people ? *people : std::vector<reg::Person>{}) {
        auto* option = identify->AddSectionDictionary("PERSON");
        option->SetValue("PERSON_ID", p.id);
        option->SetValue("NAME", p.displayName());
      }
    }
  }
  sendPage(response_, HTTPResponse::HTTP_OK, coverable ? "Blocked photo" : "Held photo",
           renderPage("review_photo.tpl", page), &session_);
}

void Review::image(const queue::Job& job) {
  auto bytes = image::readFileBytes(job.original);
  auto decoded = bytes ? image::decodeImage(*bytes) : Result<image::UprightImage>(bytes.error());
  if (!decoded)
    return refuse(HTTPResponse::HTTP_NOT_FOUND, "No picture",
                  "This photo cannot be shown: " + decoded.error().message);
  sendJpeg(response_, decoded->rgb, 1600);
}

void Review::finish(const queue::Job& job, const std::string& decision, const std::string& verdict,
                    const std::string& extension, const std::string& reason,
                    const std::filesystem::path& redacted) {
  const std::filesystem::path output = chooseOutputPath(settings_.folders, job, verdict, extension);
  if (Status s = t_.queue->decide(job.id, {decision, actorOf(session_), reason, ""}, verdict,
                                  output, redacted);
      !s) {
    return refuse(s.error().code == "not_held" ? HTTPResponse::HTTP_CONFLICT
                                               : HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                  "Not done", s.error().message);
  }
  auto decided = t_.queue->find(job.id);
  if (!decided || !*decided)
    return refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Not finished",
                  "The decision is recorded and will be completed "
                  "within minutes.");
  // If this fails the job stays finishing and is completed by the service within minutes.
  (void)completeOutcome(*t_.queue, **decided, settings_.policy.heic_jpeg_quality);
  redirect(response_, "/review?done=" + job.id);
}

void Review::approve(const queue::Job& job) {
  if (!mayApprove(job)) {
    return refuse(HTTPResponse::HTTP_FORBIDDEN, "Not allowed",
                  "The school's policy does not let this photo be approved.");
  }
  if (isVideoJob(job)) {
    // The clean copy is made (and verified) now, so that a video that cannot be copied clean
    // is refused here rather than left unfinished; the outcome writes it again, byte for byte.
    const video::VideoLimits limits{600, 1024ull << 20, 4096};
    if (Status clean = video::writeCleanCopy(job.original, stagedVideoPath(job), limits); !clean) {
      return refuse(HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "Not published",
                    "A clean copy of the video could not be made: " + clean.error().message);
    }
    return finish(job, "approved", "publish", ".mp4", "");
  }
  auto bytes = image::readFileBytes(job.original);
  auto clean = bytes ? image::sanitise(*bytes, {}, settings_.policy.heic_jpeg_quality)
                     : Result<image::SanitisedPhoto>(bytes.error());
  if (!clean) {
    return refuse(HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "Not published",
                  "A clean copy could not be made: " + clean.error().message);
  }
  finish(job, "approved", "publish", image::fileExtension(clean->format), "");
}

void Review::reject(const queue::Job& job, const HTMLForm& form) {
  const std::string reason = trimSpace(form.get("reason", ""));
  if (reason.empty() || reason.size() > 1000) {
    return refuse(HTTPResponse::HTTP_BAD_REQUEST, "A reason is needed",
                  "Write why the photo must not be published (up to 1000 characters).");
  }
  finish(job, "rejected", "block", "", reason);
}

void Review::identify(const queue::Job& job, const HTMLForm& form) {
  const std::string face = form.get("face", ""), personId = form.get("person", "");
  // Only a face nobody was recognised in may be named: naming a recognised face as someone
  // else would let a pupil on the no-photo list be published under another name.
  // A face matched to the same person as another face may be named too: one of them is not
  // that person.
  bool unknown = false;
  for (const auto& f : facesOf(job)) {
    unknown |=
        queue::boxKey(f.box) == face && (f.person.empty() || f.status == "same_person_twice");
  }
  auto person = t_.store->findPerson(personId);
  if (!unknown || !person || !*person) {
    return refuse(HTTPResponse::HTTP_BAD_REQUEST, "Not identified",
                  "Only a face Consent Guard did not recognise can be identified, as a person in "
                  "the register. Open the photo again and choose from the list.");
  }
  if (Status s = t_.queue->identifyFace(job.id, face, personId, actorOf(session_)); !s) {
    return refuse(HTTPResponse::HTTP_CONFLICT, "Not identified", s.error().message);
  }
  redirect(response_, "/review?done=" + job.id);
}

void Review::redact(const queue::Job& job, const HTMLForm& form) {
  std::vector<cv::Rect> cover;
  std::set<std::string> ticked;
  for (auto it = form.find("cover"); it != form.end() && it->first == "cover"; ++it) {
    ticked.insert(it->second);
  }
  for (const auto& f : facesOf(job)) {
    if (!mayBePublished(f.status) || ticked.count(queue::boxKey(f.box))) {
      cover.emplace_back(f.box.x, f.box.y, f.box.w, f.box.h);
    }
  }
  faces::FaceEngine* engine = nullptr;
  auto checker = threadChecker(settings_, t_, &engine);
  auto original = image::readFileBytes(job.original);
  if (!checker || !original) {
    return refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Not done",
                  "Consent Guard could not load what it needs to check a covered copy.");
  }
  auto redacted = redactFaces(*original, cover, *engine);
  if (!redacted) {
    return refuse(HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "Not published",
                  redacted.error().message);
  }
  // The covered copy goes through every rule again, as a new photo would.
  const queue::Submission& s = job.submission;
  auto result =
      (*checker)->check({redacted->jpeg, s.channel, s.file_name, s.caption, s.alt_text, {}});
  if (!result) {
    return refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Not done", result.error().message);
  }
  bool clear = result->decision.verdict != policy::Verdict::kBlock;
  for (const auto& f : result->faces) clear &= mayBePublished(f.status);
  if (!clear) {
    std::string why;
    for (const auto& r : result->decision.reasons) why += " " + r.message;
    return refuse(HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "Not published",
                  "The covered copy still breaks the rules:" + why +
                      " Tick the faces to cover, or reject the photo.");
  }
  const std::filesystem::path stored = settings_.folders.store() / (job.id + "-redacted.jpg");
  if (Status w = writeFileAtomically(stored, redacted->jpeg, /*overwrite=*/true); !w) {
    return refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Not done", w.error().message);
  }
  finish(job, "redacted", "publish", ".jpg", std::to_string(cover.size()) + " faces covered",
         stored);
}

void Review::device(const queue::Job& job) {
  auto device = unregisteredDeviceOf(job);
  if (!device) {
    return refuse(HTTPResponse::HTTP_BAD_REQUEST, "Not registered",
                  "This photo was not held for its device, or does not say which device took it.");
  }
  if (Status s = registerSchoolDevice(t_, *device, session_); !s) {
    return refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Not registered", s.error().message);
  }
  redirect(response_, "/review?done=" + job.id);
}

}  // namespace

bool handleReviewRoute(const std::string& path, HTTPServerRequest& request,
                       HTTPServerResponse& response, ThreadDatabase& t,
                       const ServiceSettings& settings) {
  const std::string prefix = "/review";
  if (path.rfind(prefix, 0) != 0) return false;
  const std::string rest = path.substr(prefix.size());
  const bool post = request.getMethod() == "POST";
  if (rest.empty() || rest == "/") {
    if (post) return false;
    auto session = requireSession(request, response, t, canReview);
    if (session) Review(request, response, t, settings, *session).list();
    return true;
  }
  // /{id} or /{id}/{action}
  const std::string id = rest.substr(1, 32);
  const std::string action = rest.size() > 33 ? rest.substr(33) : "";
  const bool validId = rest.size() >= 33 && (rest.size() == 33 || rest[33] == '/') &&
                       std::all_of(id.begin(), id.end(), [](char c) {
                         return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                       });
  if (!validId) return false;
  HTMLForm form;
  auto session = requireSession(request, response, t, canReview, &form);
  if (!session) return true;
  Review review(request, response, t, settings, *session);
  auto job = t.queue->find(id);
  if (!job || !*job) {
    sendMessagePage(response, HTTPResponse::HTTP_NOT_FOUND, "No such photo",
                    "There is no photo with this reference.", &*session);
    return true;
  }
  const queue::Job& j = **job;
  const bool held = j.state == queue::JobState::kDone && j.verdict == "review";
  // A blocked photo may only have a covered copy published.
  if (post && !held && !(action == "/redact" && isCoverable(j))) {
    sendMessagePage(response, HTTPResponse::HTTP_CONFLICT, "Not done",
                    "This photo is no longer held: someone else may have decided it already, or "
                    "it is being checked again. Nothing was changed.",
                    &*session);
    return true;
  }
  const bool isVideo = isVideoJob(j);
  if (isVideo && (action == "/image" || action == "/identify" || action == "/redact")) {
    sendMessagePage(response, HTTPResponse::HTTP_CONFLICT, "Not for a video",
                    "This is a video: it can be approved (when the policy allows) or rejected. A "
                    "copy with faces covered is not made for videos. Nothing was changed.",
                    &*session);
    return true;
  }
  if (!post && action.empty()) {
    if (isVideo) {
      sendVideoReviewPage(response, t, *session, j);
    } else {
      review.photo(j);
    }
  } else if (!post && isVideo && action == "/video") {
    sendVideoFile(request, response, j.original);
  } else if (!post && isVideo && action == "/sheet") {
    sendContactSheet(response, j, *session);
  } else if (!post && action == "/image") {
    review.image(j);
  } else if (post && action == "/approve") {
    review.approve(j);
  } else if (post && action == "/reject") {
    review.reject(j, form);
  } else if (post && action == "/identify") {
    review.identify(j, form);
  } else if (post && action == "/redact") {
    review.redact(j, form);
  } else if (post && action == "/device") {
    review.device(j);
  } else {
    sendMessagePage(response, HTTPResponse::HTTP_NOT_FOUND, "Page not found",
                    "There is no such page in Consent Guard.", &*session);
  }
  return true;
}

}  // namespace consentguard::service
