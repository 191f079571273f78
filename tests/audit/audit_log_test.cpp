// The audit trail's chain of hashes: entries chain as they are added, the database refuses
// edits and deletions, and when someone with the file gets round that (by dropping the
// triggers) verify() names what was changed, deleted, cut off the end or replaced.
#include "consentguard/audit/audit_log.h"

#include <thread>

#include "consentguard/register/register_store.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

using audit::AuditLog;

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratchDir(std::string("audit-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto db = reg::openRegisterDatabase(dir_ / "consentguard.db");
    ASSERT_TRUE(db.ok()) << db.error().detail;
    db_ = std::move(db.value());
  }

  void appendEntries(int n) {
    AuditLog log(*db_);
    for (int i = 1; i <= n; ++i) {
      ASSERT_TRUE(log.append("user:dsl", "consent_changed", "P00" + std::to_string(i),
                             R"({"channel":"website","new":"granted"})")
                      .ok());
    }
  }

  // A second connection to the file without the triggers, as someone with the file would make.
  std::unique_ptr<reg::Database> tamperer() {
    auto db = reg::Database::open(dir_ / "consentguard.db");
    EXPECT_TRUE(db.ok());
    EXPECT_TRUE((*db)
                    ->executeScript("DROP TRIGGER audit_log_no_update; "
                                    "DROP TRIGGER audit_log_no_delete")
                    .ok());
    return std::move(db.value());
  }

  audit::AuditVerification verify() {
    auto report = AuditLog(*db_).verify();
    EXPECT_TRUE(report.ok()) << report.error().detail;
    return report.ok() ? report.value() : audit::AuditVerification{};
  }

  fs::path dir_;
  std::unique_ptr<reg::Database> db_;
};

TEST_F(AuditLogTest, EntriesChainOntoTheOneBefore) {
  appendEntries(3);
  auto entries = AuditLog(*db_).entries();
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].seq, 1);
  EXPECT_EQ((*entries)[0].prev_hash, "");
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*entries)[i].hash, audit::entryHash((*entries)[i]));
    EXPECT_EQ((*entries)[i].hash.size(), 64u);
    if (i > 0) {
      EXPECT_EQ((*entries)[i].prev_hash, (*entries)[i - 1].hash);
    }
  }
  EXPECT_EQ((*entries)[2].actor, "user:dsl");
  EXPECT_EQ((*entries)[2].subject, "P003");
  const auto report = verify();
  EXPECT_TRUE(report.intact());
  EXPECT_EQ(report.entries, 3);
  EXPECT_EQ(report.head_hash, (*entries)[2].hash);
}

TEST_F(AuditLogTest, ListsByActionAndTheNewestFew) {
  appendEntries(3);
  AuditLog log(*db_);
  ASSERT_TRUE(log.append("cli:office", "device_added", "1").ok());
  EXPECT_EQ(log.entries("device_added")->size(), 1u);
  EXPECT_EQ(log.entries("consent_changed")->size(), 3u);
  auto newest = log.entries("consent_changed", 2);
  ASSERT_TRUE(newest.ok());
  ASSERT_EQ(newest->size(), 2u);
  EXPECT_EQ((*newest)[0].seq, 2);
  EXPECT_EQ((*newest)[1].seq, 3);
}

TEST_F(AuditLogTest, AnEmptyTrailIsIntact) {
  const auto report = verify();
  EXPECT_TRUE(report.intact());
  EXPECT_EQ(report.entries, 0);
  EXPECT_EQ(report.head_hash, "");
}

TEST_F(AuditLogTest, TheDatabaseRefusesEditsAndDeletions) {
  appendEntries(2);
  auto update = db_->execute("UPDATE audit_log SET details = '{}' WHERE seq = 1");
  ASSERT_FALSE(update.ok());
  EXPECT_NE(update.error().detail.find("cannot be changed"), std::string::npos);
  EXPECT_FALSE(db_->execute("DELETE FROM audit_log WHERE seq = 2").ok());
  EXPECT_FALSE(db_->execute("DELETE FROM audit_log").ok());
  EXPECT_TRUE(verify().intact());
}

