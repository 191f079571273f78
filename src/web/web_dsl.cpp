// Pages for the designated safeguarding lead: incidents (each attempt to publish a pupil on
// the no-photo list or without consent), the no-photo list with its restricted notes (each
// viewing is audited), and the termly report for governors.
#include <Poco/URI.h>

#include "consentguard/audit/audit_log.h"
#include "consentguard/audit/term_report.h"
#include "consentguard/common/dates.h"
#include "consentguard/faces/face_engine.h"
#include "page_templates.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

// The report lists the people to photograph again as the service's settings judge templates.
audit::TemplatePolicy templatePolicy(const ServiceSettings& settings) {
  return {monthsBefore(todayIso(), settings.policy.template_max_age_months),
          faces::pipelineVersion(settings.engine.detector)};
}

void addIncidents(ctemplate::TemplateDictionary& page, reg::Database& db,
                  reg::RegisterStore& store) {
  auto stmt = db.prepare(
      "SELECT occurred_at, person_id, channel, code, photo, evidence FROM incidents ORDER BY id "
      "DESC LIMIT 500");
  if (!stmt) return page.ShowSection("INCIDENTS_ERROR");
  auto rows = stmt->collect([](reg::Statement& r) {
    return std::vector<std::string>{r.text(0), r.text(1), r.text(2),
                                    r.text(3), r.text(4), r.text(5)};
  });
  if (!rows) return page.ShowSection("INCIDENTS_ERROR");
  if (rows->empty()) return page.ShowSection("NO_INCIDENTS");
  auto* table = page.AddSectionDictionary("ANY_INCIDENTS");
  for (const auto& r : *rows) {
    auto person = store.findPerson(r[1]);
    auto* row = table->AddSectionDictionary("INCIDENT");
    row->SetValue("WHEN", readableTime(r[0]));
    row->SetValue("NAME", person && *person ? (*person)->displayName() : r[1]);
    row->SetValue("ID", r[1]);
    row->SetValue("CHANNEL", r[2]);
    row->SetValue("WHAT", r[3] == "no_photo" ? "On the no-photo list" : "No consent for this channel");
    row->SetValue("HOW", audit::evidenceLabel(r[5]));
    row->SetValue("PHOTO", r[4]);
  }
}

void addNoPhotoList(ctemplate::TemplateDictionary& page, reg::RegisterStore& store) {
  auto people = store.people();
  if (!people) return page.ShowSection("REGISTER_ERROR");
  for (const auto& p : *people) {
    if (!p.no_photo) continue;
    auto note = store.noPhotoNote(p.id);
    auto* row = page.AddSectionDictionary("NO_PHOTO");
    row->SetValue("NAME", p.displayName());
    row->SetValue("ID", p.id);
    row->SetValue("NOTE", note ? *note : "(could not be read)");
  }
}

void incidents(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t, const Session& session,
               const ServiceSettings& settings) {
  // Reading the restricted notes is itself recorded.
  (void)audit::AuditLog(t.store->database())
      .append(actorOf(session), "restricted_notes_viewed", "no-photo list");
  ctemplate::TemplateDictionary page("incidents");
  if (const int overdue = overdueTakedowns(t.store->database(), settings.takedown_days)) {
    auto* late = page.AddSectionDictionary("OVERDUE");
    late->SetIntValue("COUNT", overdue);
    late->SetIntValue("DAYS", settings.takedown_days);
  }
  addIncidents(page, t.store->database(), *t.store);
  addNoPhotoList(page, *t.store);
  sendPage(response, HTTPResponse::HTTP_OK, "Incidents", renderPage("incidents.tpl", page),
           &session);
}

// The report for an inclusive period (?from=YYYY-MM-DD&to=YYYY-MM-DD; by default the year to
// date), as a page with a form to choose the period, or as CSV for a spreadsheet.
void report(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
            ThreadDatabase& t, const Session& session, const ServiceSettings& settings,
            bool csv) {
  const std::string today = todayIso();
  std::string from = today.substr(0, 4) + "-01-01", to = today;
  for (const auto& [name, value] : Poco::URI(request.getURI()).getQueryParameters()) {
    if (name == "from") from = value;
    if (name == "to") to = value;
  }
  auto built = audit::buildTermReport(t.store->database(), from, to, templatePolicy(settings));
  if (!built) {
    return sendMessagePage(response, HTTPResponse::HTTP_BAD_REQUEST, "No report",
                           built.error().message, &session);
  }
  (void)audit::AuditLog(t.store->database())
      .append(actorOf(session), "report_viewed", from + " to " + to);
  if (csv) {
    const std::string text = audit::reportCsv(*built);
    response.setContentType("text/csv; charset=utf-8");
    response.set("Content-Disposition",
                 "attachment; filename=\"consent-guard-report-" + from + "-to-" + to + ".csv\"");
    response.set("Cache-Control", "no-store");
    response.sendBuffer(text.data(), text.size());
    return;
  }
  ctemplate::TemplateDictionary page("report");
  page.SetValue("FROM", from);
  page.SetValue("TO", to);
  sendPage(response, HTTPResponse::HTTP_OK, "Termly report", renderPage("report.tpl", page),
           &session);
}

}  // namespace

bool handleDslRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                    Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                    const ServiceSettings& settings) {
  if (request.getMethod() != "GET") return false;
  if (path == "/incidents") {
    auto session = requireSession(request, response, t, canSeeIncidents);
    if (session) incidents(response, t, *session, settings);
    return true;
  }
  if (path == "/report" || path == "/report.csv" || path == "/report.html") {
    auto session = requireSession(request, response, t, canSeeIncidents);
    if (!session) return true;
    if (path == "/report.html") {
      std::string from, to;
      for (const auto& [name, value] : Poco::URI(request.getURI()).getQueryParameters()) {
        if (name == "from") from = value;
        if (name == "to") to = value;
      }
      auto built = audit::buildTermReport(t.store->database(), from, to, templatePolicy(settings));
      if (!built) {
        sendMessagePage(response, HTTPResponse::HTTP_BAD_REQUEST, "No report",
                        built.error().message, &*session);
        return true;
      }
      const std::string page = audit::reportHtml(*built, settings.school_name);
      response.setContentType("text/html; charset=utf-8");
      response.set("Cache-Control", "no-store");
      response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
      response.sendBuffer(page.data(), page.size());
      return true;
    }
    report(request, response, t, *session, settings, path == "/report.csv");
    return true;
  }
  return false;
}

}  // namespace consentguard::service
