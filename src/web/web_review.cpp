// The review pages for senior leaders: the queue of held photos (and videos: review_video.h) with
// thumbnails and counts, and the blocked photos a covered copy could save; then one photo with its
// faces numbered and listed (web_review_photo.cpp) and the decisions (review_page.h). Every
// decision that publishes or rejects is confirmed first, on a page of its own (no script); a
// covered copy is previewed with the rules' answer before it can be published. A decision is
// written to the folders, the API, the audit trail and the service's log before the answer is sent.
#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <algorithm>

#include "consentguard/common/files.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/policy/policy.h"
#include "consentguard/service/outcome_writer.h"
#include "page_templates.h"
#include "review_facts.h"
#include "review_page.h"
#include "review_video.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTMLForm;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// The queue's rows: a thumbnail, the file, and why it waits, in words.
void addJobRows(ctemplate::TemplateDictionary& table, const char* section,
                const std::vector<queue::Job>& jobs) {
  for (const auto& job : jobs) {
    auto* row = table.AddSectionDictionary(section);
    row->SetValue("ID", job.id);
    row->SetValue("FILE", job.submission.file_name);
    row->SetValue("CHANNEL", channelLabel(job.submission.channel));
    row->SetValue("SUBMITTED", readableTime(job.created_at));
    if (!isVideoJob(job)) row->ShowSection("THUMB");
    for (const auto& r : reasonsOf(job)) row->AddSectionDictionary("REASON")->SetValue("TEXT", r);
  }
}

std::string countOf(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// What became of a photo just decided, from its record (never text from the address).
std::string notice(ThreadDatabase& t, const std::string& id) {
  auto job = t.queue->find(id);
  if (!job || !*job) return "";
  const queue::Job& j = **job;
  std::string text = j.submission.file_name + ": ";
  const std::string by = actorLabel(j.decision.by);
  const std::string channel = channelLabel(j.submission.channel);
  if (j.state == queue::JobState::kQueued || j.state == queue::JobState::kProcessing) {
    text += "being checked again with the face you identified. It comes back to this list if it "
            "still needs a decision.";
  } else if (j.state == queue::JobState::kFinishing) {
    text += "the decision is recorded; its files are being written.";
  } else if (j.decision.decision == "rejected" && j.decision.reason != kDismissedReason) {
    text += "rejected by " + by + ". It will not be published; the person who sent it can see why.";
  } else if (j.decision.decision == "rejected") {
    text += "taken off this list by " + by + ". It stays blocked and is not published.";
  } else if (!j.decision.decision.empty()) {
    text += (j.decision.decision == "redacted" ? "a copy with faces covered was published by "
                                               : "approved and published by ") +
            by + " to the " + channel + " channel.";
  } else if (j.verdict == "publish") {
    text += "checked again: it may now be published as it is.";
  } else if (j.verdict == "block") {
    text += "checked again: it is blocked.";
  } else {
    text += "checked again: it still needs a decision.";
  }
  return text;
}

void sendList(ReviewRequest& r) {
  auto held = r.t.queue->held();
  if (!held) {
    return r.refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Consent Guard has a problem",
                    "The list of held photos could not be read; try again shortly.");
  }
  ctemplate::TemplateDictionary page("review_list");
  const Poco::URI uri(r.request.getURI());
  for (const auto& [name, value] : uri.getQueryParameters()) {
    if (name != "done") continue;
    if (const std::string text = notice(r.t, value); !text.empty()) {
      page.AddSectionDictionary("NOTICE")->SetValue("TEXT", text);
    }
  }
  std::vector<queue::Job> blocked;
  if (auto coverable = r.t.queue->coverable()) {
    // A photo whose only faces are the ones to cover would be a covered copy of nobody.
    std::copy_if(coverable->begin(), coverable->end(), std::back_inserter(blocked),
                 coveredCopyWorthwhile);
  }
  page.SetValue("HELD_COUNT", countOf(held->size(), "photo waits", "photos wait"));
  page.SetValue("BLOCKED_COUNT", countOf(blocked.size(), "blocked photo", "blocked photos"));
  if (held->empty() && blocked.empty()) page.ShowSection("NOTHING_WAITING");
  if (held->empty()) page.ShowSection("NONE_HELD");
  if (!held->empty()) addJobRows(*page.AddSectionDictionary("ANY_HELD"), "HELD", *held);
  if (!blocked.empty()) {
    auto* table = page.AddSectionDictionary("ANY_COVERABLE");
    table->SetValue("SENTENCE", policy::coveredCopySentence());
    addJobRows(*table, "BLOCKED", blocked);
  }
  sendPage(r.response, HTTPResponse::HTTP_OK, "Held photos", renderPage("review_list.tpl", page),
           &r.session);
}

void sendPicture(ReviewRequest& r, const queue::Job& job, int longSide) {
  auto bytes = image::readFileBytes(job.original);
  auto decoded = bytes ? image::decodeImage(*bytes) : Result<image::UprightImage>(bytes.error());
  if (!decoded) {
    return r.refuse(HTTPResponse::HTTP_NOT_FOUND, "No picture",
                    "This photo cannot be shown: " + decoded.error().message);
  }
  sendJpeg(r.response, decoded->rgb, longSide);
}

