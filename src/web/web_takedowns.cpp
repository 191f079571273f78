// /takedowns: the published photos that must come down (queue/takedowns.h), for everyone who
// signs in (the office removes them from the website), each with a thumbnail, its caption, who
// published it and when, and a "done" button behind a confirm step. Those not done after
// service.takedown_days are marked overdue; the DSL's incidents page counts them. The service's
// own published copy is taken out of the outbox before the page is shown, and deleted from the
// server when the takedown is done (service/takedown_files.h).
#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <chrono>
#include <ctime>
#include <filesystem>

#include "consentguard/common/files.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/queue/takedowns.h"
#include "consentguard/service/outcome_writer.h"
#include "consentguard/service/takedown_files.h"
#include "consentguard/video/video_file.h"
#include "page_templates.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

constexpr int kThumbnailSide = 160;

Poco::Logger& serviceLog() { return Poco::Logger::get("consentguard"); }

// What the takedown's thumbnail is made from: the copy taken out of the outbox, else the
// published copy where it still is, else the stored original (a video's contact sheet); empty
// when none is kept any more (the retention period deleted them).
std::filesystem::path pictureSource(const queue::Takedown& takedown) {
  std::error_code ec;
  for (const std::string& file : {takedown.withdrawn_copy, takedown.output, takedown.original}) {
    if (file.empty() || file == queue::kNoCopyFound) continue;
    if (!std::filesystem::is_regular_file(file, ec)) continue;
    if (!video::looksLikeVideo(readFileStart(file, 64))) return file;
    queue::Job job;
    job.original = takedown.original;
    const std::filesystem::path sheet = contactSheetPath(job);
    if (!sheet.empty() && std::filesystem::is_regular_file(sheet, ec)) return sheet;
  }
  return {};
}

std::string why(const std::string& reason) {
  if (reason == "no_photo") return "Someone in it is now on the no-photo list.";
  if (reason == "consent_expired") return "A pupil's consent for this channel has expired.";
  return "A pupil's consent for this channel was withdrawn.";
}

// "2026-12-02T10:00:00Z" older than `days` days.
bool olderThan(const std::string& iso, int days) {
  std::tm tm{};
  if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) return false;
  const std::time_t then = timegm(&tm);
  return std::time(nullptr) - then > static_cast<std::time_t>(days) * 24 * 3600;
}

