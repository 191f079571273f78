// The termly report as a printable HTML page for governors, and as one CSV for a spreadsheet.
#include <sstream>

#include "consentguard/audit/term_report.h"
#include "consentguard/common/text.h"

namespace consentguard::audit {
namespace {

// "2026-09-01" -> "1 September 2026"; anything else as it is.
std::string longDate(const std::string& iso) {
  static const char* months[] = {"January",   "February", "March",    "April",
                                 "May",       "June",     "July",     "August",
                                 "September", "October",  "November", "December"};
  if (iso.size() < 10) return iso;
  const int month = std::stoi(iso.substr(5, 2)), day = std::stoi(iso.substr(8, 2));
  if (month < 1 || month > 12) return iso;
  return std::to_string(day) + " " + months[month - 1] + " " + iso.substr(0, 4);
}

// "2026-11-23T08:04:26Z" or "2026-11-23 08:04:26" -> "2026-11-23 08:04" (UTC).
std::string shortTime(const std::string& stamp) {
  if (stamp.size() < 16) return stamp;
  return stamp.substr(0, 10) + " " + stamp.substr(11, 5);
}

std::string joinCodes(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& code : codes) out += (out.empty() ? "" : ", ") + code;
  return out;
}

const char* kStyle =
    "body{font-family:Georgia,serif;margin:2em;color:#111;max-width:60em}"
    "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #999}"
    "table{border-collapse:collapse;margin:.5em 0;width:100%}"
    "th,td{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}"
    "td.n,th.n{text-align:right}tr.total td{font-weight:bold}"
    "p.none{font-style:italic}dt{font-weight:bold}dd{margin:0 0 .4em 1.5em}"
    "@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}}";

void cell(std::ostream& out, const std::string& text, bool number = false) {
  out << (number ? "<td class=\"n\">" : "<td>") << htmlEscape(text) << "</td>";
}

void outcomesTable(std::ostream& out, const TermReport& r) {
  out << "<h2>What happened to the photos</h2>\n";
  if (r.channels.empty()) {
    out << "<p class=\"none\">No photos were submitted in this period.</p>\n";
    return;
  }
  out << "<table><tr><th>Outcome</th>";
  for (const auto& channel : r.channels)
    out << "<th class=\"n\">" << htmlEscape(channel) << "</th>";
  out << "<th class=\"n\">All channels</th></tr>\n";
  for (const auto& outcome : outcomeKeys()) {
    out << "<tr>";
    cell(out, outcomeLabel(outcome));
    for (const auto& channel : r.channels)
      cell(out, std::to_string(r.photos(channel, outcome)), true);
    cell(out, std::to_string(r.photos({}, outcome)), true);
    out << "</tr>\n";
  }
  out << "<tr class=\"total\">";
  cell(out, "All photos submitted");
  for (const auto& channel : r.channels) cell(out, std::to_string(r.photos(channel)), true);
  cell(out, std::to_string(r.photos()), true);
  out << "</tr></table>\n";
}

void reasonsTable(std::ostream& out, const TermReport& r) {
  out << "<h2>Why photos were stopped or held</h2>\n"
         "<p>A photo can have more than one reason; each photo is counted once per reason.</p>\n";
  if (r.reasons.empty()) {
    out << "<p class=\"none\">No photo was stopped or held.</p>\n";
    return;
  }
  out << "<table><tr><th>Reason</th><th>Code</th><th class=\"n\">Photos</th></tr>\n";
  for (const auto& reason : r.reasons) {
    out << "<tr>";
    cell(out, reasonLabel(reason.code));
    cell(out, reason.code);
    cell(out, std::to_string(reason.photos), true);
    out << "</tr>\n";
  }
  out << "</table>\n";
}

void decisionsTable(std::ostream& out, const std::vector<SltDecision>& rows, bool overrides) {
  out << (overrides ? "<h2>Photos a senior leader allowed (overrides)</h2>\n"
                    : "<h2>Photos a senior leader refused</h2>\n");
  if (rows.empty()) {
    out << "<p class=\"none\">None in this period.</p>\n";
    return;
  }
  out << "<table><tr><th>When (UTC)</th><th>Photo</th><th>Channel</th><th>Who</th>"
      << (overrides ? "<th>Decision</th>" : "")
      << "<th>Why</th><th>What the checks said</th></tr>\n";
  for (const auto& d : rows) {
    out << "<tr>";
    cell(out, shortTime(d.decided_at));
    cell(out, d.file_name);
    cell(out, d.channel);
    cell(out, d.decided_by);
    if (overrides) cell(out, d.decision == "redacted" ? "approved with faces blurred" : d.decision);
    cell(out, d.reason.empty() ? "(no reason given)" : d.reason);
    cell(out, d.first_verdict + (d.check_reasons.empty() ? "" : ": " + joinCodes(d.check_reasons)));
    out << "</tr>\n";
  }
  out << "</table>\n";
}

void incidentsTable(std::ostream& out, const TermReport& r) {
  out << "<h2>Incidents</h2>\n<p>An incident is an attempt to publish a photo of a pupil on the "
         "no-photo list, or of a pupil without parental consent for that channel. Each one was "
         "stopped; the DSL may want to follow up. A face that was only possibly such a pupil "
         "counts once the DSL has confirmed it.</p>\n"
      << "<p>Possible incidents the DSL dismissed (the face was not the pupil): <strong>"
      << r.possible_dismissed << "</strong>. Possible incidents still waiting for the DSL: "
      << "<strong>" << r.possible_undecided << "</strong>.</p>\n";
  if (r.incidents.empty()) {
    out << "<p class=\"none\">No incidents in this period.</p>\n";
    return;
  }
  out << "<table><tr><th>When (UTC)</th><th>Pupil (register id)</th><th>Channel</th>"
         "<th>What happened</th><th>How they were found</th><th>Photo</th></tr>\n";
  for (const auto& i : r.incidents) {
    out << "<tr>";
    cell(out, shortTime(i.occurred_at));
    cell(out, i.person_id);
    cell(out, i.channel);
    cell(out, reasonLabel(i.code));
    cell(out, evidenceLabel(i.evidence) +
                  (i.confirmed_by.empty() ? "" : "; confirmed by " + i.confirmed_by));
    cell(out, i.photo);
    out << "</tr>\n";
  }
  out << "</table>\n";
}

void photographAgainTable(std::ostream& out, const TermReport& r) {
  if (!r.lists_enrolments) return;
  out << "<h2>Pupils to photograph again</h2>\n<p>Children's faces change. These people's face "
         "templates are all from reference photos too old, or were made by an earlier version "
         "of the face engine: their faces still protect them, but are no longer recognised as "
         "consented, so their photos go to a senior leader. As it stands today.</p>\n";
  if (r.to_photograph_again.empty()) {
    out << "<p class=\"none\">Nobody.</p>\n";
    return;
  }
  out << "<table><tr><th>Person (register id)</th><th>Role</th><th>Newest reference photo</th>"
         "<th>Why</th></tr>\n";
  for (const auto& e : r.to_photograph_again) {
    out << "<tr>";
    cell(out, e.person_id);
    cell(out, reg::roleName(e.role));
    cell(out, e.newest_photo_date);
    cell(out, std::string(e.too_old ? "photo too old" : "") +
                  (e.too_old && e.other_pipeline ? "; " : "") +
                  (e.other_pipeline ? "made by an earlier face engine" : ""));
    out << "</tr>\n";
  }
  out << "</table>\n";
}

void definitions(std::ostream& out) {
  out << "<h2>What the outcomes mean</h2>\n<dl>";
  const char* meanings[][2] = {
      {"published", "Every rule was met, so the photo went out without anyone needing to look."},
      {"approved_by_slt",
       "The checks held the photo for a person to decide, and a senior leader "
       "approved it as it was."},
      {"redacted_by_slt",
       "The checks held the photo, and a senior leader approved a copy with "
       "one or more faces blurred out."},
      {"rejected_by_rules",
       "A rule nobody may override stopped the photo (for example a pupil "
       "on the no-photo list, or without consent)."},
      {"rejected_by_slt", "The checks held the photo, and a senior leader refused it."},
      {"held", "The photo is waiting for a senior leader to decide."},
      {"being_checked",
       "The photo had not been checked when this report was made (or is being "
       "checked again after a change of consent)."}};
  for (const auto& m : meanings) {
    out << "<dt>" << htmlEscape(outcomeLabel(m[0])) << "</dt><dd>" << htmlEscape(m[1]) << "</dd>";
  }
  out << "</dl>\n<p>Photos are counted in the period by the day they were submitted, incidents "
         "by the day they happened; both dates are included.</p>\n";
}

std::string hours(double h) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(1);
  out << h << " hours";
  return out.str();
}

