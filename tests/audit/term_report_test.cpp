// The termly report from a real run: real photos from ../shared/testdata submitted to the queue
// on the enrolled register of check/check_fixture.h, checked by a real PhotoWorker, two held
// photos decided by SLT; then every figure of the report, its HTML and its CSV, asserted.
// (Raj is left out: whether his consent has expired depends on the day the test runs.)
// Then possible incidents (likely matches): only those the DSL confirms count.
#include "consentguard/audit/term_report.h"

#include <Poco/Logger.h>

#include <fstream>
#include <map>

#include "check/check_fixture.h"
#include "consentguard/audit/audit_log.h"
#include "consentguard/audit/audited_register.h"
#include "consentguard/common/dates.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/service/photo_worker.h"

namespace consentguard::testing {
namespace {

using audit::TermReport;

// RFC 4180 parsing, enough to read back what reportCsv wrote.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(cell));
      cell.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::move(cell));
      cell.clear();
      rows.emplace_back();
      ++i;
    } else {
      cell += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

class TermReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CG_REQUIRE_SHARED_TESTDATA();
    dir_ = scratchDir("term-report");
    settings_.folders = service::DataFolders{dir_ / "data"};
    fs::create_directories(settings_.folders.root);
    installEnrolledRegister(settings_.folders.database());
    // The identity crops carry no camera details; the newsletter lets SLT decide group photos.
    settings_.policy.device_check = false;
    settings_.policy.channels[1].slt_may_override = true;
    ASSERT_EQ(settings_.policy.channels[1].name, "newsletter");
    settings_.models = modelPaths();
    ASSERT_TRUE(settings_.folders.create(settings_.policy.channelNames()).ok());
    auto queue = queue::JobQueue::open(settings_.folders.database(), settings_.folders.store());
    ASSERT_TRUE(queue.ok());
    queue_ = std::move(queue.value());
    // The small blurred bystander in bbt2.jpg is possibly Raj (a likely match); with his
    // consent for the newsletter renewed the group photo is held, not blocked, for him.
    auto store = reg::RegisterStore::open(settings_.folders.database());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->setConsent("P006", "newsletter", true, "", todayIso()).ok());
    runTheTerm();
  }

  std::string submit(const fs::path& photo, const std::string& channel, const std::string& name) {
    auto bytes = image::readFileBytes(photo);
    EXPECT_TRUE(bytes.ok()) << photo;
    auto job = queue_->submit(*bytes, {channel, "", "", name, "api", "key:cms"});
    EXPECT_TRUE(job.ok());
    return job->id;
  }

  void runTheTerm() {
    submit(probePhoto("amy"), "website", "amy.png");                         // published
    submit(probePhoto("howard"), "website", "=1+1.png");                     // no-photo list
    submit(probePhoto("leonard"), "website", "leonard.png");                 // no website consent
    penny_ = submit(probePhoto("penny"), "website", "<script>.png");         // unknown face: held
    group_ = submit(testdata("groups/bbt2.jpg"), "newsletter", "bbt2.jpg");  // held
    submit(probePhoto("sheldon"), "newsletter", "sheldon.png");              // published
    auto worker = service::PhotoWorker::create(settings_, 1, Poco::Logger::get("term-report"));
    ASSERT_TRUE(worker.ok()) << worker.error().detail;
    for (int i = 0; i < 6; ++i) {
      auto worked = (*worker)->processNext();
      ASSERT_TRUE(worked.ok() && *worked) << (worked.ok() ? "queue empty" : worked.error().detail);
    }
    ASSERT_EQ((*queue_->held()).size(), 2u) << "Penny's photo and the group photo are held";
    ASSERT_TRUE(queue_
                    ->decide(penny_,
                             {"approved", "user:head", "Visitor's child & parent agreed", ""},
                             "publish", settings_.folders.outbox("website") / "penny.png")
                    .ok());
    ASSERT_TRUE(queue_
                    ->decide(group_, {"rejected", "user:dsl", "=HYPERLINK(\"x\") too many", ""},
                             "block", settings_.folders.rejected() / "bbt2.jpg")
                    .ok());
    auto db = reg::openRegisterDatabase(settings_.folders.database());
    ASSERT_TRUE(db.ok());
    auto report = audit::buildTermReport(**db, todayIso(), todayIso());
    ASSERT_TRUE(report.ok()) << report.error().detail;
    report_ = std::move(report.value());
  }

  void expectCountsEveryPhotoByChannelAndOutcome();
  void expectCountsTheReasons();
  void expectListsTheOverrideAndTheRejectionWithWhoAndWhy();
  void expectListsTheIncidents();
  void expectListsThePeopleToPhotographAgain();
  void expectTheHtmlPageShowsTheFiguresAndEscapesEverything();
  void expectTheCsvReadsBackToTheSameFiguresWithFormulasNeutralised();

  fs::path dir_;
  service::ServiceSettings settings_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::string penny_, group_;
  TermReport report_;
};