// The actions a photo blocked for faces still allows: nothing that publishes it as it is.
bool allowedOnBlocked(const std::string& action) {
  return action == "/preview" || action == "/redact" || action == "/reject" ||
         action == "/dismiss" || action == "/identify" || action == "/confirm";
}

}  // namespace

void ReviewRequest::refuse(HTTPResponse::HTTPStatus status, const std::string& title,
                           const std::string& message) {
  sendMessagePage(response, status, title, message, &session);
}

void logDecision(const ReviewRequest& r, const queue::Job& job, const std::string& what) {
  Poco::Logger::get("consentguard")
      .information("review: %s %s photo %s (%s, %s channel)", r.session.account.name, what,
                   job.id, job.submission.file_name, job.submission.channel);
}

void finishDecision(ReviewRequest& r, const queue::Job& job, const std::string& decision,
                    const std::string& verdict, const std::string& extension,
                    const std::string& reason, const std::filesystem::path& redacted) {
  const std::filesystem::path output =
      chooseOutputPath(r.settings.folders, job, verdict, extension);
  if (Status s = r.t.queue->decide(job.id, {decision, actorOf(r.session), reason, ""}, verdict,
                                   output, redacted);
      !s) {
    return r.refuse(s.error().code == "not_held" ? HTTPResponse::HTTP_CONFLICT
                                                 : HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                    "Not done", s.error().message);
  }
  logDecision(r, job,
              decision == "redacted" ? "published a covered copy of" : decision);
  auto decided = r.t.queue->find(job.id);
  if (!decided || !*decided) {
    return r.refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Not finished",
                    "The decision is recorded and will be completed within minutes.");
  }
  // If this fails the job stays finishing and is completed by the service within minutes.
  (void)completeOutcome(*r.t.queue, **decided, r.settings.policy.heic_jpeg_quality);
  redirect(r.response, "/review?done=" + job.id);
}

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
    if (session) {
      ReviewRequest r{request, response, t, settings, *session};
      sendList(r);
    }
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
  ReviewRequest r{request, response, t, settings, *session};
  auto job = t.queue->find(id);
  if (!job || !*job) {
    r.refuse(HTTPResponse::HTTP_NOT_FOUND, "No such photo",
             "There is no photo with this reference.");
    return true;
  }
  const queue::Job& j = **job;
  const bool held = j.state == queue::JobState::kDone && j.verdict == "review";
  const bool coverable = isCoverable(j);
  // A blocked photo may have a covered copy published, be rejected or dismissed, or a face
  // identified: never be approved as it is.
  if (post && !held && !(coverable && allowedOnBlocked(action))) {
    r.refuse(HTTPResponse::HTTP_CONFLICT, "Not done",
             "This photo is no longer waiting for a decision: someone else may have decided it "
             "already, or it is being checked again. Nothing was changed. Go back to the list of "
             "held photos to see what still waits.");
    return true;
  }
  const bool isVideo = isVideoJob(j);
  if (isVideo && (action == "/image" || action == "/thumb.jpg" || action == "/identify" ||
                  action == "/redact" || action == "/preview" || action == "/preview.jpg")) {
    r.refuse(HTTPResponse::HTTP_CONFLICT, "Not for a video",
             "This is a video: it can be approved (when the policy allows) or rejected. A copy "
             "with faces covered is not made for videos. Nothing was changed.");
    return true;
  }
  if (!post && action.empty()) {
    if (isVideo) {
      sendVideoReviewPage(response, t, *session, j);
    } else {
      sendReviewPhoto(r, j);
    }
  } else if (!post && isVideo && action == "/video") {
    sendVideoFile(request, response, j.original);
  } else if (!post && isVideo && action == "/sheet") {
    sendContactSheet(response, j, *session);
  } else if (!post && action == "/image") {
    sendPicture(r, j, 1600);
  } else if (!post && action == "/thumb.jpg") {
    sendPicture(r, j, 160);
  } else if (!post && action == "/preview.jpg") {
    sendCoveredPreview(r, j);
  } else if (post && action == "/confirm") {
    confirmDecision(r, j, form);
  } else if (post && action == "/approve") {
    approvePhoto(r, j);
  } else if (post && action == "/reject" && !held) {
    closeBlockedPhoto(r, j, "rejected", form.get("reason", ""));
  } else if (post && action == "/reject") {
    rejectPhoto(r, j, form);
  } else if (post && action == "/dismiss") {
    closeBlockedPhoto(r, j, "dismissed", "");
  } else if (post && action == "/identify") {
    identifyFace(r, j, form);
  } else if (post && action == "/preview") {
    previewCoveredCopy(r, j, form);
  } else if (post && action == "/redact") {
    publishCoveredCopy(r, j, form);
  } else if (post && action == "/device") {
    registerDevice(r, j);
  } else {
    r.refuse(HTTPResponse::HTTP_NOT_FOUND, "Page not found",
             "There is no such page in Consent Guard.");
  }
  return true;
}

}  // namespace consentguard::service
