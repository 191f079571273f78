// "My photos": any signed-in person may submit a photo (or a short video) for a channel and follow
// what became of the photos they submitted. The upload goes through the same queue as the folders
// and the API.
#include "consentguard/image/image_format.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/video/video_file.h"
#include "page_templates.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

std::string statusText(const queue::Job& job) {
  if (job.state != queue::JobState::kDone) return "Being checked";
  if (!job.decision.decision.empty()) {
    return (job.verdict == "publish" ? "Published after a senior leader's decision"
                                     : "Rejected by a senior leader: " + job.decision.reason);
  }
  if (job.verdict == "publish") return "Published (cleaned copy in the outbox)";
  if (job.verdict == "review") return "Held for a senior leader";
  return "Must not be published (see the note beside it in the rejected folder)";
}

void myPhotos(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
              const ServiceSettings& settings, const Session& session, const std::string& notice) {
  ctemplate::TemplateDictionary page("photos");
  if (!notice.empty()) page.AddSectionDictionary("NOTICE")->SetValue("TEXT", notice);
  page.SetValue("CSRF", session.csrf_token);
  for (const auto& c : settings.policy.channelNames()) {
    page.AddSectionDictionary("CHANNEL")->SetValue("NAME", c);
  }
  auto mine = t.queue->submittedBy(actorOf(session), 100);
  if (!mine || mine->empty()) page.ShowSection("NONE");
  if (mine && !mine->empty()) {
    auto* table = page.AddSectionDictionary("ANY");
    for (const auto& job : *mine) {
      auto* row = table->AddSectionDictionary("JOB");
      row->SetValue("FILE", job.submission.file_name);
      row->SetValue("CHANNEL", job.submission.channel);
      row->SetValue("SUBMITTED", readableTime(job.created_at));
      row->SetValue("STATUS", statusText(job));
      row->SetValue("ID", job.id);
    }
  }
  sendPage(response, HTTPResponse::HTTP_OK, "My photos", renderPage("photos.tpl", page), &session);
}

void upload(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
            ThreadDatabase& t, const ServiceSettings& settings, const Session& session) {
  // A video may be larger than a photo: the bytes, once read, say which it is.
  const std::uint64_t anyLimit =
      std::max(settings.max_upload_bytes, settings.max_video_upload_bytes);
  const auto fail = [&](HTTPResponse::HTTPStatus status, const std::string& message) {
    drain(request.stream(), 2 * anyLimit);
    sendMessagePage(response, status, "Photo not submitted", message, &session);
  };
  const std::string limits = "Photos up to " + std::to_string(settings.max_upload_bytes >> 20) +
                             " MB and videos up to " +
                             std::to_string(settings.max_video_upload_bytes >> 20) +
                             " MB are accepted. Export a smaller copy.";
  if (request.hasContentLength() &&
      static_cast<std::uint64_t>(request.getContentLength64()) > anyLimit + 65536) {
    return fail(HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "The file is too large. " + limits);
  }
  Poco::Net::HTMLForm form;
  FileUploads part(anyLimit, 1);
  if (!readUpload(request, response, session, form, part)) return;
  if (part.too_many) {
    return fail(HTTPResponse::HTTP_BAD_REQUEST, "Send one photo at a time.");
  }
  if (part.too_large) {
    return fail(HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "The file is too large. " + limits);
  }
  const std::string channel = form.get("channel", "");
  if (!settings.policy.channel(channel)) {
    return fail(HTTPResponse::HTTP_BAD_REQUEST,
                policy::unknownChannel(channel, settings.policy).message);
  }
  if (part.files.empty()) return fail(HTTPResponse::HTTP_BAD_REQUEST, "Choose a photo to send.");
  const FileUploads::File& file = part.files.front();
  const bool isVideo = video::looksLikeVideo(file.bytes);
  if (file.bytes.size() > (isVideo ? settings.max_video_upload_bytes : settings.max_upload_bytes)) {
    return fail(HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "The file is too large. " + limits);
  }
  std::string defaultName = "video.mp4";
  if (!isVideo) {
    // A video's length and streams are checked by the worker, which blocks one that is not.
    auto header = image::readImageHeader(file.bytes);
    if (!header) return fail(HTTPResponse::HTTP_UNSUPPORTED_MEDIA_TYPE, header.error().message);
    if (std::uint64_t(header->width) * header->height > image::LoadLimits{}.max_pixels) {
      return fail(HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE,
                  "The photo has too many pixels; export a smaller copy.");
    }
    defaultName = "photo" + image::fileExtension(header->format);
  }
  const std::string name =
      file.name.empty() ? defaultName : std::filesystem::path(file.name).filename().string();
  auto job = t.queue->submit(file.bytes,
                             {channel, form.get("caption", ""), "", name, "api", actorOf(session)});
  if (!job) {
    return fail(HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                "The photo could not be stored; try again in a minute.");
  }
  myPhotos(response, t, settings, session,
           name + " was received and is being checked (reference " + job->id + ").");
}

}  // namespace

bool handlePhotosRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                       const ServiceSettings& settings) {
  if (path != "/photos") return false;
  const bool post = request.getMethod() == "POST";
  auto session = requireSession(
      request, response, t, [](Role) { return true; }, nullptr,
      /*form_read_by_caller=*/post);
  if (!session) return true;
  if (post) {
    upload(request, response, t, settings, *session);
  } else {
    myPhotos(response, t, settings, *session, "");
  }
  return true;
}

}  // namespace consentguard::service