void TermReportTest::expectCountsEveryPhotoByChannelAndOutcome() {
  EXPECT_EQ(report_.channels, (std::vector<std::string>{"newsletter", "website"}));
  EXPECT_EQ(report_.photos(), 6);
  EXPECT_EQ(report_.photos("website"), 4);
  EXPECT_EQ(report_.photos("website", "published"), 1);
  EXPECT_EQ(report_.photos("website", "rejected_by_rules"), 2);
  EXPECT_EQ(report_.photos("website", "approved_by_slt"), 1);
  EXPECT_EQ(report_.photos("newsletter", "published"), 1);
  EXPECT_EQ(report_.photos("newsletter", "rejected_by_slt"), 1);
  EXPECT_EQ(report_.photos({}, "held"), 0);
  EXPECT_EQ(report_.photos({}, "being_checked"), 0);
  EXPECT_EQ(report_.outcomes.size(), 5u);
}

void TermReportTest::expectCountsTheReasons() {
  EXPECT_EQ(report_.reasonCount("no_photo"), 1);
  EXPECT_EQ(report_.reasonCount("no_consent"), 1);
  EXPECT_EQ(report_.reasonCount("too_many_children"), 1);
  // Penny's face, and the small blurred people behind Leonard and Sheldon in bbt2 (which the
  // HOG detector, used when the MMOD model is absent, may not find).
  if (haveMmodModel()) {
    EXPECT_EQ(report_.reasonCount("unknown_face"), 2);
  } else {
    EXPECT_GE(report_.reasonCount("unknown_face"), 1);
    EXPECT_LE(report_.reasonCount("unknown_face"), 2);
  }
  EXPECT_EQ(report_.reasonCount("full_name"), 0);
}

void TermReportTest::expectListsTheOverrideAndTheRejectionWithWhoAndWhy() {
  ASSERT_EQ(report_.overrides.size(), 1u);
  const auto& o = report_.overrides[0];
  EXPECT_EQ(o.job_id, penny_);
  EXPECT_EQ(o.file_name, "<script>.png");
  EXPECT_EQ(o.channel, "website");
  EXPECT_EQ(o.decision, "approved");
  EXPECT_EQ(o.decided_by, "user:head");
  EXPECT_EQ(o.reason, "Visitor's child & parent agreed");
  EXPECT_EQ(o.first_verdict, "review");
  EXPECT_EQ(o.check_reasons, std::vector<std::string>{"unknown_face"});
  EXPECT_EQ(o.decided_at.substr(0, 10), todayIso());

  ASSERT_EQ(report_.slt_rejections.size(), 1u);
  const auto& r = report_.slt_rejections[0];
  EXPECT_EQ(r.job_id, group_);
  EXPECT_EQ(r.file_name, "bbt2.jpg");
  EXPECT_EQ(r.channel, "newsletter");
  EXPECT_EQ(r.decided_by, "user:dsl");
  EXPECT_EQ(r.reason, "=HYPERLINK(\"x\") too many");
  EXPECT_EQ(r.first_verdict, "review");
}

