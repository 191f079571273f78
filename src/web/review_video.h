// The review page of a held (or blocked) video: its reasons, the video itself played from the
// service (HTML5 <video>, with range requests so that the browser can seek), everyone seen in
// it with the seconds they appear, and the contact sheet of the frames checked, each face boxed
// and numbered by person. A senior leader may approve (when the policy allows) or reject. A
// copy with faces covered is not made for videos; the page says so.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <filesystem>

#include "consentguard/queue/job_queue.h"
#include "consentguard/service/accounts.h"
#include "http_util.h"

namespace consentguard::service {

void sendVideoReviewPage(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                         const Session& session, const queue::Job& job);

// GET /review/{id}/video: the original, with one byte range when asked (206), the whole
// otherwise, 416 for a range outside it.
void sendVideoFile(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   const std::filesystem::path& file);

// GET /review/{id}/sheet: the contact sheet made when the video was checked.
void sendContactSheet(Poco::Net::HTTPServerResponse& response, const queue::Job& job,
                      const Session& session);

}  // namespace consentguard::service
