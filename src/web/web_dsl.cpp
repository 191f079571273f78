// Pages for the designated safeguarding lead: incidents (each attempt to publish a pupil on
// the no-photo list or without consent), the no-photo list with its restricted notes (each
// viewing is audited), and the termly report for governors.
#include <Poco/URI.h>

#include "consentguard/audit/audit_log.h"
#include "consentguard/audit/term_report.h"
#include "consentguard/common/dates.h"
#include "consentguard/faces/face_engine.h"
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

std::string incidentsTable(reg::Database& db, reg::RegisterStore& store) {
  auto stmt = db.prepare(
      "SELECT occurred_at, person_id, channel, code, photo, evidence FROM incidents ORDER BY id "
      "DESC "
      "LIMIT 500");
  if (!stmt) return "<p class=\"error\">The incidents could not be read.</p>";
  auto rows = stmt->collect([](reg::Statement& r) {
    return std::vector<std::string>{r.text(0), r.text(1), r.text(2),
                                    r.text(3), r.text(4), r.text(5)};
  });
  if (!rows) return "<p class=\"error\">The incidents could not be read.</p>";
  if (rows->empty()) return "<p>There have been no incidents.</p>";
  std::string body =
      "<table id=\"incidents\"><tr><th>When (UTC)</th><th>Person</th><th>Channel"
      "</th><th>What</th><th>How they were found</th><th>Photo</th></tr>";
  for (const auto& r : *rows) {
    auto person = store.findPerson(r[1]);
    const std::string name = person && *person ? (*person)->displayName() : r[1];
    body += "<tr><td>" + html(readableTime(r[0])) + "</td><td>" + html(name) + " (" + html(r[1]) +
            ")</td><td>" + html(r[2]) + "</td><td>" +
            (r[3] == "no_photo" ? "On the no-photo list" : "No consent for this channel") +
            "</td><td>" + html(audit::evidenceLabel(r[5])) + "</td><td>" + html(r[4]) +
            "</td></tr>";
  }
  return body + "</table>";
}

std::string noPhotoList(reg::RegisterStore& store) {
  auto people = store.people();
  if (!people) return "<p class=\"error\">The register could not be read.</p>";
  std::string body = "<table id=\"no-photo\"><tr><th>Person</th><th>Restricted note</th></tr>";
  for (const auto& p : *people) {
    if (!p.no_photo) continue;
    auto note = store.noPhotoNote(p.id);
    body += "<tr><td>" + html(p.displayName()) + " (" + html(p.id) + ")</td><td>" +
            html(note ? *note : "(could not be read)") + "</td></tr>";
  }
  return body + "</table>";
}

void incidents(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t, const Session& session,
               const ServiceSettings& settings) {
  // Reading the restricted notes is itself recorded.
  (void)audit::AuditLog(t.store->database())
      .append(actorOf(session), "restricted_notes_viewed", "no-photo list");
  const int overdue = overdueTakedowns(t.store->database(), settings.takedown_days);
  const std::string late =
      overdue == 0 ? ""
                   : "<p class=\"notice\" id=\"overdue-takedowns\">" + std::to_string(overdue) +
                         " published photo(s) that must come down have not been taken down after " +
                         std::to_string(settings.takedown_days) +
                         " days. See <a href=\"/takedowns\">Takedowns</a>.</p>";
  sendPage(response, HTTPResponse::HTTP_OK, "Incidents",
           late + incidentsTable(t.store->database(), *t.store) +
               "<h2>The no-photo list</h2><p>These notes are restricted to the designated "
               "safeguarding lead.</p>" +
               noPhotoList(*t.store),
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
  const std::string period = "from=" + from + "&to=" + to;
  sendPage(response, HTTPResponse::HTTP_OK, "Termly report",
           "<form method=\"get\" action=\"/report\"><label>From <input type=\"date\" "
           "name=\"from\" value=\"" +
               html(from) +
               "\"></label> <label>to <input type=\"date\" "
               "name=\"to\" value=\"" +
               html(to) +
               "\"></label> <button type=\"submit\">Show"
               "</button> <a href=\"/report.csv?" +
               html(period) +
               "\">Download as CSV</a> <a "
               "href=\"/report.html?" +
               html(period) + "\">Printable page</a></form>",
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
