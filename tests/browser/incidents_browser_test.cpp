// Possible incidents in a real browser (issue 21): `consentguard serve` runs with the enrolled
// test register and a strict test no face passes, so that Howard (no-photo list) and Leonard (no
// consent for the website) are each only a likely match: two blocked photos, two possible
// incidents. tests/browser/incidents.mjs then has the DSL confirm one and dismiss the other in
// Chromium, and a senior leader refused; this test checks what that left in the database, the
// audit trail and the data folder. Screenshots go to <build>/browser-screenshots/incidents/.
#include "browser/browser_fixture.h"
#include "consentguard/register/register_store.h"

namespace consentguard::testing {
namespace {

class IncidentsBrowserTest : public BrowserServiceTest {
 protected:
  // "id status decided_by" of the incident recorded for a photo (its job), "" for none.
  std::string incidentOf(const std::string& job) {
    auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
    EXPECT_TRUE(db.ok());
    auto stmt = (*db)->prepare(
        "SELECT id || ' ' || status || ' ' || decided_by FROM incidents WHERE job_id = ?");
    EXPECT_TRUE(stmt.ok());
    auto rows = stmt->bind({job}).collect([](const reg::Statement& r) { return r.text(0); });
    EXPECT_TRUE(rows.ok() && rows->size() == 1) << "one incident for photo " << job;
    return rows.ok() && rows->size() == 1 ? rows->front() : "";
  }
};

TEST_F(IncidentsBrowserTest, TheDslConfirmsOnePossibleIncidentAndDismissesAnother) {
  CG_REQUIRE_SHARED_TESTDATA();
  CG_REQUIRE_BROWSER();
  makeDataFolder("browser-incidents");
  createUser("dee.dsl", "dsl", "dsl-password-for-tests-1");
  createUser("mrs.head", "slt", "slt-password-for-tests-2");
  makeApiKey("website");
  auto server = startService(
      "policy.device_check = false\npolicy.match.threshold = 0.1\nservice.workers = 1\n"
      "folders.scan_seconds = 0.2\n");
  ASSERT_FALSE(HasFailure());

  const std::string howard = submit(probePhoto("howard"), "website", "howard.png");
  const std::string leonard = submit(probePhoto("leonard"), "website", "leonard.png");
  ASSERT_EQ(verdictOf(howard), "block");
  ASSERT_EQ(verdictOf(leonard), "block");
  const std::string confirmId = incidentOf(howard), dismissId = incidentOf(leonard);
  ASSERT_NE(confirmId.find(" possible "), std::string::npos) << confirmId;
  ASSERT_NE(dismissId.find(" possible "), std::string::npos) << dismissId;
  const auto idOf = [](const std::string& row) { return row.substr(0, row.find(' ')); };

  const int status = runScript(
      "incidents.mjs", {{"CG_BASE_URL", "https://127.0.0.1:" + std::to_string(port_)},
                        // Node's fetch trusts the service's own certificate, and only it.
                        {"NODE_EXTRA_CA_CERTS", (data_ / "tls" / "consentguard.crt").string()},
                        {"CG_DSL_USER", "dee.dsl"},
                        {"CG_DSL_PASSWORD", "dsl-password-for-tests-1"},
                        {"CG_SLT_USER", "mrs.head"},
                        {"CG_SLT_PASSWORD", "slt-password-for-tests-2"},
                        {"CG_INCIDENT_CONFIRM", idOf(confirmId)},
                        {"CG_INCIDENT_DISMISS", idOf(dismissId)},
                        {"CG_SCREENSHOTS", screenshotDir().string()},
                        {"CG_CHROMIUM", chromiumPath()}});
  ASSERT_EQ(status, 0) << "incidents.mjs failed (its steps are above; the service's log: "
                       << dir_ / "serve.log"
                       << ")";

  EXPECT_EQ(incidentOf(howard), idOf(confirmId) + " confirmed user:dee.dsl");
  EXPECT_EQ(incidentOf(leonard), idOf(dismissId) + " dismissed user:dee.dsl");
  // Each decision is in the audit trail, by the DSL; the senior leader's attempt left nothing.
  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  ASSERT_TRUE(db.ok());
  auto stmt = (*db)->prepare(
      "SELECT actor || ' ' || action || ' ' || subject FROM audit_log WHERE action LIKE "
      "'incident_%' ORDER BY seq");
  ASSERT_TRUE(stmt.ok());
  auto actions = stmt->collect([](const reg::Statement& r) { return r.text(0); });
  ASSERT_TRUE(actions.ok());
  EXPECT_EQ(*actions, (std::vector<std::string>{"user:dee.dsl incident_confirmed P003",
                                                "user:dee.dsl incident_dismissed P004"}));
  // Dismissing did not release Leonard's photo: still blocked, still in rejected/.
  EXPECT_EQ(verdictOf(leonard), "block");
  EXPECT_EQ(filesStartingWith(data_ / "rejected", "leonard").size(), 2u)
      << "the photo and the note beside it";
  EXPECT_TRUE(filesStartingWith(data_ / "outbox" / "website", "leonard").empty());
  EXPECT_EQ(server->kill(SIGTERM), 0);
}

}  // namespace
}  // namespace consentguard::testing