void TermReportTest::expectListsTheIncidents() {
  ASSERT_EQ(report_.incidents.size(), 2u);
  const auto& howard = report_.incidents[0];
  EXPECT_EQ(howard.person_id, "P003");
  EXPECT_EQ(howard.channel, "website");
  EXPECT_EQ(howard.code, "no_photo");
  EXPECT_EQ(howard.photo, "=1+1.png");
  const auto& leonard = report_.incidents[1];
  EXPECT_EQ(leonard.person_id, "P004");
  EXPECT_EQ(leonard.code, "no_consent");
  EXPECT_EQ(leonard.photo, "leonard.png");
  for (const auto& i : report_.incidents) EXPECT_EQ(i.evidence, "recognised") << i.person_id;
}

void TermReportTest::expectListsThePeopleToPhotographAgain() {
  // Without a template policy the list is left out.
  EXPECT_FALSE(report_.lists_enrolments);
  EXPECT_EQ(audit::reportHtml(report_, "School").find("Pupils to photograph again"),
            std::string::npos);
  auto db = reg::openRegisterDatabase(settings_.folders.database());
  ASSERT_TRUE(db.ok());
  // Everyone's reference photos are from the fixture's enrolment; judged a month from now with
  // a one-day limit, all are too old. Penny (no biometric consent) has none, so is not listed.
  const std::string later = monthsBefore(todayIso(), -1);
  auto report = audit::buildTermReport(**db, todayIso(), todayIso(),
                                       {later, checkEngine().pipelineVersion()});
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(report->lists_enrolments);
  std::vector<std::string> ids;
  for (const auto& e : report->to_photograph_again) {
    ids.push_back(e.person_id);
    EXPECT_TRUE(e.too_old);
    EXPECT_FALSE(e.other_pipeline);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"P001", "P002", "P003", "P004", "P006", "P007",
                                           "S001"}));
  const std::string html = audit::reportHtml(*report, "School");
  EXPECT_NE(html.find("Pupils to photograph again"), std::string::npos);
  EXPECT_NE(html.find("<td>P006</td>"), std::string::npos);
  EXPECT_NE(audit::reportCsv(*report).find("photograph_again,,photo_too_old"), std::string::npos);
  // As things stand today, nobody.
  report = audit::buildTermReport(**db, todayIso(), todayIso(),
                                  {monthsBefore(todayIso(), 12), checkEngine().pipelineVersion()});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->to_photograph_again.empty());
}

void TermReportTest::expectTheHtmlPageShowsTheFiguresAndEscapesEverything() {
  const std::string html = audit::reportHtml(report_, "St <Mary's> & All Saints");
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;.png"), std::string::npos);
  EXPECT_NE(html.find("St &lt;Mary&#39;s&gt; &amp; All Saints"), std::string::npos);
  EXPECT_NE(html.find("Visitor&#39;s child &amp; parent agreed"), std::string::npos);
  EXPECT_NE(html.find("Photos submitted: <strong>6</strong>"), std::string::npos);
  EXPECT_NE(html.find("Incidents: <strong>2</strong>"), std::string::npos);
  EXPECT_NE(html.find("Stopped by the photo policy: <strong>2</strong>"), std::string::npos);
  EXPECT_NE(html.find("<td>Stopped by the photo policy</td><td class=\"n\">0</td>"
                      "<td class=\"n\">2</td><td class=\"n\">2</td>"),
            std::string::npos);
  EXPECT_NE(html.find("P003"), std::string::npos);
  EXPECT_NE(html.find("user:head"), std::string::npos);
  // Self-contained: nothing fetched from elsewhere.
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);
}

