// The termly report for governors, for the designated safeguarding lead (the incidents page
// is web_incidents.cpp): /report shows the report's figures for a term (the current one unless
// another is chosen) or for chosen dates, with the same period kept by the links to the CSV
// (/report.csv) and the printable page (/report.html).
#include <Poco/URI.h>

#include <cctype>
#include <map>

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

// The period a request asks for: ?term=autumn-2026, or ?from=YYYY-MM-DD&to=YYYY-MM-DD (custom
// dates), or by default the term today is in.
struct Period {
  std::string from, to;
  std::string term_key;  // empty for custom dates
  std::string name;      // "Autumn term 2026", or "" for custom dates
  std::string problem;   // a term that is not one, in words
};

Period periodOf(const Poco::Net::HTTPServerRequest& request) {
  std::string term, from, to;
  bool custom = false;
  for (const auto& [name, value] : Poco::URI(request.getURI()).getQueryParameters()) {
    if (name == "term") term = value.substr(0, 40);
    if (name == "from" || name == "to") {
      (name == "from" ? from : to) = value.substr(0, 40);
      custom = true;
    }
  }
  if (custom && term.empty()) return {from, to, "", "", ""};
  auto chosen = term.empty() ? std::optional(audit::termContaining(todayIso()))
                             : audit::termNamed(term);
  if (!chosen) {
    return {"", "", "", "", "Consent Guard does not know that term. Choose one from the list."};
  }
  return {chosen->from, chosen->to, chosen->key, chosen->name, ""};
}

// "2026-09-01" -> "1 September 2026"; anything else as it is.
std::string longDate(const std::string& iso) {
  static const char* months[] = {"January", "February", "March",     "April",   "May",
                                 "June",    "July",     "August",    "September", "October",
                                 "November", "December"};
  if (!isIsoDate(iso)) return iso;
  const int month = std::stoi(iso.substr(5, 2)), day = std::stoi(iso.substr(8, 2));
  return std::to_string(day) + " " + months[month - 1] + " " + iso.substr(0, 4);
}

std::string verdictWords(const std::string& verdict) {
  if (verdict == "review") return "Held for a senior leader";
  if (verdict == "block") return "Stopped";
  if (verdict == "publish") return "Passed";
  return verdict.empty() ? "Not checked" : verdict;
}

std::string reasonsWords(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& code : codes) out += (out.empty() ? "" : "; ") + audit::reasonLabel(code);
  return out;
}

// The term choices: the current term and the three before it (a year back), newest first.
void addTermChoices(ctemplate::TemplateDictionary& page, const Period& period) {
  audit::SchoolTerm term = audit::termContaining(todayIso());
  bool listed = false;
  for (int i = 0; i < 4; ++i, term = audit::termBefore(term)) {
    auto* option = page.AddSectionDictionary("TERM_OPTION");
    option->SetValue("KEY", term.key);
    option->SetValue("NAME", term.name + (i == 0 ? " (this term)" : ""));
    if (term.key == period.term_key) {
      option->ShowSection("SELECTED");
      listed = true;
    }
  }
  if (!listed && !period.term_key.empty()) {  // an older term, asked for by its address
    auto* option = page.AddSectionDictionary("TERM_OPTION");
    option->SetValue("KEY", period.term_key);
    option->SetValue("NAME", period.name);
    option->ShowSection("SELECTED");
  }
}

void addDecisions(ctemplate::TemplateDictionary& page, const char* section,
                  const std::vector<audit::SltDecision>& decisions) {
  page.ShowSection((decisions.empty() ? "NO_" : "ANY_") + std::string(section));
  for (const auto& d : decisions) {
    auto* row = page.AddSectionDictionary(section);
    row->SetValue("WHEN", readableTime(d.decided_at));
    row->SetValue("PHOTO", d.file_name);
    row->SetValue("CHANNEL", channelLabel(d.channel));
    row->SetValue("BY", actorLabel(d.decided_by));
    row->SetValue("DECISION", d.decision == "redacted"   ? "Approved with faces blurred"
                              : d.decision == "approved" ? "Approved as it was"
                                                         : "Refused");
    row->SetValue("WHY", d.reason.empty() ? "(no reason given)" : d.reason);
    row->SetValue("CHECKS", verdictWords(d.first_verdict) +
                                (d.check_reasons.empty() ? "" : ": " + reasonsWords(d.check_reasons)));
  }
}

