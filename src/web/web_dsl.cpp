// The termly report for governors, for the designated safeguarding lead (the incidents page
// is web_incidents.cpp).
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
