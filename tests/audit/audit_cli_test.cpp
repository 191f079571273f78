// `consentguard audit verify` and `audit list`, run as the program: exit 0 on an untouched
// trail, 1 naming each entry edited or deleted behind Consent Guard's back, 3 and 64 on errors.
#include "consentguard/audit/audit_log.h"
#include "consentguard/register/register_store.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

class AuditCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratchDir(std::string("audit-cli-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    db_ = dir_ / "consentguard.db";
    auto db = reg::openRegisterDatabase(db_);
    ASSERT_TRUE(db.ok());
    audit::AuditLog log(**db);
    for (int i = 1; i <= 10; ++i) {
      ASSERT_TRUE(log.append("key:cms", i % 2 ? "photo_submitted" : "photo_checked",
                             "job" + std::to_string(i))
                      .ok());
    }
    head_ = log.verify()->head_hash;
  }

  ProgramRun audit(const std::string& arguments) {
    return runConsentguard("audit " + arguments + " --db " + shellQuoted(db_));
  }

  void tamper(const std::string& sql) {
    auto db = reg::Database::open(db_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->executeScript("DROP TRIGGER IF EXISTS audit_log_no_update; "
                                    "DROP TRIGGER IF EXISTS audit_log_no_delete; " +
                                    sql)
                    .ok());
  }

  fs::path dir_, db_;
  std::string head_;
};

TEST_F(AuditCliTest, AnUntouchedTrailVerifies) {
  const auto run = audit("verify");
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_NE(run.out.find("10 entries"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(head_), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("away from the server"), std::string::npos) << run.out;
  EXPECT_EQ(audit("verify --head " + head_).status, 0);
}

TEST_F(AuditCliTest, EditedAndDeletedEntriesAreNamed) {
  tamper(
      "UPDATE audit_log SET actor = 'user:nobody' WHERE seq = 3; "
      "DELETE FROM audit_log WHERE seq = 6;");
  const auto run = audit("verify");
  EXPECT_EQ(run.status, 1) << run.out;
  EXPECT_NE(run.out.find("9 entries"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Entry 3 has been changed since it was written."), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("Entry 6 has been deleted."), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("PROBLEMS FOUND (2)"), std::string::npos) << run.out;
}

TEST_F(AuditCliTest, EntriesCutFromTheEndAreNamed) {
  tamper("DELETE FROM audit_log WHERE seq > 8;");
  const auto run = audit("verify");
  EXPECT_EQ(run.status, 1) << run.out;
  EXPECT_NE(run.out.find("entry 10 but the trail ends at entry 8"), std::string::npos) << run.out;
}

TEST_F(AuditCliTest, ATrailRewrittenToTheEndMissesTheNotedFingerprint) {
  // Someone deletes the last entry and the record of the newest alike: the chain itself is
  // consistent again, and only the fingerprint written down elsewhere shows it.
  tamper(
      "DELETE FROM audit_log WHERE seq = 10; "
      "UPDATE audit_head SET seq = 9, hash = (SELECT hash FROM audit_log WHERE seq = 9);");
  EXPECT_EQ(audit("verify").status, 0);
  const auto run = audit("verify --head " + head_);
  EXPECT_EQ(run.status, 1) << run.out;
  EXPECT_NE(run.out.find("The fingerprint you noted"), std::string::npos) << run.out;
}

TEST_F(AuditCliTest, ListShowsEntriesByActionAndTheNewest) {
  const auto all = audit("list");
  EXPECT_EQ(all.status, 0);
  EXPECT_NE(all.out.find("photo_submitted  job1"), std::string::npos) << all.out;
  const auto some = audit("list --action photo_checked --limit 2");
  EXPECT_EQ(some.status, 0);
  EXPECT_EQ(some.out.find("job1 "), std::string::npos) << some.out;
  EXPECT_EQ(some.out.find("job6 "), std::string::npos) << some.out;
  EXPECT_NE(some.out.find("job8 "), std::string::npos) << some.out;
  EXPECT_NE(some.out.find("job10 "), std::string::npos) << some.out;
  EXPECT_EQ(audit("list --limit many").status, 64);
}

TEST_F(AuditCliTest, MistakesAreErrorsNotVerdicts) {
  EXPECT_EQ(runConsentguard("audit verify").status, 64);
  EXPECT_EQ(runConsentguard("audit verify --db " + shellQuoted(dir_ / "missing.db")).status, 3);
  EXPECT_FALSE(fs::exists(dir_ / "missing.db"));
  EXPECT_EQ(runConsentguard("audit shred --db " + shellQuoted(db_)).status, 64);
}

}  // namespace
}  // namespace consentguard::testing
