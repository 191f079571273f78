// The worker and the inbox in this process, for the moments a running service cannot be made
// to hit on cue: the register changing while a photo is being checked, and the same photo
// dropped again under another name before and after the first is decided.
#include "consentguard/service/photo_worker.h"

#include <fstream>

#include "check/check_fixture.h"
#include "consentguard/common/dates.h"
#include "consentguard/common/files.h"
#include "consentguard/queue/job_queue.h"
#include "consentguard/service/folder_intake.h"
#include "consentguard/service/outcome_writer.h"

namespace consentguard::testing {
namespace {

std::string fileText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class PhotoWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CG_REQUIRE_SHARED_TESTDATA();
    dir_ = scratchDir(std::string("worker-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    settings_.folders = service::DataFolders{dir_ / "data"};
    fs::create_directories(settings_.folders.root);
    installEnrolledRegister(settings_.folders.database());
    settings_.policy.device_check = false;  // the identity crops carry no camera details
    settings_.settle_seconds = 0;
    settings_.models = modelPaths();
    ASSERT_TRUE(settings_.folders.create(settings_.policy.channelNames()).ok());
    auto queue = queue::JobQueue::open(settings_.folders.database(), settings_.folders.store());
    ASSERT_TRUE(queue.ok());
    queue_ = std::move(queue.value());
    auto store = reg::RegisterStore::open(settings_.folders.database());
    ASSERT_TRUE(store.ok());
    store_ = std::move(store.value());
    auto worker = service::PhotoWorker::create(settings_, 1, Poco::Logger::get("worker-test"));
    ASSERT_TRUE(worker.ok()) << worker.error().detail;
    worker_ = std::move(worker.value());
  }

  std::string submit(const fs::path& photo, const std::string& name) {
    auto job = queue_->submit(*image::readFileBytes(photo), {"website", "", "", name, "api", ""});
    EXPECT_TRUE(job.ok());
    return job->id;
  }

  queue::Job jobOf(const std::string& id) { return **queue_->find(id); }

  std::unique_ptr<service::FolderIntake> intake() {
    auto queue = queue::JobQueue::open(settings_.folders.database(), settings_.folders.store());
    return std::make_unique<service::FolderIntake>(settings_, std::move(queue.value()),
                                                   Poco::Logger::get("intake-test"));
  }

  fs::path dir_;
  service::ServiceSettings settings_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<reg::RegisterStore> store_;
  std::unique_ptr<service::PhotoWorker> worker_;
};

TEST_F(PhotoWorkerTest, AConsentWithdrawnWhileItsPupilsPhotoIsCheckedIsNotPublished) {
  const std::string id = submit(probePhoto("amy"), "amy.png");
  int checks = 0;
  worker_->setAfterCheck([&](const queue::Job&) {
    // The office withdraws Amy's website consent while her photo is in the worker's hands,
    // after the check read the register and found her consent current.
    if (++checks == 1) {
      ASSERT_TRUE(store_->setConsent("P001", "website", false, "", todayIso()).ok());
    }
  });
  auto first = worker_->processNext();
  ASSERT_TRUE(first.ok() && *first);
  EXPECT_EQ(jobOf(id).state, queue::JobState::kQueued) << "checked again, not decided";
  EXPECT_FALSE(fs::exists(settings_.folders.outbox("website") / "amy.png"));

  auto second = worker_->processNext();
  ASSERT_TRUE(second.ok() && *second);
  EXPECT_EQ(checks, 2);
  const queue::Job done = jobOf(id);
  EXPECT_EQ(done.state, queue::JobState::kDone);
  EXPECT_EQ(done.verdict, "block");
  EXPECT_NE(done.result_json.find("no_consent"), std::string::npos) << done.result_json;
  EXPECT_FALSE(fs::exists(settings_.folders.outbox("website") / "amy.png"));
  EXPECT_TRUE(fs::exists(settings_.folders.rejected() / "amy.png"));

  // The no-photo list, likewise: Sheldon is put on it during his photo's check.
  const std::string sheldon = submit(probePhoto("sheldon"), "sheldon.png");
  checks = 0;
  worker_->setAfterCheck([&](const queue::Job&) {
    if (++checks == 1) {
      ASSERT_TRUE(store_->setNoPhoto("P007", true, "court order").ok());
    }
  });
  ASSERT_TRUE(worker_->processNext().ok());
  ASSERT_TRUE(worker_->processNext().ok());
  EXPECT_EQ(jobOf(sheldon).verdict, "block");
  EXPECT_FALSE(fs::exists(settings_.folders.outbox("website") / "sheldon.png"));
}

TEST_F(PhotoWorkerTest, ARepeatedDropKeepsItsNameWithANoteThatSaysWhereTheOutcomeIs) {
  auto folders = intake();
  const fs::path inbox = settings_.folders.inbox("website");
  const auto amy = *image::readFileBytes(probePhoto("amy"));
  const auto penny = *image::readFileBytes(probePhoto("penny"));
  const auto drop = [&](const std::vector<std::uint8_t>& bytes, const std::string& name) {
    ASSERT_TRUE(writeFileAtomically(inbox / name, bytes, false).ok());
  };

  // Amy's photo from the CMS, then the same bytes dropped as again.png once it is published.
  const std::string amyId = submit(probePhoto("amy"), "amy5.png");
  ASSERT_TRUE(worker_->processNext().ok());
  drop(amy, "again.png");
  EXPECT_EQ(folders->scanOnce(), 1);
  EXPECT_FALSE(fs::exists(inbox / "again.png"));
  const fs::path outbox = settings_.folders.outbox("website");
  ASSERT_TRUE(fs::exists(outbox / "again.png.txt"));
  const std::string note = fileText(outbox / "again.png.txt");
  EXPECT_NE(note.find("same as one submitted before"), std::string::npos) << note;
  EXPECT_NE(note.find("Same as: amy5.png (reference " + amyId), std::string::npos) << note;
  EXPECT_NE(note.find("Its outcome: published. The cleaned copy beside this note, amy5.png"),
            std::string::npos)
      << note;

  // Penny's photo dropped twice before it is checked: the second name's note comes with the
  // outcome, and follows it when a senior leader decides.
  drop(penny, "penny.png");
  EXPECT_EQ(folders->scanOnce(), 1);
  drop(penny, "penny-copy.png");
  EXPECT_EQ(folders->scanOnce(), 1);
  EXPECT_TRUE(fs::is_empty(inbox)) << "every file left the inbox";
  ASSERT_TRUE(worker_->processNext().ok());
  const std::string pennyId = queue::jobIdFor("website", penny);
  ASSERT_EQ(jobOf(pennyId).verdict, "review");
  const fs::path held = settings_.folders.held();
  ASSERT_TRUE(fs::exists(held / "penny.png"));
  ASSERT_TRUE(fs::exists(held / "penny-copy.png.txt"));
  EXPECT_NE(fileText(held / "penny-copy.png.txt")
                .find("held for a senior leader to decide: "
                      "penny.png"),
            std::string::npos);
  // The same name again is the same input: no second note over the held photo's own.
  const std::string heldNote = fileText(held / "penny.png.txt");
  drop(penny, "penny.png");
  EXPECT_EQ(folders->scanOnce(), 1);
  EXPECT_EQ(fileText(held / "penny.png.txt"), heldNote);

  ASSERT_TRUE(
      queue_->decide(pennyId, {"approved", "user:head", "", ""}, "publish", outbox / "penny.png")
          .ok());
  ASSERT_TRUE(service::completeOutcome(*queue_, jobOf(pennyId)).ok());
  EXPECT_FALSE(fs::exists(held / "penny-copy.png.txt")) << "the note moved with the outcome";
  ASSERT_TRUE(fs::exists(outbox / "penny-copy.png.txt"));
  EXPECT_NE(fileText(outbox / "penny-copy.png.txt").find("Its outcome: published"),
            std::string::npos);

  // Every input ends in one place under its own name: outcome or note.
  for (const std::string name : {"amy5.png", "again.png.txt", "penny.png", "penny-copy.png.txt"}) {
    EXPECT_TRUE(fs::exists(outbox / name)) << name;
  }
}

}  // namespace
}  // namespace consentguard::testing