void TermReportTest::expectTheCsvReadsBackToTheSameFiguresWithFormulasNeutralised() {
  const std::string csv = audit::reportCsv(report_);
  const auto rows = parseCsv(csv);
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "section");
  std::map<std::string, int> outcomes, reasons;
  std::vector<std::vector<std::string>> incidents, overrides, rejections;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), rows[0].size()) << row[0];
    if (row[0] == "outcome") outcomes[row[1] + "/" + row[2]] = std::stoi(row[3]);
    if (row[0] == "reason") reasons[row[2]] = std::stoi(row[3]);
    if (row[0] == "incident") incidents.push_back(row);
    if (row[0] == "override") overrides.push_back(row);
    if (row[0] == "slt_rejection") rejections.push_back(row);
    if (row[0] == "summary" && row[2] == "photos") {
      EXPECT_EQ(row[3], "6");
    }
  }
  EXPECT_EQ(outcomes, (std::map<std::string, int>{{"newsletter/published", 1},
                                                  {"newsletter/rejected_by_slt", 1},
                                                  {"website/approved_by_slt", 1},
                                                  {"website/published", 1},
                                                  {"website/rejected_by_rules", 2}}));
  EXPECT_EQ(reasons["no_photo"], 1);
  EXPECT_EQ(reasons["no_consent"], 1);
  EXPECT_EQ(reasons["too_many_children"], 1);
  EXPECT_EQ(reasons["unknown_face"], report_.reasonCount("unknown_face"));
  ASSERT_EQ(incidents.size(), 2u);
  EXPECT_EQ(incidents[0][5], "'=1+1.png");  // the photo column, neutralised
  EXPECT_EQ(incidents[0][6], "P003");
  ASSERT_EQ(overrides.size(), 1u);
  EXPECT_EQ(overrides[0][5], "<script>.png");
  EXPECT_EQ(overrides[0][7], "user:head");
  EXPECT_EQ(overrides[0][8], "Visitor's child & parent agreed");
  ASSERT_EQ(rejections.size(), 1u);
  EXPECT_EQ(rejections[0][8], "'=HYPERLINK(\"x\") too many");
  // No cell a spreadsheet would run as a formula.
  for (const auto& row : rows) {
    for (const auto& cell : row) {
      EXPECT_TRUE(cell.empty() || std::string("=+-@").find(cell[0]) == std::string::npos) << cell;
    }
  }
}

// Every test here needs the real run (enrolment, six photos checked): one test, in parts.
TEST_F(TermReportTest, ARealRunGivesExactFiguresInTheReportItsPageAndItsCsv) {
  expectCountsEveryPhotoByChannelAndOutcome();
  expectCountsTheReasons();
  expectListsTheOverrideAndTheRejectionWithWhoAndWhy();
  expectListsTheIncidents();
  expectListsThePeopleToPhotographAgain();
  expectTheHtmlPageShowsTheFiguresAndEscapesEverything();
  expectTheCsvReadsBackToTheSameFiguresWithFormulasNeutralised();
}

TEST(TermReport, AnotherPeriodIsEmptyAndBadDatesAreNamed) {
  auto db = reg::openRegisterDatabase(scratchDir("term-report-dates") / "consentguard.db");
  ASSERT_TRUE(db.ok());
  auto before = audit::buildTermReport(**db, "2020-09-01", "2020-12-20");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->photos(), 0);
  EXPECT_TRUE(before->incidents.empty());
  auto bad = audit::buildTermReport(**db, "2026-02-30", "2026-12-20");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "bad_date");
  EXPECT_NE(bad.error().message.find("2026-02-30"), std::string::npos);
  auto backwards = audit::buildTermReport(**db, "2026-12-20", "2026-09-01");
  ASSERT_FALSE(backwards.ok());
  EXPECT_NE(backwards.error().message.find("after it ends"), std::string::npos);
}