void summary(std::ostream& out, const TermReport& r) {
  const int published =
      r.photos({}, "published") + r.photos({}, "approved_by_slt") + r.photos({}, "redacted_by_slt");
  out << "<h2>Summary</h2>\n<ul>"
      << "<li>Photos submitted: <strong>" << r.photos() << "</strong></li>"
      << "<li>Published: <strong>" << published << "</strong> (of which a senior leader "
      << "approved " << r.overrides.size() << ")</li>"
      << "<li>Stopped by the photo policy: <strong>" << r.photos({}, "rejected_by_rules")
      << "</strong></li>"
      << "<li>Refused by a senior leader: <strong>" << r.photos({}, "rejected_by_slt")
      << "</strong></li>"
      << "<li>Still waiting for a decision: <strong>" << r.photos({}, "held") << "</strong></li>"
      << "<li>Incidents: <strong>" << r.incidents.size() << "</strong>"
      << (r.possible_dismissed + r.possible_undecided > 0
              ? " (not counted: " + std::to_string(r.possible_dismissed) +
                    " possible incidents the DSL dismissed, and " +
                    std::to_string(r.possible_undecided) + " still waiting for the DSL)"
              : "")
      << "</li>"
      << "<li>Takedowns (published photos that had to come down after a withdrawal, an expiry "
         "or the no-photo list): <strong>"
      << r.takedowns_raised << "</strong> raised, <strong>" << r.takedowns_done
      << "</strong> done"
      << (r.takedowns_done > 0 ? ", in " + hours(r.takedown_mean_hours) + " on average" : "")
      << "</li></ul>\n";
}

}  // namespace

std::string reportHtml(const TermReport& r, const std::string& school_name) {
  std::ostringstream out;
  const std::string period = longDate(r.from) + " to " + longDate(r.to);
  out << "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
      << "<title>Photos and consent report: " << htmlEscape(period) << "</title><style>" << kStyle
      << "</style></head><body>\n"
      << "<h1>Photos and consent: report to governors</h1>\n<p><strong>" << htmlEscape(school_name)
      << "</strong><br>Period: " << htmlEscape(period) << " (" << htmlEscape(r.from) << " to "
      << htmlEscape(r.to) << ", both included)</p>\n";
  summary(out, r);
  outcomesTable(out, r);
  reasonsTable(out, r);
  decisionsTable(out, r.overrides, true);
  decisionsTable(out, r.slt_rejections, false);
  incidentsTable(out, r);
  photographAgainTable(out, r);
  definitions(out);
  out << "<p><small>Made by Consent Guard. Times are UTC.</small></p>\n</body></html>\n";
  return out.str();
}

}  // namespace consentguard::audit
