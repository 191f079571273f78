// The review pages' defences, driven over HTTP against the real service: no session, a forged
// session cookie, the wrong role, a missing or wrong CSRF token, repeated wrong passwords. Each
// refused action is shown to have changed nothing: the photo is still held.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "check/check_fixture.h"
#include "consentguard/audit/audit_log.h"
#include "consentguard/image/sanitiser.h"
#include "consentguard/queue/job_queue.h"
#include "consentguard/register/register_store.h"
#include "consentguard/service/accounts.h"
#include "consentguard/service/api_keys.h"
#include "service/openapi_check.h"
#include "service/server_process.h"

namespace consentguard::testing {
namespace {

using namespace std::chrono_literals;
using Poco::Net::HTTPRequest;

const std::string kPassword = "correct horse battery";

struct Page {
  int status = 0;
  std::string body, location;
  std::vector<std::string> set_cookies;
};

// A minimal browser: keeps cookies, sends forms.
class Browser {
 public:
  explicit Browser(int port) : port_(port) {}

  Page get(const std::string& path) { return send("GET", path, ""); }
  Page post(const std::string& path, const std::map<std::string, std::string>& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
      std::string encoded;
      Poco::URI::encode(value, "&=+?#/ ", encoded);
      body += (body.empty() ? "" : "&") + name + "=" + encoded;
    }
    return send("POST", path, body);
  }
  // The CSRF token in a page's forms.
  static std::string csrfIn(const std::string& html) {
    const std::string field = "name=\"csrf\" value=\"";
    const size_t start = html.find(field);
    if (start == std::string::npos) return "";
    const size_t from = start + field.size();
    return html.substr(from, html.find('"', from) - from);
  }
  Page signIn(const std::string& name, const std::string& password) {
    const Page form = get("/login");
    return post("/login",
                {{"username", name}, {"password", password}, {"csrf", csrfIn(form.body)}});
  }
  std::map<std::string, std::string> cookies;
  std::map<std::string, std::string> headers;  // sent with every request