TEST(TermReport, OnlyConfirmedIncidentsCountAndTheDismissedAndUndecidedAreSaid) {
  const fs::path dir = scratchDir("term-report-possible");
  auto store = reg::RegisterStore::open(dir / "consentguard.db");
  ASSERT_TRUE(store.ok()) << store.error().detail;
  reg::RegisterStore& s = **store;
  // Sure ones count at once; likely matches wait for the DSL.
  ASSERT_TRUE(s.recordIncident("P003", "website", "no_photo", "sure.jpg", "recognised").ok());
  ASSERT_TRUE(s.recordIncident("P004", "website", "no_consent", "x.jpg", "named_in_metadata").ok());
  for (const char* photo : {"it-is-them.jpg", "not-them.jpg", "waiting.jpg"}) {
    ASSERT_TRUE(s.recordIncident("P003", "newsletter", "no_photo", photo, "likely_match").ok());
  }
  const auto ids = s.takeRecordedIncidents();
  ASSERT_EQ(ids.size(), 5u);
  audit::AuditedRegister dsl(s, "user:dee.dsl");
  ASSERT_TRUE(dsl.decideIncident(ids[2], true).ok());
  ASSERT_TRUE(dsl.decideIncident(ids[3], false).ok());
  EXPECT_EQ(dsl.decideIncident(ids[3], true).error().code, "already_decided");

  auto report = audit::buildTermReport(s.database(), todayIso(), todayIso());
  ASSERT_TRUE(report.ok()) << report.error().detail;
  std::vector<std::string> counted;
  for (const auto& i : report->incidents) counted.push_back(i.photo + " " + i.confirmed_by);
  EXPECT_EQ(counted,
            (std::vector<std::string>{"sure.jpg ", "x.jpg ", "it-is-them.jpg user:dee.dsl"}));
  EXPECT_EQ(report->possible_dismissed, 1);
  EXPECT_EQ(report->possible_undecided, 1);

  const std::string html = audit::reportHtml(*report, "School");
  EXPECT_NE(html.find("Incidents: <strong>3</strong> (not counted: 1 possible incidents the DSL "
                      "dismissed, and 1 still waiting for the DSL)"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("dismissed (the face was not the pupil): <strong>1</strong>"),
            std::string::npos);
  EXPECT_NE(html.find("confirmed by user:dee.dsl"), std::string::npos);
  EXPECT_EQ(html.find("not-them.jpg"), std::string::npos) << "a dismissed one is not listed";
  EXPECT_EQ(html.find("waiting.jpg"), std::string::npos) << "nor one not yet decided";
  std::map<std::string, std::string> summary;
  int incidentRows = 0;
  for (const auto& row : parseCsv(audit::reportCsv(*report))) {
    if (row[0] == "summary") summary[row[2]] = row[3];
    incidentRows += row[0] == "incident";
  }
  EXPECT_EQ(incidentRows, 3);
  EXPECT_EQ(summary["incidents"], "3");
  EXPECT_EQ(summary["possible_incidents_dismissed"], "1");
  EXPECT_EQ(summary["possible_incidents_undecided"], "1");

  // Each decision is in the audit trail, which is intact.
  audit::AuditLog log(s.database());
  auto entries = log.entries();
  ASSERT_TRUE(entries.ok());
  std::vector<std::string> actions;
  for (const auto& e : *entries) actions.push_back(e.actor + " " + e.action + " " + e.subject);
  EXPECT_EQ(actions, (std::vector<std::string>{"user:dee.dsl incident_confirmed P003",
                                               "user:dee.dsl incident_dismissed P003"}));
  EXPECT_NE(entries->back().details.find("\"incident\":" + std::to_string(ids[3])),
            std::string::npos)
      << entries->back().details;
  EXPECT_TRUE(log.verify()->intact());
}

TEST(TermReportCli, WritesTheReportAndNamesABadDate) {
  const fs::path dir = scratchDir("term-report-cli");
  ASSERT_TRUE(reg::openRegisterDatabase(dir / "consentguard.db").ok());
  const std::string db = " --db " + shellQuoted(dir / "consentguard.db");
  const auto html = runConsentguard("report" + db + " --from 2026-09-01 --to 2026-12-19 --out " +
                                    shellQuoted(dir / "report.html"));
  EXPECT_EQ(html.status, 0) << html.out;
  std::ifstream page(dir / "report.html");
  const std::string text(std::istreambuf_iterator<char>(page), {});
  EXPECT_NE(text.find("1 September 2026 to 19 December 2026"), std::string::npos);
  const auto csv = runConsentguard("report" + db + " --from 2026-09-01 --to 2026-12-19 --csv");
  EXPECT_EQ(csv.status, 0);
  EXPECT_EQ(csv.out.rfind("section,channel,item,count", 0), 0u) << csv.out;

  const auto bad = runConsentguard("report" + db + " --from 2026-09-01 --to 2026-12-32");
  EXPECT_EQ(bad.status, 64);
  EXPECT_NE(bad.out.find("The end date \"2026-12-32\""), std::string::npos) << bad.out;
  EXPECT_EQ(runConsentguard("report" + db + " --from 2026-12-19 --to 2026-09-01").status, 64);
  EXPECT_EQ(runConsentguard("report --db " + shellQuoted(dir / "none.db") +
                            " --from 2026-09-01 --to 2026-12-19")
                .status,
            3);
}

// The report's terms (issue 22): Autumn 1 September to 31 December, Spring 1 January to Easter
// Sunday, Summer Easter Monday to 31 August, so that every day is in exactly one term.
TEST(SchoolTerms, EasterSplitsSpringFromSummerAndEveryDayIsInOneTerm) {
  EXPECT_EQ(audit::easterSunday(2024), "2024-03-31");
  EXPECT_EQ(audit::easterSunday(2025), "2025-04-20");
  EXPECT_EQ(audit::easterSunday(2026), "2026-04-05");
  EXPECT_EQ(audit::easterSunday(2027), "2027-03-28");
  EXPECT_EQ(audit::easterSunday(2038), "2038-04-25");  // the latest it can be
  EXPECT_EQ(audit::easterSunday(2285), "2285-03-22");  // the earliest

  const auto spring = audit::termContaining("2027-03-28");
  EXPECT_EQ(spring.key, "spring-2027");
  EXPECT_EQ(spring.name, "Spring term 2027");
  EXPECT_EQ(spring.from, "2027-01-01");
  EXPECT_EQ(spring.to, "2027-03-28");
  const auto summer = audit::termContaining("2027-03-29");
  EXPECT_EQ(summer.key, "summer-2027");
  EXPECT_EQ(summer.from, "2027-03-29");
  EXPECT_EQ(summer.to, "2027-08-31");
  const auto autumn = audit::termContaining("2026-12-04");
  EXPECT_EQ(autumn.key, "autumn-2026");
  EXPECT_EQ(autumn.from, "2026-09-01");
  EXPECT_EQ(autumn.to, "2026-12-31");
  EXPECT_EQ(audit::termContaining("2026-08-31").key, "summer-2026");
  EXPECT_EQ(audit::termContaining("2026-09-01").key, "autumn-2026");
  EXPECT_EQ(audit::termContaining("2027-01-01").key, "spring-2027");

  // Going back a term at a time, each ends the day before the next begins.
  EXPECT_EQ(audit::termBefore(autumn).key, "summer-2026");
  EXPECT_EQ(audit::termBefore(audit::termBefore(autumn)).key, "spring-2026");
  EXPECT_EQ(audit::termBefore(spring).key, "autumn-2026");
  EXPECT_EQ(audit::termBefore(summer).to, "2027-03-28");

  EXPECT_EQ(audit::termNamed("summer-2026")->from, "2026-04-06");
  EXPECT_FALSE(audit::termNamed("winter-2026").has_value());
  EXPECT_FALSE(audit::termNamed("autumn-26").has_value());
  EXPECT_FALSE(audit::termNamed("autumn-20x6").has_value());
}

}  // namespace
}  // namespace consentguard::testing
