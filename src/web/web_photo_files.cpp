// The files behind "My photos": a published photo's cleaned copy, downloaded by the person who
// submitted it (and by senior leaders, the DSL and the admin), and a small thumbnail of one's
// own photos. The cleaned copy is exactly what was published (metadata removed, upright); once
// the photo has a takedown it is not given out again. Nothing here is cached: it shows a child.
#include <algorithm>
#include <cctype>
#include <filesystem>

#include "consentguard/common/files.h"
#include "consentguard/image/image_format.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/queue/takedowns.h"
#include "consentguard/service/outcome_writer.h"
#include "consentguard/video/video_file.h"
#include "photo_outcome.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

constexpr int kThumbnailSide = 160;

bool isJobId(const std::string& id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// `attachment; filename="..."` for a file name that may hold quotes or letters beyond ASCII:
// a plain fallback, and the name itself percent-encoded (RFC 6266).
std::string attachmentFor(const std::string& name) {
  std::string plain, encoded;
  for (unsigned char c : name) {
    const bool safe = std::isalnum(c) || c == '.' || c == '-' || c == '_';
    plain += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
    if (safe) {
      encoded += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789ABCDEF";
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 15];
    }
  }
  return "attachment; filename=\"" + plain + "\"; filename*=UTF-8''" + encoded;
}

void sendCleanedCopy(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                     const queue::Job& job, const Session& session) {
  auto takenDown = queue::isTakenDown(t.store->database(), job.id);
  if (!takenDown) {
    return sendMessagePage(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                           "Consent Guard has a problem",
                           "The records could not be read. Try again in a minute; if it goes on, "
                           "tell the Consent Guard administrator.",
                           &session);
  }
  if (*takenDown) {
    return sendMessagePage(
        response, HTTPResponse::HTTP_GONE, "Taken down",
        job.submission.file_name +
            " must no longer be published: someone in it may no longer appear on this channel, "
            "so its cleaned copy is not given out. Remove it from the channel if it is still "
            "there (the Takedowns page lists it).",
        &session);
  }
  if (job.state != queue::JobState::kDone || job.verdict != "publish") {
    return sendMessagePage(response, HTTPResponse::HTTP_NOT_FOUND, "Not published",
                           job.submission.file_name +
                               " has not been published, so there is no cleaned copy to "
                               "download. My photos says what became of it and what to do next.",
                           &session);
  }
  const auto gone = [&] {
    sendMessagePage(response, HTTPResponse::HTTP_GONE, "No longer kept",
                    "The cleaned copy of " + job.submission.file_name +
                        " is no longer kept (Consent Guard keeps photos only for a while). "
                        "Submit the photo again if you need a cleaned copy.",
                    &session);
  };
  response.set("Content-Disposition", attachmentFor(job.output.filename().string()));
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  if (video::looksLikeVideo(readFileStart(job.output, 64))) {
    try {
      response.sendFile(job.output.string(), "video/mp4");  // streamed, not held in memory
    } catch (const Poco::Exception&) {
      response.erase("Content-Disposition");
      gone();
    }
    return;
  }
  auto bytes = image::readFileBytes(job.output);
  if (!bytes) {
    response.erase("Content-Disposition");
    return gone();
  }
  auto header = image::readImageHeader(*bytes);
  response.setContentType(image::mediaType(header ? header->format : image::ImageFormat::kJpeg));
  response.sendBuffer(bytes->data(), bytes->size());
}

void sendThumbnail(Poco::Net::HTTPServerResponse& response, const queue::Job& job,
                   const Session& session) {
  auto decoded = isVideoJob(job)
                     ? Result<image::UprightImage>(makeError("video", "A video has no thumbnail."))
                     : image::loadImage(thumbnailSource(job));
  if (!decoded) {
    return sendMessagePage(response, HTTPResponse::HTTP_NOT_FOUND, "No picture",
                           "This photo cannot be shown.", &session);
  }
  sendJpeg(response, decoded->rgb, kThumbnailSide);
}

}  // namespace

bool handlePhotoFilesRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response, ThreadDatabase& t) {
  const std::string rest = path.substr(std::string("/photos/").size());
  const size_t slash = rest.find('/');
  if (slash == std::string::npos || request.getMethod() != "GET") return false;
  const std::string id = rest.substr(0, slash), action = rest.substr(slash);
  if (action != "/cleaned" && action != "/thumb.jpg") return false;
  // Senior leaders, the DSL and the admin may download anyone's cleaned copy; the rest their own.
  bool anyones = false;
  auto session = requireSession(request, response, t, [&](const auto& roles) {
    anyones = canReview(roles) || canManageAccounts(roles);
    return true;
  });
  if (!session) return true;
  auto job = isJobId(id) ? t.queue->find(id) : Result<std::optional<queue::Job>>(std::nullopt);
  if (!job) {
    sendMessagePage(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Consent Guard has a problem",
                    "The records could not be read. Try again in a minute; if it goes on, tell "
                    "the Consent Guard administrator.",
                    &*session);
    return true;
  }
  const bool own = *job && (*job)->submission.submitted_by == actorOf(*session);
  if (!*job || !(own || (anyones && action == "/cleaned"))) {
    sendMessagePage(response, HTTPResponse::HTTP_NOT_FOUND, "No such photo",
                    "There is no photo of yours with this reference. Open My photos to see the "
                    "photos you submitted.",
                    &*session);
    return true;
  }
  if (action == "/cleaned") {
    sendCleanedCopy(response, t, **job, *session);
  } else {
    sendThumbnail(response, **job, *session);
  }
  return true;
}

}  // namespace consentguard::service