 private:
  Page send(const std::string& method, const std::string& path, const std::string& body) {
    Page page;
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(60, 0));
    HTTPRequest req(method, path, HTTPRequest::HTTP_1_1);
    std::string cookieHeader;
    for (const auto& [name, value] : cookies) {
      cookieHeader += (cookieHeader.empty() ? "" : "; ") + name + "=" + value;
    }
    if (!cookieHeader.empty()) req.set("Cookie", cookieHeader);
    for (const auto& [name, value] : headers) req.set(name, value);
    if (method == "POST") {
      req.setContentType("application/x-www-form-urlencoded");
      req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    std::istream& in = session.receiveResponse(res);
    Poco::StreamCopier::copyToString(in, page.body);
    page.status = res.getStatus();
    page.location = res.get("Location", "");
    for (const auto& [name, value] : res) {
      if (Poco::icompare(name, "Set-Cookie") != 0) continue;
      page.set_cookies.push_back(value);
      const auto eq = value.find('='), semi = value.find(';');
      const std::string cookieName = value.substr(0, eq);
      const std::string cookieValue = value.substr(eq + 1, semi - eq - 1);
      if (cookieValue.empty()) {
        cookies.erase(cookieName);
      } else {
        cookies[cookieName] = cookieValue;
      }
    }
    return page;
  }
  int port_;
};

class WebSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CG_REQUIRE_SHARED_TESTDATA();
    dir_ = scratchDir(std::string("web-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    data_ = dir_ / "data";
    fs::create_directories(data_);
    fs::copy_file(enrolledRegisterCopy(dir_), data_ / "consentguard.db");
    {
      auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
      ASSERT_TRUE(db.ok());
      service::Accounts accounts(**db);
      ASSERT_TRUE(accounts.create("sam.slt", service::Role::kSlt, kPassword, "test").ok());
      ASSERT_TRUE(accounts.create("olive.office", service::Role::kOffice, kPassword, "test").ok());
      ASSERT_TRUE(accounts.create("dee.dsl", service::Role::kDsl, kPassword, "test").ok());
      ASSERT_TRUE(accounts.create("ada.admin", service::Role::kAdmin, kPassword, "test").ok());
      key_ = *service::createApiKey(**db, "cms", {"website"});
    }
    const fs::path config = dir_ / "consentguard.properties";
    std::ofstream(config) << "policy.device_check = false\nfolders.scan_seconds = 0.2\n";
    port_ = freePort();
    server_ = std::make_unique<ServerProcess>(config, data_, dir_ / "serve.log", port_);
    for (int i = 0; i < 600; ++i) {
      try {
        if (Browser(port_).get("/login").status == 200) break;
      } catch (const Poco::Exception&) {
      }
      std::this_thread::sleep_for(100ms);
    }
  }

  // Penny has no biometric consent, so her face is unknown and the photo is held for SLT.
  std::string heldPhoto() {
    std::ifstream in(probePhoto("penny"), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    auto q = queue::JobQueue::open(data_ / "consentguard.db", data_ / "store");
    EXPECT_TRUE(q.ok());
    auto job = (*q)->submit(std::vector<std::uint8_t>(bytes.begin(), bytes.end()),
                            {"website", "", "", "penny.jpg", "api", "key:cms"});
    EXPECT_TRUE(job.ok());
    for (int i = 0; i < 1200; ++i) {
      auto now = (*q)->find(job->id);
      if (now.ok() && *now && (*now)->state == queue::JobState::kDone) {
        EXPECT_EQ((*now)->verdict, "review") << (*now)->result_json;
        return job->id;
      }
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "the photo was not checked in time";
    return job->id;
  }

  std::string verdictOf(const std::string& id) {
    auto q = queue::JobQueue::open(data_ / "consentguard.db", data_ / "store");
    auto job = (*q)->find(id);
    return job.ok() && *job ? (*job)->verdict : "";
  }

  std::vector<std::string> auditActions() {
    auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
    std::vector<std::string> actions;
    auto entries = audit::AuditLog(**db).entries();
    EXPECT_TRUE(entries.ok());
    if (!entries) return actions;
    for (const auto& e : *entries) actions.push_back(e.action);
    return actions;
  }

  fs::path dir_, data_;
  int port_ = 0;
  std::string key_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(WebSecurityTest, SigningInGivesAHardenedCookieAndStoresOnlyASlowHash) {
  Browser slt(port_);
  const Page signedIn = slt.signIn("sam.slt", kPassword);
  EXPECT_EQ(signedIn.status, 303);
  EXPECT_EQ(signedIn.location, "/review");
  bool sessionCookie = false;
  for (const auto& c : signedIn.set_cookies) {
    if (c.rfind("cg_session=", 0) != 0) continue;
    sessionCookie = true;
    EXPECT_NE(c.find("HttpOnly"), std::string::npos) << c;
    EXPECT_NE(c.find("SameSite=Strict"), std::string::npos) << c;
  }
  EXPECT_TRUE(sessionCookie);
  EXPECT_EQ(slt.get("/review").status, 200);

  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  auto row = (*db)->prepare(
      "SELECT password_hash, password_iterations FROM users WHERE name = "
      "'sam.slt'");
  ASSERT_TRUE(row->step().value());
  EXPECT_EQ(row->text(0).find(kPassword), std::string::npos);
  EXPECT_GE(row->integer(1), 600000);
  auto sessions = (*db)->prepare("SELECT token_sha256 FROM sessions");
  ASSERT_TRUE(sessions->step().value());
  EXPECT_NE(sessions->text(0), slt.cookies["cg_session"]) << "the token itself is not stored";
}

TEST_F(WebSecurityTest, WithoutASessionNothingIsShownOrDone) {
  const std::string id = heldPhoto();
  Browser anonymous(port_);
  EXPECT_EQ(anonymous.get("/review").location, "/login");
  EXPECT_EQ(anonymous.get("/review/" + id).location, "/login");
  EXPECT_EQ(anonymous.get("/review/" + id + "/image").location, "/login");
  EXPECT_EQ(anonymous.get("/incidents").location, "/login");
  EXPECT_EQ(anonymous.post("/review/" + id + "/approve", {{"csrf", "x"}}).status, 401);
  EXPECT_EQ(verdictOf(id), "review");
}

TEST_F(WebSecurityTest, AForgedOrStolenHashCookieIsNotASession) {
  const std::string id = heldPhoto();
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  Browser forger(port_);
  forger.cookies["cg_session"] = std::string(64, 'a');
  EXPECT_EQ(forger.get("/review").location, "/login");
  // What the database holds (the token's hash) does not work as a cookie either.
  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  auto row = (*db)->prepare("SELECT token_sha256 FROM sessions");
  ASSERT_TRUE(row->step().value());
  forger.cookies["cg_session"] = row->text(0);
  EXPECT_EQ(forger.get("/review").location, "/login");
  const std::string csrf = Browser::csrfIn(slt.get("/review/" + id).body);
  EXPECT_EQ(forger.post("/review/" + id + "/approve", {{"csrf", csrf}}).status, 401);
  EXPECT_EQ(verdictOf(id), "review");
}

TEST_F(WebSecurityTest, OfficeStaffMayNotReviewEvenWithAValidToken) {
  const std::string id = heldPhoto();
  Browser office(port_);
  const Page signedIn = office.signIn("olive.office", kPassword);
  EXPECT_EQ(signedIn.location, "/photos");
  const Page review = office.get("/review");
  EXPECT_EQ(review.status, 403);
  EXPECT_NE(review.body.find("Not allowed"), std::string::npos);
  EXPECT_EQ(office.get("/review/" + id).status, 403);
  EXPECT_EQ(office.get("/review/" + id + "/image").status, 403);
  EXPECT_EQ(office.get("/incidents").status, 403);
  const std::string csrf = Browser::csrfIn(office.get("/photos").body);
  ASSERT_FALSE(csrf.empty());
  EXPECT_EQ(office.post("/review/" + id + "/approve", {{"csrf", csrf}}).status, 403);
  EXPECT_EQ(office.post("/review/" + id + "/reject", {{"csrf", csrf}, {"reason", "x"}}).status,
            403);
  EXPECT_EQ(verdictOf(id), "review");

  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  EXPECT_EQ(slt.get("/incidents").status, 403) << "incidents are for the DSL";
}

TEST_F(WebSecurityTest, EveryActionNeedsTheSessionsOwnCsrfToken) {
  const std::string id = heldPhoto();
  Browser slt(port_), other(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  ASSERT_EQ(other.signIn("sam.slt", kPassword).status, 303);
  EXPECT_EQ(slt.post("/review/" + id + "/approve", {}).status, 403);
  EXPECT_EQ(slt.post("/review/" + id + "/approve", {{"csrf", ""}}).status, 403);
  const std::string othersToken = Browser::csrfIn(other.get("/review/" + id).body);
  EXPECT_EQ(slt.post("/review/" + id + "/approve", {{"csrf", othersToken}}).status, 403);
  EXPECT_EQ(verdictOf(id), "review");

  const std::string token = Browser::csrfIn(slt.get("/review/" + id).body);
  const Page approved = slt.post("/review/" + id + "/approve", {{"csrf", token}});
  EXPECT_EQ(approved.status, 303) << approved.body;
  EXPECT_EQ(verdictOf(id), "publish");
  // Submitted as penny.jpg, it is a PNG: the cleaned copy is named for what it is.
  const fs::path published = data_ / "outbox" / "website" / "penny.png";
  ASSERT_TRUE(fs::exists(published));
  EXPECT_TRUE(image::verifyClean(*image::readFileBytes(published)).ok());
  EXPECT_TRUE(fs::is_empty(data_ / "held"));
  const auto actions = auditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "photo_approved"), actions.end());

  // The CMS sees the decision at once, in the documented shape.
  Browser cms(port_);
  cms.headers["Authorization"] = "Bearer " + key_;
  const Page status = cms.get("/api/v1/photos/" + id);
  ASSERT_EQ(status.status, 200);
  const OpenApiCheck openapi(cms.get("/api/v1/openapi.json").body);
  EXPECT_EQ(openapi.check("GET", "/photos/{id}", status.status, status.body), "");
  EXPECT_NE(status.body.find("\"verdict\":\"publish\""), std::string::npos) << status.body;
  EXPECT_NE(status.body.find("\"decided_by\":\"user:sam.slt\""), std::string::npos);
  EXPECT_NE(status.body.find("\"checks_verdict\":\"review\""), std::string::npos);
  EXPECT_EQ(cms.get("/api/v1/photos/" + id + "/published").status, 200);
}

TEST_F(WebSecurityTest, OnlyTheDslSeesIncidentsRestrictedNotesAndTheReport) {
  {
    auto store = reg::RegisterStore::open(data_ / "consentguard.db");
    ASSERT_TRUE((*store)->setNoPhoto("P003", true, "Court order: <do not publish>").ok());
  }
  Browser slt(port_), dsl(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  ASSERT_EQ(dsl.signIn("dee.dsl", kPassword).status, 303);
  EXPECT_EQ(slt.get("/report").status, 403);
  EXPECT_EQ(slt.get("/report.csv").status, 403);
  const Page incidents = dsl.get("/incidents");
  EXPECT_EQ(incidents.status, 200);
  EXPECT_NE(incidents.body.find("Court order: &lt;do not publish&gt;"), std::string::npos)
      << "the note is shown to the DSL, escaped";
  const Page csv = dsl.get("/report.csv?from=2026-01-01&to=2099-12-31");
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("section"), std::string::npos);
  EXPECT_EQ(dsl.get("/report.html?from=2026-13-01&to=2026-12-31").status, 400);
  const auto actions = auditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "restricted_notes_viewed"), actions.end());
}

TEST_F(WebSecurityTest, OnlyAdminManagesAccountsAndKeys) {
  Browser slt(port_), admin(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  ASSERT_EQ(admin.signIn("ada.admin", kPassword).status, 303);
  EXPECT_EQ(slt.get("/admin").status, 403);
  const std::string sltToken = Browser::csrfIn(slt.get("/photos").body);
  EXPECT_EQ(
      slt.post(
             "/admin/account",
             {{"csrf", sltToken}, {"name", "mallory"}, {"role", "admin"}, {"password", kPassword}})
          .status,
      403);
  EXPECT_EQ(Browser(port_).signIn("mallory", kPassword).status, 401);

  const std::string token = Browser::csrfIn(admin.get("/admin").body);
  const Page made = admin.post(
      "/admin/account",
      {{"csrf", token}, {"name", "new.office"}, {"role", "office"}, {"password", kPassword}});
  EXPECT_EQ(made.status, 200) << made.body;
  EXPECT_EQ(Browser(port_).signIn("new.office", kPassword).location, "/photos");
  EXPECT_EQ(admin.post("/admin/account", {{"csrf", token}, {"name", "sam.slt"}, {"switch", "off"}})
                .status,
            200);
  EXPECT_EQ(slt.get("/review").location, "/login") << "switching off ends the session";
  EXPECT_EQ(admin.post("/admin/revoke-key", {{"csrf", token}, {"id", "1"}}).status, 200);
  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  EXPECT_FALSE(service::findApiKey(**db, key_).value().has_value()) << "the key no longer works";
  const auto actions = auditActions();
  for (const char* action : {"account_created", "account_disabled", "api_key_revoked"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), action), actions.end()) << action;
  }
}

