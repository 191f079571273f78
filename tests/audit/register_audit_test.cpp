// Changes to the register made with `consentguard register ...` and `keys create` are written to
// the audit trail by the command line's user, with what changed, and never the restricted
// no-photo note or a key's secret.
#include <cstdlib>
#include <fstream>

#include "check/check_fixture.h"

namespace consentguard::testing {
namespace {

class RegisterAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratchDir(std::string("register-audit-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    db_ = shellQuoted(dir_ / "consentguard.db");
    std::ofstream(dir_ / "register.csv") << registerCsv();
    // A known user, so that the actor can be asserted (the program inherits it).
    setenv("USER", "office.manager", 1);
    ASSERT_EQ(run("register import --db " + db_ + " " + shellQuoted(dir_ / "register.csv")).status,
              0);
  }

  ProgramRun run(const std::string& arguments) { return runConsentguard(arguments); }

  ProgramRun list(const std::string& action) {
    return runConsentguard("audit list --db " + db_ + " --action " + action);
  }

  fs::path dir_;
  std::string db_;
};

TEST_F(RegisterAuditTest, AConsentChangeShowsInTheTrailWithOldAndNew) {
  ASSERT_EQ(
      run("register consent --db " + db_ + " --person P001 --channel website --withdraw").status,
      0);
  const auto entries = list("consent_changed");
  EXPECT_EQ(entries.status, 0);
  EXPECT_NE(entries.out.find("cli:office.manager  consent_changed  P001"), std::string::npos)
      << entries.out;
  EXPECT_NE(entries.out.find(R"("old":{"status":"granted")"), std::string::npos) << entries.out;
  EXPECT_NE(entries.out.find(R"("new":{"status":"withdrawn")"), std::string::npos) << entries.out;
  EXPECT_NE(list("register_imported").out.find("register.csv"), std::string::npos);
  EXPECT_EQ(runConsentguard("audit verify --db " + db_).status, 0);
}

TEST_F(RegisterAuditTest, TheNoPhotoNoteIsNeverCopiedIntoTheTrail) {
  ASSERT_EQ(
      run("register no-photo --db " + db_ + " --person P002 --on --note 'Court order 7731'").status,
      0);
  const auto entries = list("no_photo_changed");
  EXPECT_NE(entries.out.find(R"({"old":false,"new":true,"note":"note changed"})"),
            std::string::npos)
      << entries.out;
  EXPECT_EQ(runConsentguard("audit list --db " + db_).out.find("7731"), std::string::npos);
}

TEST_F(RegisterAuditTest, BiometricErasureDevicesAndKeysAreRecorded) {
  ASSERT_EQ(run("register biometric --db " + db_ + " --person P001 --withdraw").status, 0);
  ASSERT_EQ(run("register device add --db " + db_ + " --make Canon --model EOS").status, 0);
  ASSERT_EQ(run("register device remove --db " + db_ + " --id 1").status, 0);
  ASSERT_EQ(run("register erase --db " + db_ + " --person P004").status, 0);
  const auto key = run("keys create --db " + db_ + " --name cms --channels website");
  ASSERT_EQ(key.status, 0);
  const std::string secret = key.out.substr(key.out.rfind('\n', key.out.size() - 2) + 1, 64);
  ASSERT_EQ(secret.size(), 64u);
  ASSERT_EQ(secret.find_first_not_of("0123456789abcdef"), std::string::npos) << secret;
  const auto all = runConsentguard("audit list --db " + db_).out;
  EXPECT_NE(all.find(R"(biometric_changed  P001  {"old":"given","new":"withdrawn")"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find(R"(device_added  1  {"make":"Canon","model":"EOS")"), std::string::npos);
  EXPECT_NE(all.find(R"(device_removed  1  {"make":"Canon")"), std::string::npos);
  EXPECT_NE(all.find(R"(person_erased  P004  {"role":"pupil")"), std::string::npos);
  EXPECT_EQ(all.find("Hofstadter"), std::string::npos) << "an erased person's name stays out";
  EXPECT_NE(all.find(R"(api_key_created  cms  {"channels":"website","manages_register":false})"),
            std::string::npos)
      << all;
  EXPECT_EQ(all.find(secret), std::string::npos);
}

TEST_F(RegisterAuditTest, AFailedChangeLeavesNoEntry) {
  EXPECT_NE(run("register consent --db " + db_ + " --person P999 --channel website --grant").status,
            0);
  EXPECT_NE(list("consent_changed").out.find("No entries."), std::string::npos);
}

}  // namespace
}  // namespace consentguard::testing