// The report's figures in the page (the same figures as reportCsv's, in words).
void addFigures(ctemplate::TemplateDictionary& page, const audit::TermReport& r,
                const std::map<std::string, std::string>& names) {
  const auto nameOf = [&](const std::string& id) {
    const auto it = names.find(id);
    return it == names.end() ? id : it->second + " (" + id + ")";
  };
  const auto summary = [&](const char* item, const std::string& label, long count) {
    auto* row = page.AddSectionDictionary("SUMMARY");
    row->SetValue("ITEM", item);
    row->SetValue("LABEL", label);
    row->SetIntValue("COUNT", count);
  };
  summary("photos", "Photos submitted", r.photos());
  summary("incidents", "Incidents", static_cast<long>(r.incidents.size()));
  summary("possible_incidents_dismissed", "Possible incidents the DSL dismissed (not them)",
          r.possible_dismissed);
  summary("possible_incidents_undecided", "Possible incidents still waiting for the DSL",
          r.possible_undecided);
  summary("takedowns_raised", "Published photos that had to come down", r.takedowns_raised);
  summary("takedowns_done", "Of those, taken down", r.takedowns_done);

  page.ShowSection(r.channels.empty() ? "NO_PHOTOS" : "ANY_PHOTOS");
  for (const auto& channel : r.channels) {
    page.AddSectionDictionary("CHANNEL_HEADING")->SetValue("NAME", channelLabel(channel));
  }
  for (const auto& outcome : audit::outcomeKeys()) {
    auto* row = page.AddSectionDictionary("OUTCOME");
    row->SetValue("OUTCOME", outcome);
    row->SetValue("LABEL", audit::outcomeLabel(outcome));
    for (const auto& channel : r.channels) {
      auto* cell = row->AddSectionDictionary("CELL");
      cell->SetValue("CHANNEL", channel);
      cell->SetValue("OUTCOME", outcome);
      cell->SetIntValue("COUNT", r.photos(channel, outcome));
    }
    row->SetIntValue("TOTAL", r.photos({}, outcome));
  }
  for (const auto& channel : r.channels) {
    auto* cell = page.AddSectionDictionary("CHANNEL_TOTAL");
    cell->SetValue("CHANNEL", channel);
    cell->SetIntValue("COUNT", r.photos(channel));
  }
  page.SetIntValue("ALL_PHOTOS", r.photos());

  page.ShowSection(r.reasons.empty() ? "NO_REASONS" : "ANY_REASONS");
  for (const auto& reason : r.reasons) {
    auto* row = page.AddSectionDictionary("REASON");
    row->SetValue("CODE", reason.code);
    row->SetValue("LABEL", audit::reasonLabel(reason.code));
    row->SetIntValue("COUNT", reason.photos);
  }
  addDecisions(page, "OVERRIDE", r.overrides);
  addDecisions(page, "SLT_REJECTION", r.slt_rejections);

  page.ShowSection(r.incidents.empty() ? "NO_INCIDENTS" : "ANY_INCIDENTS");
  for (const auto& i : r.incidents) {
    auto* row = page.AddSectionDictionary("INCIDENT");
    row->SetValue("WHEN", readableTime(i.occurred_at));
    row->SetValue("PUPIL", nameOf(i.person_id));
    row->SetValue("CHANNEL", channelLabel(i.channel));
    row->SetValue("WHAT", audit::reasonLabel(i.code));
    std::string how = audit::evidenceLabel(i.evidence);
    how[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(how[0])));
    if (!i.confirmed_by.empty()) how += "; confirmed by " + actorLabel(i.confirmed_by);
    row->SetValue("HOW", how);
    row->SetValue("PHOTO", i.photo);
  }
  if (r.lists_enrolments) {
    auto* again = page.AddSectionDictionary("PHOTOGRAPH_AGAIN");
    if (r.to_photograph_again.empty()) again->ShowSection("NOBODY");
    for (const auto& e : r.to_photograph_again) {
      auto* row = again->AddSectionDictionary("PERSON");
      row->SetValue("ID", e.person_id);
      row->SetValue("NAME", e.display_name.empty() ? e.person_id : e.display_name);
      row->SetValue("NEWEST", longDate(e.newest_photo_date));
      row->SetValue("WHY", std::string(e.too_old ? "The newest photo is too old" : "") +
                               (e.too_old && e.other_pipeline ? "; " : "") +
                               (e.other_pipeline ? "Made by an earlier face engine" : ""));
    }
  }
}