void list(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
          ThreadDatabase& t, const ServiceSettings& settings, const Session& session) {
  reg::Database& db = t.store->database();
  // Any copy still in the outbox comes out before the office is told what to remove.
  if (auto moved = withdrawPublishedCopies(db, settings.folders, serviceLog()); !moved) {
    serviceLog().error("takedowns: the published copies could not be checked: %s (%s)",
                       moved.error().message, moved.error().detail);
  }
  auto open = queue::openTakedowns(db);
  if (!open) {
    return sendMessagePage(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                           "Consent Guard has a problem",
                           "The takedowns could not be read; try again shortly.", &session);
  }
  ctemplate::TemplateDictionary page("takedowns");
  for (const auto& [name, value] : Poco::URI(request.getURI()).getQueryParameters()) {
    if (name != "done" || value.empty() || value.size() > 18 ||
        value.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    // What became of it, from its record (never text from the address).
    auto done = queue::findTakedown(db, std::stoll(value));
    if (done && *done && !(*done)->done_at.empty()) {
      auto* notice = page.AddSectionDictionary("DONE");
      notice->SetIntValue("ID", static_cast<long>((*done)->id));
      notice->SetValue("FILE", (*done)->file_name);
      notice->SetValue("CHANNEL", channelLabel((*done)->channel));
      // What became of the service's copy, from the file system as it is now.
      std::error_code ec;
      const std::string& copy = (*done)->withdrawn_copy;
      if (copy.empty() || copy == queue::kNoCopyFound) {
        notice->ShowSection("NO_COPY");
      } else if (std::filesystem::exists(copy, ec)) {
        notice->ShowSection("NOT_YET_DELETED");
      } else {
        notice->ShowSection("DELETED");
      }
    }
  }
  page.ShowSection("OVERDUE_NOTE");
  page.SetIntValue("DAYS", settings.takedown_days);
  page.ShowSection(open->empty() ? "NONE" : "ANY");
  for (const auto& takedown : *open) {
    auto* row = page.AddSectionDictionary("TAKEDOWN");
    row->SetIntValue("ID", static_cast<long>(takedown.id));
    row->SetValue("PHOTO", takedown.photo);
    const std::string file = takedown.file_name.empty() ? "(no name)" : takedown.file_name;
    row->SetValue("FILE", file);
    row->SetValue("CHANNEL", channelLabel(takedown.channel));
    if (!pictureSource(takedown).empty()) {
      row->ShowSection("THUMB");
    } else {
      row->ShowSection("NO_THUMB");
    }
    if (!takedown.caption.empty()) {
      row->AddSectionDictionary("CAPTION")->SetValue("TEXT", takedown.caption);
    }
    row->SetValue("PUBLISHED", readableTime(takedown.published_at));
    row->SetValue("SUBMITTER", takedown.submitted_by.empty() ? "someone unknown"
                                                             : actorLabel(takedown.submitted_by));
    if (!takedown.approved_by.empty()) {
      row->AddSectionDictionary("APPROVED")->SetValue("BY", actorLabel(takedown.approved_by));
    }
    if (!takedown.withdrawn_copy.empty() && takedown.withdrawn_copy != queue::kNoCopyFound) {
      row->ShowSection("WITHDRAWN");
    }
    row->SetValue("WHY", why(takedown.reason));
    row->SetValue("SINCE", readableTime(takedown.since));
    row->SetValue("CSRF", session.csrf_token);
    if (olderThan(takedown.since, settings.takedown_days)) row->ShowSection("LATE");
  }
  sendPage(response, HTTPResponse::HTTP_OK, "Photos to take down",
           renderPage("takedowns.tpl", page), &session);
}

void markDone(const std::string& id, Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
              const ServiceSettings& settings, const Session& session) {
  if (Status s = finishTakedown(t.store->database(), settings.folders, std::stoll(id),
                                actorOf(session), serviceLog());
      !s) {
    return sendMessagePage(response,
                           s.error().code == "not_found" ? HTTPResponse::HTTP_NOT_FOUND
                                                         : HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                           "Not done", s.error().message, &session);
  }
  redirect(response, "/takedowns?done=" + id);
}

// /takedowns/{id}/picture: the thumbnail of the photo to take down, for the office to find it.
void sendPicture(const std::string& id, Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                 const Session& session) {
  auto takedown = queue::findTakedown(t.store->database(), std::stoll(id));
  if (!takedown) {
    return sendMessagePage(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                           "Consent Guard has a problem",
                           "The takedowns could not be read; try again shortly.", &session);
  }
  const std::filesystem::path source =
      *takedown ? pictureSource(**takedown) : std::filesystem::path();
  auto decoded = source.empty()
                     ? Result<image::UprightImage>(makeError("gone", "No picture is kept."))
                     : image::loadImage(source);
  if (!decoded) {
    return sendMessagePage(response, HTTPResponse::HTTP_NOT_FOUND, "No picture",
                           "No picture of this photo is kept any more.", &session);
  }
  sendJpeg(response, decoded->rgb, kThumbnailSide);
}

}  // namespace

int overdueTakedowns(reg::Database& db, int days) {
  auto open = queue::openTakedowns(db);
  if (!open) return 0;
  int late = 0;
  for (const auto& t : *open) late += olderThan(t.since, days);
  return late;
}

bool handleTakedownsRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                          const ServiceSettings& settings) {
  const std::string prefix = "/takedowns";
  if (path.rfind(prefix, 0) != 0) return false;
  const std::string rest = path.substr(prefix.size());
  const bool post = request.getMethod() == "POST";
  const auto anyone = [](const Roles&) { return true; };
  if (rest.empty() && !post) {
    auto session = requireSession(request, response, t, anyone);
    if (session) list(request, response, t, settings, *session);
    return true;
  }
  // /takedowns/{id}/done (POST) and /takedowns/{id}/picture (GET)
  const std::string suffix = post ? "/done" : "/picture";
  if (rest.size() <= suffix.size() + 1 || rest[0] != '/' ||
      rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  const std::string id = rest.substr(1, rest.size() - 1 - suffix.size());
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  if (!post) {
    auto session = requireSession(request, response, t, anyone);
    if (session) sendPicture(id, response, t, *session);
    return true;
  }
  Poco::Net::HTMLForm form;
  auto session = requireSession(request, response, t, anyone, &form);
  if (session) markDone(id, response, t, settings, *session);
  return true;
}

}  // namespace consentguard::service
