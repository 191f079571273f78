// The termly report's figures, read from the jobs and incidents tables. Formatting is in
// term_report_format.cpp.
#include "consentguard/audit/term_report.h"

#include <map>

#include "consentguard/common/dates.h"

namespace consentguard::audit {
namespace {

// The day a row belongs to, on the server's calendar (the stored times are UTC).
const char* kJobInPeriod = "date(created_at, 'localtime') BETWEEN ?1 AND ?2";

// A job's reason codes, as a JSON array; rows not yet checked have no result_json.
const char* kReasonsOf =
    "json_each(CASE WHEN json_valid(result_json) THEN result_json ELSE '{}' END, '$.reasons')";

Status validatePeriod(const std::string& from, const std::string& to) {
  for (const auto& [date, which] : {std::pair{from, "start"}, std::pair{to, "end"}}) {
    if (!isIsoDate(date)) {
      return makeError("bad_date", std::string("The ") + which + " date \"" + date +
                                       "\" is not a real date. Write dates as YYYY-MM-DD, for "
                                       "example 2026-09-01.");
    }
  }
  if (from > to) {
    return makeError("bad_date", "The period starts (" + from + ") after it ends (" + to +
                                     "): give the earlier date first.");
  }
  return okStatus();
}

Status readOutcomes(reg::Database& db, TermReport& report) {
  auto stmt = db.prepare(std::string("SELECT channel, CASE "
                                     "WHEN decision = 'approved' THEN 'approved_by_slt' "
                                     "WHEN decision = 'redacted' THEN 'redacted_by_slt' "
                                     "WHEN decision = 'rejected' THEN 'rejected_by_slt' "
                                     "WHEN state IN ('queued', 'processing') THEN 'being_checked' "
                                     "WHEN verdict = 'publish' THEN 'published' "
                                     "WHEN verdict = 'block' THEN 'rejected_by_rules' "
                                     "WHEN verdict = 'review' THEN 'held' "
                                     "ELSE 'being_checked' END AS outcome, count(*) "
                                     "FROM jobs WHERE ") +
                         kJobInPeriod + " GROUP BY 1, 2 ORDER BY 1, 2");
  if (!stmt) return stmt.error();
  stmt->bind({report.from, report.to});
  auto rows = stmt->collect([](reg::Statement& r) {
    return OutcomeCount{r.text(0), r.text(1), static_cast<int>(r.integer(2))};
  });
  if (!rows) return rows.error();
  report.outcomes = std::move(rows.value());
  for (const auto& row : report.outcomes) {
    if (report.channels.empty() || report.channels.back() != row.channel) {
      report.channels.push_back(row.channel);
    }
  }
  return okStatus();
}

Status readReasons(reg::Database& db, TermReport& report) {
  auto stmt = db.prepare(std::string("SELECT json_extract(r.value, '$.code') AS code, "
                                     "count(DISTINCT jobs.id) FROM jobs, ") +
                         kReasonsOf + " AS r WHERE " + kJobInPeriod +
                         " AND code IS NOT NULL GROUP BY code ORDER BY 2 DESC, 1");
  if (!stmt) return stmt.error();
  stmt->bind({report.from, report.to});
  auto rows = stmt->collect([](reg::Statement& r) {
    return ReasonCount{r.text(0), static_cast<int>(r.integer(1))};
  });
  if (!rows) return rows.error();
  report.reasons = std::move(rows.value());
  return okStatus();
}

std::vector<std::string> splitCodes(const std::string& joined) {
  std::vector<std::string> codes;
  size_t start = 0;
  while (start < joined.size()) {
    const size_t comma = joined.find(',', start);
    const size_t end = comma == std::string::npos ? joined.size() : comma;
    if (end > start) codes.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return codes;
}

Result<std::vector<SltDecision>> readDecisions(reg::Database& db, const TermReport& report,
                                               const std::string& decisions) {
  auto stmt = db.prepare(std::string("SELECT decided_at, id, file_name, channel, decision, "
                                     "decided_by, decision_reason, first_verdict, (SELECT "
                                     "group_concat(json_extract(value, '$.code'), ',') FROM ") +
                         kReasonsOf + ") FROM jobs WHERE " + kJobInPeriod +
                         " AND instr(?3, ',' || decision || ',') > 0 AND decision <> '' "
                         "ORDER BY decided_at, id");
  if (!stmt) return stmt.error();
  stmt->bind({report.from, report.to, "," + decisions + ","});
  return stmt->collect([](reg::Statement& r) {
    return SltDecision{r.text(0), r.text(1), r.text(2),
                       r.text(3), r.text(4), r.text(5),
                       r.text(6), r.text(7), splitCodes(r.text(8))};
  });
}

Status readIncidents(reg::Database& db, TermReport& report) {
  auto stmt = db.prepare(
      "SELECT occurred_at, person_id, channel, code, photo, evidence, decided_by, job_id FROM "
      "incidents WHERE status = 'confirmed' AND date(occurred_at, 'localtime') BETWEEN ?1 AND "
      "?2 ORDER BY occurred_at, id");
  if (!stmt) return stmt.error();
  stmt->bind({report.from, report.to});
  auto rows = stmt->collect([](reg::Statement& r) {
    return IncidentRow{r.text(0), r.text(1), r.text(2), r.text(3),
                       r.text(4), r.text(5), r.text(6), r.text(7)};
  });
  if (!rows) return rows.error();
  report.incidents = std::move(rows.value());
  auto possible = db.prepare(
      "SELECT count(CASE WHEN status = 'dismissed' THEN 1 END), count(CASE WHEN status = "
      "'possible' THEN 1 END) FROM incidents WHERE date(occurred_at, 'localtime') BETWEEN ?1 "
      "AND ?2");
  if (!possible) return possible.error();
  auto row = possible->bind({report.from, report.to}).step();
  if (!row) return row.error();
  report.possible_dismissed = static_cast<int>(possible->integer(0));
  report.possible_undecided = static_cast<int>(possible->integer(1));
  return okStatus();
}

Status readTakedowns(reg::Database& db, TermReport& report) {
  auto stmt = db.prepare(
      "SELECT count(*), count(NULLIF(done_at, '')), coalesce(avg(CASE WHEN done_at <> '' THEN "
      "(julianday(done_at) - julianday(since)) * 24 END), 0) FROM takedowns WHERE "
      "date(since, 'localtime') BETWEEN ?1 AND ?2");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({report.from, report.to}).step();
  if (!row) return row.error();
  report.takedowns_raised = static_cast<int>(stmt->integer(0));
  report.takedowns_done = static_cast<int>(stmt->integer(1));
  report.takedown_mean_hours = stmt->real(2);
  return okStatus();
}

}  // namespace

const std::vector<std::string>& outcomeKeys() {
  static const std::vector<std::string> keys = {
      "published", "approved_by_slt", "redacted_by_slt", "rejected_by_rules", "rejected_by_slt",
      "held",      "being_checked"};
  return keys;
}

std::string outcomeLabel(const std::string& outcome) {
  static const std::map<std::string, std::string> labels = {
      {"published", "Published (the checks passed it)"},
      {"approved_by_slt", "Published after a senior leader approved it"},
      {"redacted_by_slt", "Published with faces blurred, approved by a senior leader"},
      {"rejected_by_rules", "Stopped by the photo policy"},
      {"rejected_by_slt", "Refused by a senior leader"},
      {"held", "Waiting for a senior leader to decide"},
      {"being_checked", "Still being checked"}};
  const auto it = labels.find(outcome);
  return it == labels.end() ? outcome : it->second;
}

std::string reasonLabel(const std::string& code) {
  static const std::map<std::string, std::string> labels = {
      {"no_photo", "A pupil on the no-photo list was in the photo"},
      {"no_consent", "A pupil without parental consent for that channel was in the photo"},
      {"too_many_children", "More children in the photo than the channel allows"},
      {"unknown_face", "A face Consent Guard could not recognise"},
      {"full_name", "A pupil's full name in the caption, alt text or file name"},
      {"same_person_twice", "Two faces matched the same person, so one of them was someone else"},
      {"unregistered_device", "Taken on a camera or tablet that is not the school's"},
      {"no_faces", "No face found, so a person had to look"},
      {"unreadable", "The file could not be read as a photo"}};
  const auto it = labels.find(code);
  return it == labels.end() ? code : it->second;
}

std::string evidenceLabel(const std::string& evidence) {
  if (evidence == "likely_match") return "a likely match: possibly them, not a sure one";
  if (evidence == "named_in_metadata") return "named in the photo's own details";
  return "recognised";
}

int TermReport::photos(const std::string& channel, const std::string& outcome) const {
  int total = 0;
  for (const auto& row : outcomes) {
    if ((channel.empty() || row.channel == channel) &&
        (outcome.empty() || row.outcome == outcome)) {
      total += row.photos;
    }
  }
  return total;
}

int TermReport::reasonCount(const std::string& code) const {
  for (const auto& row : reasons) {
    if (row.code == code) return row.photos;
  }
  return 0;
}

Result<TermReport> buildTermReport(reg::Database& db, const std::string& from,
                                   const std::string& to, const TemplatePolicy& templates) {
  if (Status s = validatePeriod(from, to); !s) return s.error();
  TermReport report;
  report.from = from;
  report.to = to;
  // One snapshot, so that the sections agree with each other while the service runs.
  reg::Database::Transaction snapshot(db);
  if (!snapshot.begun()) return snapshot.begun().error();
  if (Status s = readOutcomes(db, report); !s) return s.error();
  if (Status s = readReasons(db, report); !s) return s.error();
  auto overrides = readDecisions(db, report, "approved,redacted");
  if (!overrides) return overrides.error();
  report.overrides = std::move(overrides.value());
  auto rejections = readDecisions(db, report, "rejected");
  if (!rejections) return rejections.error();
  report.slt_rejections = std::move(rejections.value());
  if (Status s = readIncidents(db, report); !s) return s.error();
  if (Status s = readTakedowns(db, report); !s) return s.error();
  if (!templates.pipeline.empty()) {
    auto stale = reg::findStaleEnrolments(db, templates.oldest_photo_date, templates.pipeline);
    if (!stale) return stale.error();
    report.to_photograph_again = std::move(stale.value());
    report.lists_enrolments = true;
  }
  return report;
}

}  // namespace consentguard::audit
