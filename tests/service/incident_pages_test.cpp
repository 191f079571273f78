// Possible incidents on the DSL's incidents page, end to end against the real service (issue
// 21): a likely match is recorded as possible, attached to its photo and face; the DSL sees the
// face and confirms ("it is them") or dismisses ("not them"), each audited; nobody else may;
// dismissing leaves the photo blocked; only the confirmed one counts in the termly report.
#include <algorithm>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "consentguard/common/dates.h"
#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

class IncidentPagesTest : public ReviewServiceTest {
 protected:
  // A strict test no face can pass: Howard (no-photo list) and Leonard (no consent for the
  // website) are then only likely matches, whatever the engine's thresholds are tuned to.
  std::string configText() override {
    return "policy.device_check = false\nfolders.scan_seconds = 0.2\n"
           "policy.match.threshold = 0.1\n";
  }

  // The incident recorded for a photo (its job), as the store has it now.
  std::optional<reg::Incident> incidentOf(const std::string& job) {
    auto store = reg::RegisterStore::open(data_ / "consentguard.db");
    EXPECT_TRUE(store.ok());
    std::optional<reg::Incident> found;
    const auto incidents = (*store)->incidents();
    EXPECT_TRUE(incidents.ok());
    if (!incidents) return found;
    for (const auto& i : *incidents) {
      if (i.job_id == job) {
        EXPECT_FALSE(found.has_value()) << "one incident per photo and pupil";
        found = i;
      }
    }
    return found;
  }

  // The summary rows of the termly report's CSV for today: item -> count.
  static std::map<std::string, std::string> reportSummary(Browser& dsl) {
    const std::string today = todayIso();
    const Page csv = dsl.get("/report.csv?from=" + today + "&to=" + today);
    EXPECT_EQ(csv.status, 200);
    std::map<std::string, std::string> summary;
    std::istringstream lines(csv.body);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("summary,,", 0) != 0) continue;
      const std::string rest = line.substr(9);
      const size_t comma = rest.find(',');
      summary[rest.substr(0, comma)] =
          rest.substr(comma + 1, rest.find(',', comma + 1) - comma - 1);
    }
    return summary;
  }
};

