// The review pages' defences, driven over HTTP against the real service: no session, a forged
// session cookie, the wrong role, a missing or wrong CSRF token, repeated wrong passwords (per
// account and per address). Each
// refused action is shown to have changed nothing: the photo is still held.
#include "consentguard/image/sanitiser.h"
#include "consentguard/service/sign_in_throttle.h"
#include "service/openapi_check.h"
#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

class WebSecurityTest : public ReviewServiceTest {};

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

TEST_F(WebSecurityTest, OfficeStaffSubmitAPhotoAndFollowIt) {
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  const std::string token = Browser::csrfIn(office.get("/photos").body);
  const auto photo = *image::readFileBytes(probePhoto("amy"));
  const std::string bytes(photo.begin(), photo.end());
  EXPECT_EQ(office.upload("/photos", {{"channel", "website"}}, "photo", "amy.png", bytes).status,
            403)
      << "no CSRF token, no upload";
  EXPECT_EQ(office
                .upload("/photos", {{"csrf", token}, {"channel", "website"}}, "photo", "notes.png",
                        "not a photo at all")
                .status,
            415);
  EXPECT_EQ(
      office
          .upload("/photos", {{"csrf", token}, {"channel", "instagram"}}, "photo", "amy.png", bytes)
          .status,
      400);
  const Page sent = office.upload("/photos", {{"csrf", token}, {"channel", "website"}}, "photo",
                                  "amy.png", bytes);
  ASSERT_EQ(sent.status, 303) << sent.body;
  EXPECT_NE(office.get(sent.location).body.find("<li data-id="), std::string::npos)
      << "the page after the upload names it";
  auto q = queue::JobQueue::open(data_ / "consentguard.db", data_ / "store");
  auto mine = (*q)->submittedBy("user:olive.office", 10);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u) << "only the good upload became a job";
  waitUntilChecked(mine->front().id);
  EXPECT_EQ(verdictOf(mine->front().id), "publish");
  const Page list = office.get("/photos");
  EXPECT_NE(list.body.find("status-published\">Published<"), std::string::npos);
  // Another person's photos are not listed.
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  EXPECT_EQ(slt.get("/photos").body.find("amy.png"), std::string::npos);
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

TEST_F(WebSecurityTest, OneMachineCannotLockEveryAccount) {
  Browser attacker(port_);
  // Ten wrong passwords from one address lock two accounts ...
  for (const std::string name : {"dee.dsl", "ada.admin"}) {
    for (int i = 0; i < service::Accounts::kMaxFailedLogins; ++i) {
      EXPECT_EQ(attacker.signIn(name, "guess " + std::to_string(i)).status, 401);
    }
  }
  static_assert(service::SignInThrottle::kMaxFailures == 2 * service::Accounts::kMaxFailedLogins);
  // ... and then that address is refused before any password is looked at.
  const Page refused = attacker.signIn("olive.office", "guess");
  EXPECT_EQ(refused.status, 429);
  EXPECT_NE(refused.body.find("Too many failed sign-ins from this computer"), std::string::npos)
      << refused.body;
  EXPECT_EQ(attacker.signIn("sam.slt", kPassword).status, 429) << "even the right password";
  EXPECT_EQ(attacker.cookies.count("cg_session"), 0u);
  // The refused attempts counted against no account: Olive and Sam are not locked.
  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  ASSERT_TRUE(db.ok());
  service::Accounts accounts(**db);
  EXPECT_TRUE(accounts.signIn("olive.office", kPassword).ok());
  EXPECT_TRUE(accounts.signIn("sam.slt", kPassword).ok());
  EXPECT_EQ(accounts.signIn("dee.dsl", kPassword).error().code, "locked");
  const auto actions = auditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "login_refused"), actions.end());
}

TEST(SignInThrottle, AnAddressIsRefusedAfterTenFailuresUntilFifteenQuietMinutes) {
  auto now = std::chrono::steady_clock::time_point{};
  service::SignInThrottle throttle([&] { return now; });
  for (int i = 0; i < service::SignInThrottle::kMaxFailures; ++i) {
    EXPECT_TRUE(throttle.allowed("10.0.0.7"));
    throttle.failed("10.0.0.7");
    now += std::chrono::seconds(30);
  }
  EXPECT_FALSE(throttle.allowed("10.0.0.7"));
  EXPECT_TRUE(throttle.allowed("10.0.0.8")) << "other machines are not affected";
  now += std::chrono::minutes(14);
  EXPECT_FALSE(throttle.allowed("10.0.0.7"));
  now += std::chrono::minutes(2);
  EXPECT_TRUE(throttle.allowed("10.0.0.7")) << "fifteen minutes after the last failure";
  throttle.failed("10.0.0.7");
  EXPECT_TRUE(throttle.allowed("10.0.0.7")) << "the count started again";
  throttle.succeeded("10.0.0.7");
  EXPECT_TRUE(throttle.allowed("10.0.0.7"));
}

TEST_F(WebSecurityTest, TheSignInFormNeedsItsOwnToken) {
  Browser browser(port_);
  const Page page = browser.post("/login", {{"username", "sam.slt"}, {"password", kPassword}});
  EXPECT_EQ(page.status, 403);
  EXPECT_EQ(browser.cookies.count("cg_session"), 0u);
}

}  // namespace
}  // namespace consentguard::testing
