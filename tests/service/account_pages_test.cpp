// Accounts in the browser (issue 22): one account may hold several roles and reaches every page
// each of them allows; an admin changes another account's roles and resets its password; anyone
// changes their own password (the current one first); the sign-in page leads a new install to
// /setup and confirms it afterwards; status lines say what they mean; the one stylesheet is
// served to anyone.
#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

class AccountPagesTest : public ReviewServiceTest {};

constexpr const char* kNewPassword = "a-new-password-for-tests";

TEST_F(AccountPagesTest, OneAccountWithThreeRolesReachesEachRolesPages) {
  {
    auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
    ASSERT_TRUE(db.ok());
    service::Roles head = service::Role::kSlt;
    head.add(service::Role::kDsl).add(service::Role::kAdmin);
    ASSERT_TRUE(service::Accounts(**db).create("mrs.head", head, kPassword, "test").ok());
  }
  Browser head(port_);
  const Page signedIn = head.signIn("mrs.head", kPassword);
  ASSERT_EQ(signedIn.status, 303);
  EXPECT_EQ(signedIn.location, "/review");
  for (const std::string page : {"/review", "/incidents", "/report", "/admin", "/register",
                                 "/photos", "/takedowns", "/account"}) {
    const Page shown = head.get(page);
    EXPECT_EQ(shown.status, 200) << page << ": " << shown.body.substr(0, 400);
  }
  const Page review = head.get("/review");
  EXPECT_NE(review.body.find("mrs.head (Senior leader, DSL, Administrator)"), std::string::npos);
  // One role is still one role.
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  const Page refused = slt.get("/admin");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.reason, "Forbidden") << "the status line says what it means";
  EXPECT_EQ(slt.get("/incidents").status, 403);
}

TEST_F(AccountPagesTest, AnAdminChangesRolesAndResetsAPasswordAndIsAudited) {
  Browser admin(port_);
  ASSERT_EQ(admin.signIn("ada.admin", kPassword).status, 303);
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  ASSERT_EQ(slt.get("/incidents").status, 403);
  const Page page = admin.get("/admin");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<legend>Roles of sam.slt</legend>"), std::string::npos);
  // Switching an account off and revoking a key are each confirmed first.
  EXPECT_NE(page.body.find("<details class=\"switch-confirm\"><summary>Switch off sam.slt"),
            std::string::npos);
  EXPECT_NE(page.body.find("Yes, switch off sam.slt</button>"), std::string::npos);
  EXPECT_NE(page.body.find("<details class=\"revoke-confirm\"><summary>Revoke cms"),
            std::string::npos)
      << page.body;
  const std::string csrf = Browser::csrfIn(page.body);

  // sam.slt becomes a senior leader and the DSL, and sees incidents at once.
  const Page changed = admin.postMulti("/admin/account", {{"csrf", csrf},
                                                          {"name", "sam.slt"},
                                                          {"set", "roles"},
                                                          {"role", "slt"},
                                                          {"role", "dsl"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_NE(changed.body.find("sam.slt&#39;s roles are now: Senior leader, DSL."),
            std::string::npos)
      << changed.body;
  EXPECT_EQ(slt.get("/incidents").status, 200);
  // No roles at all, or taking admin from oneself, is refused.
  EXPECT_EQ(admin.post("/admin/account", {{"csrf", csrf}, {"name", "sam.slt"}, {"set", "roles"}})
                .status,
            400);
  EXPECT_EQ(admin.postMulti("/admin/account", {{"csrf", csrf},
                                               {"name", "ada.admin"},
                                               {"set", "roles"},
                                               {"role", "office"}})
                .status,
            400);
  EXPECT_EQ(admin.get("/admin").status, 200) << "still an admin";

  // A reset password: the two must match; then the old one fails and every session ends.
  EXPECT_EQ(admin.post("/admin/account", {{"csrf", csrf},
                                          {"name", "sam.slt"},
                                          {"set", "password"},
                                          {"password", kNewPassword},
                                          {"password_again", "something-else-entirely"}})
                .status,
            400);
  const Page reset = admin.post("/admin/account", {{"csrf", csrf},
                                                   {"name", "sam.slt"},
                                                   {"set", "password"},
                                                   {"password", kNewPassword},
                                                   {"password_again", kNewPassword}});
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(slt.get("/review").location, "/login") << "the old session has ended";
  EXPECT_EQ(Browser(port_).signIn("sam.slt", kPassword).status, 401);
  EXPECT_EQ(Browser(port_).signIn("sam.slt", kNewPassword).status, 303);

  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  ASSERT_TRUE(db.ok());
  auto stmt = (*db)->prepare(
      "SELECT actor || ' ' || action || ' ' || subject || ' ' || details FROM audit_log WHERE "
      "action IN ('account_roles_changed', 'password_changed') ORDER BY seq");
  ASSERT_TRUE(stmt.ok());
  auto rows = stmt->collect([](const reg::Statement& r) { return r.text(0); });
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (std::vector<std::string>{
                       "user:ada.admin account_roles_changed sam.slt "
                       "{\"before\":\"slt\",\"after\":\"slt,dsl\"}",
                       "user:ada.admin password_changed sam.slt {}"}));
}

TEST_F(AccountPagesTest, EveryoneChangesTheirOwnPasswordWithTheCurrentOneFirst) {
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  const Page page = office.get("/account");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<label for=\"current\">"), std::string::npos);
  const std::string csrf = Browser::csrfIn(page.body);
  const Page wrong = office.post("/account/password", {{"csrf", csrf},
                                                      {"current", "not-my-password-at-all"},
                                                      {"password", kNewPassword},
                                                      {"password_again", kNewPassword}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("current password is not right"), std::string::npos);
  EXPECT_EQ(office.post("/account/password", {{"csrf", csrf},
                                              {"current", kPassword},
                                              {"password", "short"},
                                              {"password_again", "short"}})
                .status,
            400);
  const Page changed = office.post("/account/password", {{"csrf", csrf},
                                                        {"current", kPassword},
                                                        {"password", kNewPassword},
                                                        {"password_again", kNewPassword}});
  ASSERT_EQ(changed.status, 303) << changed.body;
  EXPECT_EQ(changed.location, "/login?password_changed=1");
  EXPECT_NE(office.get(changed.location).body.find("Your password is changed"),
            std::string::npos);
  EXPECT_EQ(office.get("/photos").location, "/login") << "signed out";
  EXPECT_EQ(Browser(port_).signIn("olive.office", kPassword).status, 401);
  EXPECT_EQ(Browser(port_).signIn("olive.office", kNewPassword).status, 303);
}

TEST_F(AccountPagesTest, TheStyleSheetIsServedAndEveryPageUsesIt) {
  Browser anyone(port_);
  const Page css = anyone.get("/style.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_NE(css.body.find(".warning"), std::string::npos);
  const Page login = anyone.get("/login");
  EXPECT_NE(login.body.find("<link rel=\"stylesheet\" href=\"/style.css\">"), std::string::npos);
  // With accounts, the sign-in page does not offer /setup; /setup itself is gone.
  EXPECT_EQ(login.body.find("href=\"/setup\""), std::string::npos);
  const Page setup = anyone.get("/setup");
  EXPECT_EQ(setup.status, 410);
  EXPECT_EQ(setup.reason, "Gone");
  EXPECT_NE(anyone.get("/login?set_up=1").body.find("Consent Guard is set up"),
            std::string::npos);
}

}  // namespace
}  // namespace consentguard::testing