// The report for the period the request asks for, as a page with a choice of term or dates, or
// as CSV for a spreadsheet.
void report(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
            ThreadDatabase& t, const Session& session, const ServiceSettings& settings,
            bool csv) {
  const Period period = periodOf(request);
  if (!period.problem.empty()) {
    return sendMessagePage(response, HTTPResponse::HTTP_BAD_REQUEST, "No report",
                           period.problem, &session);
  }
  auto built = audit::buildTermReport(t.store->database(), period.from, period.to,
                                      templatePolicy(settings));
  ctemplate::TemplateDictionary page("report");
  addTermChoices(page, period);
  page.SetValue("FROM", period.from);
  page.SetValue("TO", period.to);
  if (period.term_key.empty()) page.ShowSection("CUSTOM");
  if (!built) {
    if (csv || built.error().code != "bad_date") {
      return sendMessagePage(response,
                             built.error().code == "bad_date"
                                 ? HTTPResponse::HTTP_BAD_REQUEST
                                 : HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                             "No report", built.error().message, &session);
    }
    // The dates the DSL typed are wrong: the form again, with what to correct beside it.
    page.AddSectionDictionary("DATE_PROBLEM")->SetValue("TEXT", built.error().message);
    return sendPage(response, HTTPResponse::HTTP_BAD_REQUEST, "Termly report",
                    renderPage("report.tpl", page), &session);
  }
  (void)audit::AuditLog(t.store->database())
      .append(actorOf(session), "report_viewed", period.from + " to " + period.to);
  if (csv) {
    const std::string text = audit::reportCsv(*built);
    response.setContentType("text/csv; charset=utf-8");
    response.set("Content-Disposition", "attachment; filename=\"consent-guard-report-" +
                                            period.from + "-to-" + period.to + ".csv\"");
    response.set("Cache-Control", "no-store");
    response.sendBuffer(text.data(), text.size());
    return;
  }
  auto* shown = page.AddSectionDictionary("REPORT");
  shown->SetValue("PERIOD", (period.name.empty() ? "" : period.name + ": ") +
                                longDate(period.from) + " to " + longDate(period.to));
  shown->SetValue("FROM", period.from);
  shown->SetValue("TO", period.to);
  std::map<std::string, std::string> names;
  if (auto people = t.store->people()) {
    for (const auto& p : *people) names[p.id] = p.displayName();
  }
  addFigures(*shown, *built, names);
  sendPage(response, HTTPResponse::HTTP_OK, "Termly report", renderPage("report.tpl", page),
           &session);
}

void printable(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               ThreadDatabase& t, const Session& session, const ServiceSettings& settings) {
  const Period period = periodOf(request);
  auto built = period.problem.empty()
                   ? audit::buildTermReport(t.store->database(), period.from, period.to,
                                            templatePolicy(settings))
                   : Result<audit::TermReport>(makeError("bad_date", period.problem));
  if (!built) {
    return sendMessagePage(response, HTTPResponse::HTTP_BAD_REQUEST, "No report",
                           built.error().message, &session);
  }
  const std::string page = audit::reportHtml(*built, settings.school_name);
  response.setContentType("text/html; charset=utf-8");
  response.set("Cache-Control", "no-store");
  response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  response.sendBuffer(page.data(), page.size());
}

}  // namespace

bool handleDslRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                    Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                    const ServiceSettings& settings) {
  if (request.getMethod() != "GET") return false;
  if (path != "/report" && path != "/report.csv" && path != "/report.html") return false;
  auto session = requireSession(request, response, t, canSeeIncidents);
  if (!session) return true;
  if (path == "/report.html") {
    printable(request, response, t, *session, settings);
  } else {
    report(request, response, t, *session, settings, path == "/report.csv");
  }
  return true;
}

}  // namespace consentguard::service
