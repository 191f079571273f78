// The durable queue's states, one step at a time: the same bytes are the same job, a crash while
// checking puts the job back, a crash while writing is completed at the same path, once.
#include "consentguard/queue/job_queue.h"

#include <fstream>

#include "consentguard/image/image_loader.h"
#include "consentguard/service/outcome_writer.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

using queue::JobState;

class JobQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratchDir(std::string("queue-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto q = queue::JobQueue::open(dir_ / "consentguard.db", dir_ / "store");
    ASSERT_TRUE(q.ok()) << q.error().detail;
    queue_ = std::move(q.value());
  }
  fs::path dir_;
  std::unique_ptr<queue::JobQueue> queue_;
  const std::vector<std::uint8_t> bytes_ = {'n', 'o', 't', ' ', 'a', ' ', 'p', 'h', 'o', 't', 'o'};
};

TEST_F(JobQueueTest, TheSameBytesOnTheSameChannelAreOneJob) {
  auto first = queue_->submit(bytes_, {"website", "", "", "a.jpg", "folder", ""});
  auto again = queue_->submit(bytes_, {"website", "", "", "renamed.jpg", "api", ""});
  auto other = queue_->submit(bytes_, {"newsletter", "", "", "a.jpg", "folder", ""});
  ASSERT_TRUE(first.ok() && again.ok() && other.ok());
  EXPECT_EQ(first->id, again->id);
  EXPECT_EQ(again->submission.file_name, "a.jpg");
  EXPECT_NE(first->id, other->id);
  EXPECT_EQ(*image::readFileBytes(first->original), bytes_);
  EXPECT_EQ(*queue_->count(JobState::kQueued), 2);
}

TEST_F(JobQueueTest, AJobIsClaimedOnce) {
  ASSERT_TRUE(queue_->submit(bytes_, {"website", "", "", "a.jpg", "folder", ""}).ok());
  auto other = queue::JobQueue::open(dir_ / "consentguard.db", dir_ / "store");
  ASSERT_TRUE(other.ok());
  auto claimed = queue_->claim();
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  EXPECT_EQ((*claimed)->attempts, 1);
  auto second = (*other)->claim();
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
}

TEST_F(JobQueueTest, ACrashWhileCheckingPutsTheJobBack) {
  ASSERT_TRUE(queue_->submit(bytes_, {"website", "", "", "a.jpg", "folder", ""}).ok());
  ASSERT_TRUE((*queue_->claim()).has_value());
  auto finishing = queue_->recoverAfterRestart();
  ASSERT_TRUE(finishing.ok());
  EXPECT_TRUE(finishing->empty());
  EXPECT_EQ(*queue_->count(JobState::kQueued), 1);
  EXPECT_EQ((*queue_->claim())->attempts, 2);
}

TEST_F(JobQueueTest, ACrashWhileWritingIsCompletedAtTheSamePathOnce) {
  auto job = queue_->submit(bytes_, {"website", "", "", "minutes.docx", "folder", ""});
  ASSERT_TRUE(job.ok());
  ASSERT_TRUE((*queue_->claim()).has_value());
  const fs::path output = dir_ / "rejected" / "minutes.docx";
  fs::create_directories(output.parent_path());
  const std::string result =
      R"({"verdict":"block","reasons":[{"code":"unreadable","message":"Not a photo."}]})";
  ASSERT_TRUE(queue_->recordDecision(job->id, "block", result, output).ok());

  // The crash came after the photo was written but before its .txt and the done mark.
  auto recorded = *queue_->find(job->id);
  ASSERT_EQ(recorded->state, JobState::kFinishing);
  fs::copy_file(recorded->original, output);
  auto finishing = queue_->recoverAfterRestart();
  ASSERT_TRUE(finishing.ok());
  ASSERT_EQ(finishing->size(), 1u);
  ASSERT_TRUE(service::writeOutcome(finishing->front()).ok());
  ASSERT_TRUE(service::writeOutcome(finishing->front()).ok());  // and again: still once
  ASSERT_TRUE(queue_->markDone(job->id).ok());
  int files = 0;
  for (const auto& e : fs::directory_iterator(output.parent_path())) files += e.exists();
  EXPECT_EQ(files, 2);  // the original and its .txt
  std::ifstream txt(output.string() + ".txt");
  const std::string text((std::istreambuf_iterator<char>(txt)), {});
  EXPECT_NE(text.find("Not a photo."), std::string::npos) << text;
  EXPECT_EQ((*queue_->find(job->id))->state, JobState::kDone);
}

TEST_F(JobQueueTest, AnOutcomeThatCouldNotBeWrittenIsFoundForARetry) {
  auto job = queue_->submit(bytes_, {"website", "", "", "a.docx", "folder", ""});
  ASSERT_TRUE((*queue_->claim()).has_value());
  ASSERT_TRUE(queue_->recordDecision(job->id, "block", "{}", dir_ / "rejected" / "a.docx").ok());
  EXPECT_TRUE(queue_->stuckFinishing(60)->empty()) << "just decided: another worker is writing it";
  ASSERT_TRUE(queue_->stuckFinishing(-1).ok());
  EXPECT_EQ(queue_->stuckFinishing(-1)->size(), 1u);
}

TEST_F(JobQueueTest, AChangeOfConsentReopensOnlyTheHeldPhotosOfThatPerson) {
  const auto decide = [&](const std::string& name, const std::string& verdict,
                          const std::string& person) {
    const std::vector<std::uint8_t> bytes(name.begin(), name.end());
    auto job = queue_->submit(bytes, {"website", "", "", name, "folder", ""});
    EXPECT_TRUE((*queue_->claim()).has_value());
    const std::string result =
        R"({"faces":[{"person":)" + (person.empty() ? "null" : "\"" + person + "\"") + "}]}";
    EXPECT_TRUE(queue_->recordDecision(job->id, verdict, result, dir_ / name).ok());
    EXPECT_TRUE(queue_->markDone(job->id).ok());
    return job->id;
  };
  const std::string held = decide("held-amy", "review", "P001");
  decide("held-raj", "review", "P006");
  decide("published-amy", "publish", "P001");
  decide("held-unknown", "review", "");

  auto reopened = queue_->reopenHeldPhotosOf("P001");
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*reopened, 1);
  auto job = *queue_->find(held);
  EXPECT_EQ(job->state, JobState::kQueued);
  EXPECT_EQ(job->previous_output, dir_ / "held-amy");
  EXPECT_EQ(job->output, "");
  EXPECT_EQ(*queue_->count(JobState::kDone), 3);
}

TEST_F(JobQueueTest, AClashWithSomeoneElsesFileIsAnErrorNotAnOverwrite) {
  auto job = queue_->submit(bytes_, {"website", "", "", "a.docx", "folder", ""});
  ASSERT_TRUE((*queue_->claim()).has_value());
  const fs::path output = dir_ / "rejected" / "a.docx";
  fs::create_directories(output.parent_path());
  std::ofstream(output) << "someone else's file";
  ASSERT_TRUE(queue_->recordDecision(job->id, "block", "{}", output).ok());
  auto status = service::writeOutcome(**queue_->find(job->id));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "output_clash");
  std::ifstream in(output);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), {}), "someone else's file");
}

}  // namespace
}  // namespace consentguard::testing
