// /takedowns: the published photos that must come down (queue/takedowns.h), for everyone who
// signs in (the office removes them from the website), each with a "done" button. Those not
// done after service.takedown_days are marked overdue; the DSL's incidents page counts them.
// The first page rendered from a template (templates/takedowns.tpl).
#include <Poco/URI.h>

#include <chrono>
#include <ctime>

#include "consentguard/queue/takedowns.h"
#include "page_templates.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

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
      notice->SetValue("CHANNEL", (*done)->channel);
    }
  }
  page.ShowSection("OVERDUE_NOTE");
  page.SetIntValue("DAYS", settings.takedown_days);
  page.ShowSection(open->empty() ? "NONE" : "ANY");
  for (const auto& takedown : *open) {
    auto* row = page.AddSectionDictionary("TAKEDOWN");
    row->SetIntValue("ID", static_cast<long>(takedown.id));
    row->SetValue("PHOTO", takedown.photo);
    row->SetValue("FILE", takedown.file_name.empty() ? "(no name)" : takedown.file_name);
    row->SetValue("CHANNEL", takedown.channel);
    row->SetValue("WHY", why(takedown.reason));
    row->SetValue("SINCE", readableTime(takedown.since));
    row->SetValue("CSRF", session.csrf_token);
    if (olderThan(takedown.since, settings.takedown_days)) row->ShowSection("LATE");
  }
  sendPage(response, HTTPResponse::HTTP_OK, "Photos to take down", renderPage("takedowns.tpl", page),
           &session);
}

void markDone(const std::string& id, Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
              const Session& session) {
  if (Status s = queue::markTakedownDone(t.store->database(), std::stoll(id), actorOf(session));
      !s) {
    return sendMessagePage(response,
                           s.error().code == "not_found" ? HTTPResponse::HTTP_NOT_FOUND
                                                         : HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                           "Not done", s.error().message, &session);
  }
  redirect(response, "/takedowns?done=" + id);
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
  const auto anyone = [](Role) { return true; };
  if (rest.empty() && !post) {
    auto session = requireSession(request, response, t, anyone);
    if (session) list(request, response, t, settings, *session);
    return true;
  }
  // /takedowns/{id}/done
  const std::string suffix = "/done";
  if (!post || rest.size() <= suffix.size() + 1 || rest[0] != '/' ||
      rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  const std::string id = rest.substr(1, rest.size() - 1 - suffix.size());
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  Poco::Net::HTMLForm form;
  auto session = requireSession(request, response, t, anyone, &form);
  if (session) markDone(id, response, t, *session);
  return true;
}

}  // namespace consentguard::service
