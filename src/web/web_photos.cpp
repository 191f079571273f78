// "My photos": any signed-in person may submit photos (or short videos) for a channel, several at
// once, and follow what became of each: its state, the reasons it was held or refused (the same
// words as the note in the held or rejected folder), and the cleaned copy to download once
// published (web_photo_files.cpp). The uploads go through the same queue as the folders and the
// API. A successful upload is answered with a redirect (POST/redirect/GET), so that reloading
// the page never sends the photos again; the page after it names the photos from their records.
#include <Poco/URI.h>

#include <algorithm>
#include <filesystem>

#include "consentguard/image/image_format.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/queue/takedowns.h"
#include "consentguard/service/outcome_writer.h"
#include "consentguard/video/video_file.h"
#include "page_templates.h"
#include "photo_outcome.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

constexpr size_t kMaxFilesPerUpload = 20;
constexpr size_t kListed = 100;
// While a photo is still being checked the page reloads itself (an HTTP Refresh header, so no
// script is needed) this often.
constexpr int kRefreshSeconds = 5;

// What went wrong with an upload, shown above the form and beside the field it is about.
struct Problem {
  std::string text;
  std::string field;  // "photo", "channel" or empty
};

bool isJobId(const std::string& id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The ids in ?submitted=ID,ID,...: only well-formed ones, each once.
std::vector<std::string> submittedIds(const Poco::Net::HTTPServerRequest& request) {
  std::vector<std::string> ids;
  for (const auto& [name, value] : Poco::URI(request.getURI()).getQueryParameters()) {
    if (name != "submitted") continue;
    size_t from = 0;
    while (from <= value.size() && ids.size() < kMaxFilesPerUpload) {
      const size_t comma = std::min(value.find(',', from), value.size());
      const std::string id = value.substr(from, comma - from);
      if (isJobId(id) && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
      from = comma + 1;
    }
  }
  return ids;
}

bool takenDown(ThreadDatabase& t, const queue::Job& job) {
  if (job.state != queue::JobState::kDone || job.verdict != "publish") return false;
  auto gone = queue::isTakenDown(t.store->database(), job.id);
  return gone && *gone;
}

// The notice after an upload, built from the jobs' own records (never from the address's text):
// each of the submitter's photos with its state now.
void addReceived(ctemplate::TemplateDictionary& page, ThreadDatabase& t, const Session& session,
                 const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  std::vector<queue::Job> mine;
  size_t others = 0;
  for (const auto& id : ids) {
    auto job = t.queue->find(id);
    if (!job || !*job) continue;
    if ((*job)->submission.submitted_by == actorOf(session)) {
      mine.push_back(**job);
    } else {
      ++others;
    }
  }
  if (mine.empty() && others == 0) return;
  auto* notice = page.AddSectionDictionary("RECEIVED");
  const size_t n = mine.size() + others;
  notice->SetValue("TEXT", (n == 1 ? std::string("Your file was received")
                                   : "Your " + std::to_string(n) + " files were received") +
                               ". Each is checked on its own; this is where each one is now:");
  for (const auto& job : mine) {
    const PhotoOutcome outcome = describeOutcome(job, takenDown(t, job));
    auto* file = notice->AddSectionDictionary("FILE");
    file->SetValue("ID", job.id);
    file->SetValue("NAME", job.submission.file_name);
    file->SetValue("STATUS", outcome.status);
    file->SetValue("STATUS_CLASS", outcome.status_class);
  }
  if (others > 0) {
    notice->AddSectionDictionary("NOT_MINE")
        ->SetValue("TEXT", (others == 1 ? std::string("One") : std::to_string(others)) +
                               " had already been sent by someone else. Each photo is checked "
                               "only once, so it is not listed here; ask a senior leader if you "
                               "need to know what became of it.");
  }
}

void myPhotos(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
              ThreadDatabase& t, const ServiceSettings& settings, const Session& session,
              const std::vector<std::string>& submitted, const Problem& problem = {}) {
  ctemplate::TemplateDictionary page("photos");
  addReceived(page, t, session, submitted);
  if (!problem.text.empty()) {
    page.AddSectionDictionary("PROBLEM")->SetValue("TEXT", problem.text);
    if (problem.field == "photo") page.AddSectionDictionary("FILE_ERROR")->SetValue("TEXT", problem.text);
    if (problem.field == "channel") {
      page.AddSectionDictionary("CHANNEL_ERROR")->SetValue("TEXT", problem.text);
    }
  }
  page.SetValue("CSRF", session.csrf_token);
  page.SetIntValue("MAX_FILES", kMaxFilesPerUpload);
  page.SetIntValue("PHOTO_MB", static_cast<long>(settings.max_upload_bytes >> 20));
  page.SetIntValue("VIDEO_MB", static_cast<long>(settings.max_video_upload_bytes >> 20));
  page.SetIntValue("TOTAL_MB", static_cast<long>(
                                   std::max(settings.max_upload_bytes,
                                            settings.max_video_upload_bytes) >> 20));
  for (const auto& c : settings.policy.channelNames()) {
    auto* option = page.AddSectionDictionary("CHANNEL");
    option->SetValue("NAME", c);
    option->SetValue("WORDS", channelWords(c));
  }
  auto mine = t.queue->submittedBy(actorOf(session), kListed);
  bool pending = false;
  if (!mine || mine->empty()) page.ShowSection("NONE");
  if (mine && !mine->empty()) {
    auto* table = page.AddSectionDictionary("ANY");
    for (const auto& job : *mine) {
      const PhotoOutcome outcome = describeOutcome(job, takenDown(t, job));
      pending |= outcome.pending;
      auto* row = table->AddSectionDictionary("JOB");
      row->SetValue("ID", job.id);
      row->SetValue("FILE", job.submission.file_name);
      row->SetValue("CHANNEL", channelWords(job.submission.channel));
      row->SetValue("SUBMITTED", readableTime(job.created_at));
      row->SetValue("STATUS", outcome.status);
      row->SetValue("STATUS_CLASS", outcome.status_class);
      row->SetValue("NEXT", outcome.next);
      if (!outcome.reasons.empty()) {
        auto* reasons = row->AddSectionDictionary("REASONS");
        for (const auto& r : outcome.reasons) {
          reasons->AddSectionDictionary("REASON")->SetValue("TEXT", r);
        }
      }
      if (outcome.downloadable) row->ShowSection("DOWNLOAD");
      std::error_code ec;
      if (!isVideoJob(job) && std::filesystem::exists(thumbnailSource(job), ec)) {
        row->ShowSection("THUMB");
      }
    }
  }
  if (pending) {
    page.AddSectionDictionary("PENDING")->SetIntValue("SECONDS", kRefreshSeconds);
    response.set("Refresh", std::to_string(kRefreshSeconds));
  }
  sendPage(response, status, "My photos", renderPage("photos.tpl", page), &session);
}

// Checks one uploaded file; its name (as it will be recorded) or the problem with it.
Result<std::string> checkFile(const FileUploads::File& file, const ServiceSettings& settings,
                              HTTPResponse::HTTPStatus& status) {
  const std::string shown = std::filesystem::path(file.name).filename().string();
  const std::string named = shown.empty() ? "A file" : shown;
  const bool isVideo = video::looksLikeVideo(file.bytes);
  if (file.bytes.size() > (isVideo ? settings.max_video_upload_bytes : settings.max_upload_bytes)) {
    status = HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE;
    return makeError("too_large", named + " is too large: export a smaller copy.");
  }
  if (isVideo) return shown.empty() ? std::string("video.mp4") : shown;
  // A video's length and streams are checked by the worker, which blocks one that is not.
  auto header = image::readImageHeader(file.bytes);
  if (!header) {
    status = HTTPResponse::HTTP_UNSUPPORTED_MEDIA_TYPE;
    return makeError("not_a_photo", named + ": " + header.error().message);
  }
  if (std::uint64_t(header->width) * header->height > image::LoadLimits{}.max_pixels) {
    status = HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE;
    return makeError("too_many_pixels",
                     named + " has too many pixels: export a smaller copy.");
  }
  return shown.empty() ? "photo" + image::fileExtension(header->format) : shown;
}

void upload(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
            ThreadDatabase& t, const ServiceSettings& settings, const Session& session) {
  // A video may be larger than a photo: the bytes, once read, say which it is. All the files of
  // one upload together may be as large as the largest one file.
  const std::uint64_t anyLimit =
      std::max(settings.max_upload_bytes, settings.max_video_upload_bytes);
  const std::string nothingSent = " Nothing was sent.";
  const auto fail = [&](HTTPResponse::HTTPStatus status, const std::string& field,
                        const std::string& message) {
    drain(request.stream(), 2 * anyLimit);
    myPhotos(response, status, t, settings, session, {}, {message, field});
  };
  if (!request.hasContentLength()) {
    return fail(HTTPResponse::HTTP_LENGTH_REQUIRED, "photo",
                "Your browser did not say how large the upload is." + nothingSent +
                    " Try again, or use another browser.");
  }
  if (static_cast<std::uint64_t>(request.getContentLength64()) > anyLimit + 65536) {
    return fail(HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "photo",
                "These files are too large together." + nothingSent +
                    " Send fewer at a time, or export smaller copies.");
  }
  Poco::Net::HTMLForm form;
  FileUploads part(anyLimit, kMaxFilesPerUpload);
  if (!readUpload(request, response, session, form, part)) return;
  if (part.too_many) {
    return fail(HTTPResponse::HTTP_BAD_REQUEST, "photo",
                "Send at most " + std::to_string(kMaxFilesPerUpload) + " files at a time." +
                    nothingSent);
  }
  if (part.too_large) {
    return fail(HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "photo",
                "A file is too large: export a smaller copy." + nothingSent);
  }
  const std::string channel = form.get("channel", "");
  if (!settings.policy.channel(channel)) {
    return fail(HTTPResponse::HTTP_BAD_REQUEST, "channel",
                policy::unknownChannel(channel, settings.policy).message);
  }
  if (part.files.empty()) {
    return fail(HTTPResponse::HTTP_BAD_REQUEST, "photo", "Choose a photo or video to send.");
  }
  // Every file is checked before any is sent: one that cannot be, and nothing is.
  std::vector<std::string> names;
  for (const auto& file : part.files) {
    HTTPResponse::HTTPStatus status = HTTPResponse::HTTP_BAD_REQUEST;
    auto name = checkFile(file, settings, status);
    if (!name) {
      return fail(status, "photo",
                  name.error().message + nothingSent +
                      (part.files.size() > 1 ? " Take that file out and send the others again."
                                             : ""));
    }
    names.push_back(*name);
  }
  std::string ids;
  for (size_t i = 0; i < part.files.size(); ++i) {
    auto job = t.queue->submit(
        part.files[i].bytes,
        {channel, form.get("caption", ""), "", names[i], "api", actorOf(session)});
    if (!job) {
      return myPhotos(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, t, settings, session, {},
                      {names[i] + " and the files after it could not be stored (the ones "
                                  "before it were). Try those again in a minute.",
                       "photo"});
    }
    ids += (ids.empty() ? "" : ",") + job->id;
  }
  redirect(response, "/photos?submitted=" + ids);
}

}  // namespace

std::filesystem::path thumbnailSource(const queue::Job& job) {
  std::error_code ec;
  if (job.state == queue::JobState::kDone && job.verdict == "publish" && !job.output.empty() &&
      std::filesystem::exists(job.output, ec)) {
    return job.output;
  }
  return job.original;
}

bool handlePhotosRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                       const ServiceSettings& settings) {
  if (path.rfind("/photos/", 0) == 0) return handlePhotoFilesRoute(path, request, response, t);
  if (path != "/photos") return false;
  const bool post = request.getMethod() == "POST";
  auto session = requireSession(
      request, response, t, [](const auto&) { return true; }, nullptr,
      /*form_read_by_caller=*/post);
  if (!session) return true;
  if (post) {
    upload(request, response, t, settings, *session);
  } else {
    myPhotos(response, HTTPResponse::HTTP_OK, t, settings, *session, submittedIds(request));
  }
  return true;
}

}  // namespace consentguard::service
