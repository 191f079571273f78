// The review pages' parts, shared by the files that serve them: web_review.cpp (the routes, the
// list and its thumbnails), web_review_photo.cpp (one photo with its numbered faces and the
// forms), web_review_decide.cpp (approve, reject, identify by typed name, register a device,
// each confirmed first), web_covered_copy.cpp (a covered copy previewed with the rules' answer,
// then published), web_review_blocked.cpp (a blocked photo rejected, dismissed or a face
// identified). A ReviewRequest lives for one request on one thread.
#pragma once

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <filesystem>
#include <string>
#include <vector>

#include "consentguard/queue/job_queue.h"
#include "consentguard/service/accounts.h"
#include "consentguard/service/service_settings.h"
#include "http_util.h"

namespace consentguard::service {

struct ReviewRequest {
  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
  ThreadDatabase& t;
  const ServiceSettings& settings;
  Session session;

  void refuse(Poco::Net::HTTPResponse::HTTPStatus status, const std::string& title,
              const std::string& message);
};

// An identify form's answer that could not be used: shown beside that face's field.
struct IdentifyProblem {
  std::string face;     // the box key
  std::string typed;    // what was typed, shown again
  std::string message;  // what to do, with the close matches
};

// The photo's page; with a problem, the identify field it is about says it (status 400).
void sendReviewPhoto(ReviewRequest& r, const queue::Job& job, const IdentifyProblem* problem = nullptr);

// POST /confirm (decision=approve|reject): the confirm step, which changes nothing.
void confirmDecision(ReviewRequest& r, const queue::Job& job, const Poco::Net::HTMLForm& form);
void approvePhoto(ReviewRequest& r, const queue::Job& job);
void rejectPhoto(ReviewRequest& r, const queue::Job& job, const Poco::Net::HTMLForm& form);
void identifyFace(ReviewRequest& r, const queue::Job& job, const Poco::Net::HTMLForm& form);
void registerDevice(ReviewRequest& r, const queue::Job& job);

// Covered copies (web_covered_copy.cpp): preview, publish, and the preview's picture.
void previewCoveredCopy(ReviewRequest& r, const queue::Job& job, const Poco::Net::HTMLForm& form);
void publishCoveredCopy(ReviewRequest& r, const queue::Job& job, const Poco::Net::HTMLForm& form);
void sendCoveredPreview(ReviewRequest& r, const queue::Job& job);

// Blocked photos (web_review_blocked.cpp): `decision` is "rejected" (with a reason) or
// "dismissed"; neither publishes anything; both audited and logged.
// A dismissed blocked photo's recorded reason (its decision is "rejected").
inline constexpr const char* kDismissedReason =
    "Left blocked by a senior leader: no covered copy was wanted.";
void closeBlockedPhoto(ReviewRequest& r, const queue::Job& job, const std::string& decision,
                       const std::string& reason);
Status identifyBlockedFace(ReviewRequest& r, const queue::Job& job, const std::string& face,
                           const std::string& person);

// Records a held photo's decision, writes the outcome, and sends the reviewer back to the list.
void finishDecision(ReviewRequest& r, const queue::Job& job, const std::string& decision,
                    const std::string& verdict, const std::string& extension,
                    const std::string& reason, const std::filesystem::path& redacted = {});

// One plain line in the service's log per decision: who, which photo, what.
void logDecision(const ReviewRequest& r, const queue::Job& job, const std::string& what);

}  // namespace consentguard::service
