// consentguard backup while the service runs, then restore into an empty data folder: the
// audit trail verifies, and every photo, decision and takedown is there with its files. A
// backup that was altered, and a folder that is not empty, are refused with nothing written.
#include "consentguard/audit/audit_log.h"
#include "consentguard/common/dates.h"
#include "consentguard/queue/takedowns.h"
#include "service/review_fixture.h"
#include "support/video_fixture.h"

namespace consentguard::testing {
namespace {

// The program's output, with "exit=N" after it.
std::string run(const std::string& arguments) {
  const std::string program = (fs::path(CG_BINARY_DIR) / "consentguard").string();
  return commandOutput(shellQuoted(program) + " " + arguments + "; echo exit=$?");
}

class BackupTest : public ReviewServiceTest {};

TEST_F(BackupTest, ARestoreIntoAnEmptyFolderHasEveryPhotoDecisionAndTakedown) {
  const std::string published = submitAndWait(*image::readFileBytes(probePhoto("amy")), "amy.png");
  const std::string held = heldPhoto();
  const std::string blocked =
      submitAndWait(*image::readFileBytes(probePhoto("howard")), "howard.png");
  ASSERT_EQ(verdictOf(published), "publish");
  ASSERT_EQ(verdictOf(blocked), "block");
  {
    // Amy's website consent is withdrawn: her published photo must come down.
    auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
    ASSERT_TRUE(db.ok());
    auto store = reg::RegisterStore::open(data_ / "consentguard.db");
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->setConsent("P001", "website", false, "", todayIso()).ok());
    auto raised = queue::raiseTakedowns(**db, todayIso());
    ASSERT_TRUE(raised.ok());
    ASSERT_EQ(raised->size(), 1u);
  }

  // While the service runs.
  const fs::path backup = dir_ / "backup";
  const std::string made =
      run("backup --data " + shellQuoted(data_) + " --to " + shellQuoted(backup));
  ASSERT_NE(made.find("exit=0"), std::string::npos) << made;
  EXPECT_NE(made.find("3 photos recorded"), std::string::npos) << made;
  EXPECT_TRUE(fs::exists(backup / "manifest.json"));
  EXPECT_EQ(
      run("backup --data " + shellQuoted(data_) + " --to " + shellQuoted(backup)).find("exit=0"),
      std::string::npos)
      << "never into a folder that is not empty";

  EXPECT_FALSE(fs::exists(backup / "files" / "keys")) << "the data key is kept apart";

  const fs::path restored = dir_ / "restored";
  const fs::path key = reg::defaultDataKeyPath(data_ / "consentguard.db");
  const std::string back = run("restore --from " + shellQuoted(backup) + " --data " +
                               shellQuoted(restored) + " --data-key " + shellQuoted(key));
  ASSERT_NE(back.find("exit=0"), std::string::npos) << back;
  EXPECT_NE(back.find("The audit trail verifies"), std::string::npos) << back;
  EXPECT_NE(back.find("opens the register's face templates"), std::string::npos) << back;

  auto queue = queue::JobQueue::open(restored / "consentguard.db", restored / "store");
  ASSERT_TRUE(queue.ok());
  for (const auto& [id, verdict] : std::vector<std::pair<std::string, std::string>>{
           {published, "publish"}, {held, "review"}, {blocked, "block"}}) {
    auto job = (*queue)->find(id);
    ASSERT_TRUE(job.ok() && *job) << id;
    EXPECT_EQ((*job)->verdict, verdict);
    EXPECT_EQ((*job)->original.parent_path(), fs::absolute(restored / "store").lexically_normal())
        << "the paths point into the restored folder";
    EXPECT_EQ(*image::readFileBytes((*job)->original), *image::readFileBytes(data_ / "store" / id));
    EXPECT_TRUE(fs::exists((*job)->output)) << (*job)->output;
  }
  EXPECT_TRUE(fs::exists(restored / "held" / "penny.jpg"));
  auto db = reg::openRegisterDatabase(restored / "consentguard.db");
  ASSERT_TRUE(db.ok());
  auto open = queue::openTakedowns(**db, "");
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].photo, published);
  auto trail = audit::AuditLog(**db).verify();
  ASSERT_TRUE(trail.ok());
  EXPECT_TRUE(trail->intact());
  auto original = reg::openRegisterDatabase(data_ / "consentguard.db");
  auto before = audit::AuditLog(**original).entries();
  auto after = audit::AuditLog(**db).entries();
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_LE(after->size(), before->size());
  EXPECT_GE(after->size(), 6u);
  // The restored register still refuses to publish Amy on the website.
  auto restoredStore = reg::RegisterStore::open(restored / "consentguard.db");
  ASSERT_TRUE(restoredStore.ok());
  auto consent = (*restoredStore)->consent("P001", "website");
  ASSERT_TRUE(consent.ok() && *consent);
  EXPECT_EQ((*consent)->status, reg::ConsentStatus::kWithdrawn);
  // With the key put back, every template opens as it was.
  auto originalStore = reg::RegisterStore::open(data_ / "consentguard.db");
  ASSERT_TRUE(originalStore.ok());
  auto templatesBefore = (*originalStore)->templates();
  auto templatesAfter = (*restoredStore)->templates();
  ASSERT_TRUE(templatesBefore.ok() && templatesAfter.ok()) << templatesAfter.error().message;
  ASSERT_EQ(templatesAfter->size(), templatesBefore->size());
  ASSERT_GT(templatesAfter->size(), 20u);
  EXPECT_EQ(templatesAfter->front().descriptor, templatesBefore->front().descriptor);

  // Into a folder that is not empty: refused, nothing changed.
  const std::string again =
      run("restore --from " + shellQuoted(backup) + " --data " + shellQuoted(restored));
  EXPECT_NE(again.find("exit=3"), std::string::npos) << again;
  EXPECT_NE(again.find("is not empty"), std::string::npos) << again;

  // An altered backup: refused before anything is written.
  {
    std::fstream file(backup / "files" / "store" / held,
                      std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    file.put('\x5a');
  }
  const fs::path second = dir_ / "restored-2";
  const std::string altered =
      run("restore --from " + shellQuoted(backup) + " --data " + shellQuoted(second));
  EXPECT_NE(altered.find("exit=3"), std::string::npos) << altered;
  EXPECT_NE(altered.find("has changed since the backup"), std::string::npos) << altered;
  EXPECT_FALSE(fs::exists(second / "consentguard.db"));
}

}  // namespace
}  // namespace consentguard::testing
