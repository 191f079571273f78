// The termly report to governors: for a period, how many photos were submitted on each channel
// and what became of them, why photos were stopped, every decision SLT made on a held photo
// (overrides and rejections, with who and why), and every incident (an attempt to publish a
// pupil on the no-photo list, or one without consent for the channel: rule 8).
//
// Only confirmed incidents count: a sure recognition, a name in the photo's own details, or a
// likely match the DSL confirmed. A likely match is only a possible incident until then; the
// report says how many possible ones the DSL dismissed ("not them") and how many still wait.
//
// A photo belongs to the period by the day it was submitted (jobs.created_at); an incident by
// the day it happened. Days are the server's local calendar days, both ends included.
//
// Outcomes, one per photo, SLT's decision first:
//   approved_by_slt    held for a person to decide; a senior leader approved it as it was
//   redacted_by_slt    held; a senior leader approved a copy with faces blurred out
//   rejected_by_slt    held; a senior leader refused it (with a reason)
//   published          the checks passed it, nobody needed to decide
//   rejected_by_rules  the checks refused it (a hard rule: no-photo list, no consent, ...)
//   held               the checks held it for SLT, who have not decided yet
//   being_checked      submitted but not yet checked (or being checked again after a change
//                      of consent)
//
// Free functions; buildTermReport uses the caller's connection (not thread-safe, like it); the
// formatting functions are pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/register/database.h"
#include "consentguard/register/register_store.h"

namespace consentguard::audit {

// The outcome keys above, in the order the report shows them.
const std::vector<std::string>& outcomeKeys();
// "Approved by a senior leader", ... ; the key itself for an unknown one.
std::string outcomeLabel(const std::string& outcome);
// "On the no-photo list", ... for a reason code; the code itself for an unknown one.
std::string reasonLabel(const std::string& code);
// How an incident's pupil was found in the photo, in words: "recognised", "a likely match ...".
std::string evidenceLabel(const std::string& evidence);

struct OutcomeCount {
  std::string channel;
  std::string outcome;  // one of outcomeKeys()
  int photos = 0;
};

struct ReasonCount {
  std::string code;  // no_photo, no_consent, too_many_children, ...
  int photos = 0;    // photos whose check gave this reason (each photo counted once)
};

// A decision SLT made on a held photo.
struct SltDecision {
  std::string decided_at;
  std::string job_id;
  std::string file_name;
  std::string channel;
  std::string decision;       // approved, redacted or rejected
  std::string decided_by;     // "user:NAME"
  std::string reason;         // why (required for a rejection, optional for an approval)
  std::string first_verdict;  // what the checks said the first time (normally review)
  std::vector<std::string> check_reasons;  // the codes the checks gave
};

struct IncidentRow {
  std::string occurred_at;
  std::string person_id;
  std::string channel;
  std::string code;                     // no_photo or no_consent
  std::string photo;                    // the photo's file name
  std::string evidence = "recognised";  // "recognised", "likely_match", "named_in_metadata"
  std::string confirmed_by;  // the DSL who confirmed a likely match; empty when it was sure
  std::string job_id;        // the photo's job; empty when checked on the command line
};

// Which templates may still permit a face, for the report's list of pupils to photograph again.
// An empty pipeline leaves the list out.
struct TemplatePolicy {
  std::string oldest_photo_date;  // templates from photos taken before this no longer permit
  std::string pipeline;           // the face pipeline now in use
};

struct TermReport {
  std::string from, to;                // ISO dates, both included
  std::vector<std::string> channels;   // every channel with photos, in name order
  std::vector<OutcomeCount> outcomes;  // only the non-zero counts
  std::vector<ReasonCount> reasons;    // most frequent first
  std::vector<SltDecision> overrides;  // approved or redacted by SLT, oldest first
  std::vector<SltDecision> slt_rejections;
  std::vector<IncidentRow> incidents;  // confirmed ones only, oldest first
  // Possible incidents (likely matches) in the period that the DSL dismissed, and those not
  // yet decided: neither counts as an incident.
  int possible_dismissed = 0, possible_undecided = 0;
  // Takedowns raised in the period, how many of them are done, and the mean hours to done.
  int takedowns_raised = 0, takedowns_done = 0;
  double takedown_mean_hours = 0.0;
  // As it stands now (not in the period): the people whose templates no longer permit.
  std::vector<reg::StaleEnrolment> to_photograph_again;
  bool lists_enrolments = false;

  // Photos with this outcome on this channel; an empty argument means any.
  int photos(const std::string& channel = {}, const std::string& outcome = {}) const;
  int reasonCount(const std::string& code) const;
};

// A school term, to choose the report's period by: Autumn is 1 September to 31 December, Spring
// 1 January to Easter Sunday, Summer Easter Monday to 31 August. The terms cover every day of
// the year (each holiday belongs to a term), so that no photo falls between two reports; the
// Easter holidays are split at Easter, close to where English schools break.
struct SchoolTerm {
  std::string key;   // "autumn-2026", "spring-2027", "summer-2027"
  std::string name;  // "Autumn term 2026"
  std::string from, to;  // ISO dates, both included
};
// Easter Sunday of a Gregorian year, as an ISO date ("2027-03-28").
std::string easterSunday(int year);
// The term a (valid ISO) date is in.
SchoolTerm termContaining(const std::string& iso_date);
// The term just before this one.
SchoolTerm termBefore(const SchoolTerm& term);
// The term with this key ("summer-2027"); nullopt for one that is not a term.
std::optional<SchoolTerm> termNamed(const std::string& key);

// Errors: "bad_date" (naming the date that is not a real YYYY-MM-DD, or from after to),
// "database".
Result<TermReport> buildTermReport(reg::Database& db, const std::string& from,
                                   const std::string& to, const TemplatePolicy& templates = {});

// A self-contained printable HTML page (no external CSS, scripts or images); every value from
// the database is HTML-escaped.
std::string reportHtml(const TermReport& report, const std::string& school_name);

// One CSV (RFC 4180, CRLF line ends) whose first column names the section: summary, outcome,
// reason, override, slt_rejection, incident (confirmed ones), photograph_again. Cells that a
// spreadsheet would take for a formula (starting = + - @, or tab / carriage return) get a leading
// apostrophe.
std::string reportCsv(const TermReport& report);

}  // namespace consentguard::audit
