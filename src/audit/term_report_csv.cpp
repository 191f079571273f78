// The termly report as one CSV: every row names its section in the first column, so that a
// spreadsheet can filter by it. The columns are the same for every section; a section leaves
// the ones it does not use empty.
#include <sstream>

#include "consentguard/audit/term_report.h"

namespace consentguard::audit {
namespace {

const std::vector<std::string> kColumns = {"section", "channel",       "item",          "count",
                                           "when",    "photo",         "person",        "by",
                                           "reason",  "first_verdict", "check_reasons", "job_id"};

// A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one)
// as a formula: such cells get a leading apostrophe so they stay text.
std::string neutralised(const std::string& value) {
  if (!value.empty() && std::string("=+-@\t\r").find(value[0]) != std::string::npos) {
    return "'" + value;
  }
  return value;
}

// RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled.
std::string csvCell(const std::string& raw) {
  const std::string value = neutralised(raw);
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// One row, its cells in kColumns' order; cells left off the end are empty.
void write(std::ostream& out, std::vector<std::string> cells) {
  cells.resize(kColumns.size());
  for (size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << csvCell(cells[i]);
  out << "\r\n";
}

std::string joinCodes(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& code : codes) out += (out.empty() ? "" : " ") + code;
  return out;
}

void decisions(std::ostream& out, const std::string& section,
               const std::vector<SltDecision>& rows) {
  for (const auto& d : rows) {
    write(out, {section, d.channel, d.decision, "", d.decided_at, d.file_name, "", d.decided_by,
                d.reason, d.first_verdict, joinCodes(d.check_reasons), d.job_id});
  }
}

}  // namespace

std::string reportCsv(const TermReport& r) {
  std::ostringstream out;
  for (size_t i = 0; i < kColumns.size(); ++i) out << (i ? "," : "") << kColumns[i];
  out << "\r\n";
  write(out, {"summary", "", "from", "", r.from});
  write(out, {"summary", "", "to", "", r.to});
  write(out, {"summary", "", "photos", std::to_string(r.photos())});
  write(out, {"summary", "", "incidents", std::to_string(r.incidents.size())});
  write(out, {"summary", "", "possible_incidents_dismissed", std::to_string(r.possible_dismissed)});
  write(out, {"summary", "", "possible_incidents_undecided", std::to_string(r.possible_undecided)});
  write(out, {"summary", "", "takedowns_raised", std::to_string(r.takedowns_raised)});
  write(out, {"summary", "", "takedowns_done", std::to_string(r.takedowns_done)});
  for (const auto& o : r.outcomes) {
    write(out, {"outcome", o.channel, o.outcome, std::to_string(o.photos)});
  }
  for (const auto& reason : r.reasons) {
    write(out, {"reason", "", reason.code, std::to_string(reason.photos)});
  }
  decisions(out, "override", r.overrides);
  decisions(out, "slt_rejection", r.slt_rejections);
  for (const auto& i : r.incidents) {
    write(out, {"incident", i.channel, i.code, "", i.occurred_at, i.photo, i.person_id, i.evidence,
                "", "", "", i.job_id});
  }
  for (const auto& e : r.to_photograph_again) {
    write(out, {"photograph_again", "", e.too_old ? "photo_too_old" : "earlier_face_engine", "",
                e.newest_photo_date, "", e.person_id});
  }
  return out.str();
}

}  // namespace consentguard::audit