TEST_F(WebSecurityTest, RepeatedWrongPasswordsLockTheAccount) {
  Browser attacker(port_);
  const Page unknown = attacker.signIn("nobody", kPassword);
  const Page wrong = attacker.signIn("sam.slt", "wrong password 1");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("name or password is not right"), std::string::npos);
  EXPECT_NE(unknown.body.find("name or password is not right"), std::string::npos)
      << "an unknown name looks the same as a wrong password";
  for (int i = 2; i <= service::Accounts::kMaxFailedLogins; ++i) {
    EXPECT_EQ(attacker.signIn("sam.slt", "wrong password " + std::to_string(i)).status, 401);
  }
  const Page locked = attacker.signIn("sam.slt", kPassword);
  EXPECT_EQ(locked.status, 401);
  EXPECT_NE(locked.body.find("locked"), std::string::npos) << locked.body;
  EXPECT_EQ(attacker.cookies.count("cg_session"), 0u);
  const auto actions = auditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "account_locked"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "login_refused"), actions.end());
  // Other accounts are not affected.
  EXPECT_EQ(Browser(port_).signIn("olive.office", kPassword).status, 303);
}

TEST_F(WebSecurityTest, TheSignInFormNeedsItsOwnToken) {
  Browser browser(port_);
  const Page page = browser.post("/login", {{"username", "sam.slt"}, {"password", kPassword}});
  EXPECT_EQ(page.status, 403);
  EXPECT_EQ(browser.cookies.count("cg_session"), 0u);
}

}  // namespace
}  // namespace consentguard::testing
