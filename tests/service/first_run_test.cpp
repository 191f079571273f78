// The first administrator in the browser: with no accounts the service prints a one-time code,
// /setup with it makes an admin, and the same code is then refused. Also the code's own rules
// (wrong tries, a new code per start) on the database alone.
#include "consentguard/service/first_run.h"

#include <regex>

#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

std::string fileText(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(FirstRun, TheFirstAdminIsMadeWithTheCodeFromTheLogAndTheCodeThenStopsWorking) {
  const fs::path dir = scratchDir("first-run");
  const fs::path data = dir / "data";
  fs::create_directories(data);
  const fs::path config = dir / "consentguard.properties";
  std::ofstream(config) << "policy.device_check = false\n";
  const int port = freePort();
  ServerProcess server(config, data, dir / "serve.log", port);
  std::smatch found;
  std::string log;
  for (int i = 0; i < 600; ++i) {
    log = fileText(dir / "serve.log");
    if (std::regex_search(log, found, std::regex("set-up code ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})")))
      break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_FALSE(found.empty()) << "the log gives the set-up code: " << log;
  const std::string code = found[1];
  EXPECT_NE(log.find("https://127.0.0.1:" + std::to_string(port) + "/setup"), std::string::npos)
      << log;
  ASSERT_TRUE(trustServiceCertificate(data)) << "the service made no certificate";
  for (int i = 0; i < 600; ++i) {
    try {
      if (Browser(port).get("/login").status == 200) break;
    } catch (const Poco::Exception&) {
    }
    std::this_thread::sleep_for(100ms);
  }

  Browser browser(port);
  Page form = browser.get("/setup");
  ASSERT_EQ(form.status, 200) << form.body;
  EXPECT_NE(form.body.find("id=\"setup\""), std::string::npos);
  auto submit = [&](const std::string& withCode, const std::string& again) {
    const Page page = browser.get("/setup");
    return browser.post("/setup", {{"csrf", Browser::csrfIn(page.body)},
                                   {"code", withCode},
                                   {"username", "head.admin"},
                                   {"password", "a-long-password-1"},
                                   {"password_again", again}});
  };
  Page wrong = submit("AAAA-BBBB-CCCC", "a-long-password-1");
  EXPECT_EQ(wrong.status, 403);
  EXPECT_NE(wrong.body.find("not the set-up code"), std::string::npos) << wrong.body;
  EXPECT_EQ(submit(code, "another-password").status, 400) << "the passwords must match";
  // Without the form's own token, nothing is made.
  EXPECT_EQ(Browser(port).post("/setup", {{"code", code},
                                          {"username", "x.admin"},
                                          {"password", "a-long-password-1"},
                                          {"password_again", "a-long-password-1"}})
                .status,
            403);
  // Typed in lower case without hyphens, it still works.
  std::string typed;
  for (char c : code) {
    if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const Page made = submit(typed, "a-long-password-1");
  EXPECT_EQ(made.status, 303) << made.body;

  Browser admin(port);
  EXPECT_EQ(admin.signIn("head.admin", "a-long-password-1").status, 303);
  EXPECT_EQ(admin.get("/admin").status, 200) << "the new account is an administrator";
  // The same code again, or the page at all, is refused now.
  EXPECT_EQ(browser.get("/setup").status, 410);
  EXPECT_EQ(Browser(port).post("/setup", {{"code", code},
                                          {"username", "second.admin"},
                                          {"password", "a-long-password-2"},
                                          {"password_again", "a-long-password-2"}})
                .status,
            410);
  auto db = reg::openRegisterDatabase(data / "consentguard.db");
  ASSERT_TRUE(db.ok());
  auto accounts = service::Accounts(**db).list();
  ASSERT_TRUE(accounts.ok());
  ASSERT_EQ(accounts->size(), 1u);
  EXPECT_EQ(accounts->at(0).name, "head.admin");
  EXPECT_EQ(server.kill(SIGTERM), 0);
}

TEST(FirstRun, ACodeIsRefusedAfterFiveWrongTriesAndEachStartMakesANewOne) {
  auto db = reg::openRegisterDatabase(scratchDir("first-run-codes") / "consentguard.db");
  ASSERT_TRUE(db.ok());
  auto first = service::issueSetupCode(**db);
  ASSERT_TRUE(first.ok() && first->has_value());
  auto second = service::issueSetupCode(**db);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_NE(**first, **second);
  EXPECT_EQ(service::makeFirstAdmin(**db, **first, "a.admin", "a-long-password-1").error().code,
            "bad_code")
      << "a new code replaces the old";
  for (int i = 1; i < service::kMaxSetupCodeFailures; ++i) {
    EXPECT_EQ(service::makeFirstAdmin(**db, "WRONG", "a.admin", "a-long-password-1").error().code,
              "bad_code");
  }
  EXPECT_EQ(service::makeFirstAdmin(**db, **second, "a.admin", "a-long-password-1").error().code,
            "code_locked");
  auto third = service::issueSetupCode(**db);
  ASSERT_TRUE(third.ok() && third->has_value());
  EXPECT_EQ(service::makeFirstAdmin(**db, **third, "a.admin", "short").error().code,
            "bad_password");
  EXPECT_TRUE(service::makeFirstAdmin(**db, **third, "a.admin", "a-long-password-1").ok());
  auto none = service::issueSetupCode(**db);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value()) << "no code once an account exists";
}

}  // namespace
}  // namespace consentguard::testing