TEST_F(AuditLogTest, AnEditedEntryIsNamed) {
  appendEntries(5);
  ASSERT_TRUE(tamperer()
                  ->execute("UPDATE audit_log SET details = '{\"new\":\"refused\"}' WHERE seq = 3")
                  .ok());
  const auto report = verify();
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].seq, 3);
  EXPECT_NE(report.problems[0].message.find("Entry 3 has been changed"), std::string::npos);
}

TEST_F(AuditLogTest, ADeletedEntryIsNamed) {
  appendEntries(5);
  ASSERT_TRUE(tamperer()->execute("DELETE FROM audit_log WHERE seq = 3").ok());
  const auto report = verify();
  EXPECT_EQ(report.entries, 4);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].seq, 3);
  EXPECT_NE(report.problems[0].message.find("Entry 3 has been deleted"), std::string::npos);
}

TEST_F(AuditLogTest, EntriesCutFromTheEndShowAgainstTheHead) {
  appendEntries(5);
  ASSERT_TRUE(tamperer()->execute("DELETE FROM audit_log WHERE seq >= 4").ok());
  const auto report = verify();
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].seq, 0);
  EXPECT_NE(report.problems[0].message.find("entry 5"), std::string::npos)
      << report.problems[0].message;
  EXPECT_NE(report.problems[0].message.find("ends at entry 3"), std::string::npos);
}

TEST_F(AuditLogTest, AReplacedEntryWithARecomputedHashBreaksTheNextLink) {
  appendEntries(5);
  auto entries = AuditLog(*db_).entries();
  ASSERT_TRUE(entries.ok());
  audit::AuditEntry forged = (*entries)[1];  // seq 2
  forged.details = R"({"channel":"website","new":"refused"})";
  forged.hash = audit::entryHash(forged);
  ASSERT_TRUE(tamperer()
                  ->execute("UPDATE audit_log SET details = ?, hash = ? WHERE seq = 2",
                            {forged.details, forged.hash})
                  .ok());
  const auto report = verify();
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].seq, 3);
  EXPECT_NE(report.problems[0].message.find("Entry 3 does not follow entry 2"), std::string::npos)
      << report.problems[0].message;
}

TEST_F(AuditLogTest, TheLastEntryReplacedShowsAgainstTheHead) {
  appendEntries(3);
  auto entries = AuditLog(*db_).entries();
  audit::AuditEntry forged = (*entries)[2];
  forged.actor = "user:someone_else";
  forged.hash = audit::entryHash(forged);
  ASSERT_TRUE(tamperer()
                  ->execute("UPDATE audit_log SET actor = ?, hash = ? WHERE seq = 3",
                            {forged.actor, forged.hash})
                  .ok());
  const auto report = verify();
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].seq, 0);
}

TEST_F(AuditLogTest, TwoWritersWithTheirOwnConnectionsMakeOneChain) {
  const auto writer = [this](const std::string& actor) {
    auto db = reg::openRegisterDatabase(dir_ / "consentguard.db");
    ASSERT_TRUE(db.ok());
    AuditLog log(**db);
    for (int i = 0; i < 200; ++i) {
      auto s = log.append(actor, "photo_submitted", std::to_string(i));
      ASSERT_TRUE(s.ok()) << s.error().detail;
    }
  };
  std::thread a(writer, "key:cms"), b(writer, "folder");
  a.join();
  b.join();
  const auto report = verify();
  EXPECT_EQ(report.entries, 400);
  EXPECT_TRUE(report.intact()) << report.problems.front().message;
  EXPECT_EQ(AuditLog(*db_).entries()->back().seq, 400);
}

}  // namespace
}  // namespace consentguard::testing