TEST_F(IncidentPagesTest, TheDslConfirmsOrDismissesAPossibleIncidentAndNobodyElseMay) {
  const std::string howard =
      submitAndWait(*image::readFileBytes(probePhoto("howard")), "howard.png");
  const std::string leonard =
      submitAndWait(*image::readFileBytes(probePhoto("leonard")), "leonard.png");
  ASSERT_EQ(verdictOf(howard), "block") << jobOf(howard)->result_json;
  ASSERT_EQ(verdictOf(leonard), "block") << jobOf(leonard)->result_json;
  // Each likely match is a possible incident, attached to its photo and face.
  const auto possibleHoward = incidentOf(howard), possibleLeonard = incidentOf(leonard);
  ASSERT_TRUE(possibleHoward && possibleLeonard);
  for (const auto& i : {*possibleHoward, *possibleLeonard}) {
    EXPECT_EQ(i.evidence, "likely_match");
    EXPECT_EQ(i.status, "possible");
    EXPECT_TRUE(queue::parseBoxKey(i.box).has_value()) << i.box;
  }
  EXPECT_EQ(possibleHoward->person_id, "P003");
  EXPECT_EQ(possibleLeonard->person_id, "P004");
  const std::string confirm = "/incidents/" + std::to_string(possibleHoward->id) + "/confirm";
  const std::string dismiss = "/incidents/" + std::to_string(possibleLeonard->id) + "/dismiss";

  Browser dsl(port_);
  ASSERT_EQ(dsl.signIn("dee.dsl", kPassword).status, 303);
  const Page page = dsl.get("/incidents");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("id=\"possible-incidents\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("action=\"" + confirm + "\""), std::string::npos);
  EXPECT_NE(page.body.find("action=\"" + dismiss + "\""), std::string::npos);
  EXPECT_EQ(page.body.find("likely_match"), std::string::npos) << "no raw codes on the page";
  EXPECT_NE(page.body.find("There have been no incidents."), std::string::npos)
      << "a possible incident is not an incident yet";
  // The face, cut from the stored original.
  const std::string faceUrl = "/incidents/" + std::to_string(possibleHoward->id) + "/face.jpg";
  EXPECT_NE(page.body.find("src=\"" + faceUrl + "\""), std::string::npos);
  const Page face = dsl.get(faceUrl);
  ASSERT_EQ(face.status, 200);
  EXPECT_EQ(face.content_type, "image/jpeg");
  const cv::Mat decoded =
      cv::imdecode(std::vector<uchar>(face.body.begin(), face.body.end()), cv::IMREAD_COLOR);
  ASSERT_FALSE(decoded.empty());
  EXPECT_EQ(std::max(decoded.cols, decoded.rows), 320);

  // Only the DSL: a senior leader and the office are refused, even with their own valid token.
  Browser slt(port_), office(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  EXPECT_EQ(slt.get(faceUrl).status, 403);
  EXPECT_EQ(slt.post(confirm, {{"csrf", Browser::csrfIn(slt.get("/review").body)}}).status, 403);
  EXPECT_EQ(office.post(dismiss, {{"csrf", Browser::csrfIn(office.get("/photos").body)}}).status,
            403);
  // Nor without the page's token.
  EXPECT_EQ(dsl.post(confirm, {{"csrf", "forged"}}).status, 403);
  EXPECT_EQ(incidentOf(howard)->status, "possible");
  EXPECT_EQ(incidentOf(leonard)->status, "possible");

  const std::string csrf = Browser::csrfIn(page.body);
  const Page confirmed = dsl.post(confirm, {{"csrf", csrf}});
  ASSERT_EQ(confirmed.status, 303) << confirmed.body;
  EXPECT_NE(dsl.get(confirmed.location).body.find("Confirmed: Howard"), std::string::npos);
  const Page dismissed = dsl.post(dismiss, {{"csrf", csrf}});
  ASSERT_EQ(dismissed.status, 303) << dismissed.body;
  const Page after = dsl.get(dismissed.location);
  EXPECT_NE(after.body.find("The photo stays blocked: dismissing does not publish it."),
            std::string::npos)
      << after.body;
  EXPECT_NE(after.body.find("id=\"dismissed-incidents\""), std::string::npos);
  EXPECT_EQ(after.body.find("id=\"possible-incidents\""), std::string::npos);
  EXPECT_EQ(after.body.find("There have been no incidents."), std::string::npos);
  // Decided once.
  EXPECT_EQ(dsl.post(dismiss, {{"csrf", csrf}}).status, 409);
  EXPECT_EQ(dsl.post(confirm, {{"csrf", csrf}}).status, 409);

  EXPECT_EQ(incidentOf(howard)->status, "confirmed");
  EXPECT_EQ(incidentOf(howard)->decided_by, "user:dee.dsl");
  EXPECT_EQ(incidentOf(leonard)->status, "dismissed");
  const auto actions = auditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "incident_confirmed"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "incident_dismissed"), 1);

  // Dismissing changed nothing about Leonard's photo: blocked, in rejected/, not published.
  std::this_thread::sleep_for(1s);  // a re-check, were one started, would have begun
  const auto job = jobOf(leonard);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->state, queue::JobState::kDone);
  EXPECT_EQ(job->verdict, "block");
  EXPECT_TRUE(job->decision.decision.empty());
  EXPECT_TRUE(fs::exists(data_ / "rejected" / "leonard.png"));
  EXPECT_FALSE(fs::exists(data_ / "outbox" / "website" / "leonard.png"));

  // The termly report counts the confirmed one only, and says what became of the others.
  const auto summary = reportSummary(dsl);
  EXPECT_EQ(summary.at("incidents"), "1");
  EXPECT_EQ(summary.at("possible_incidents_dismissed"), "1");
  EXPECT_EQ(summary.at("possible_incidents_undecided"), "0");
}

}  // namespace
}  // namespace consentguard::testing
