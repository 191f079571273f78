// Retention (rule 7): a finished photo's files are deleted when its time is up, its record keeps
// only the verdict and reasons, and photos still held for a decision are kept.
#include "consentguard/service/retention.h"

#include <opencv2/imgcodecs.hpp>

#include "consentguard/audit/audit_log.h"
#include "consentguard/queue/job_queue.h"
#include "consentguard/register/register_store.h"
#include "consentguard/service/outcome_writer.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratchDir(std::string("retention-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto q = queue::JobQueue::open(dir_ / "consentguard.db", dir_ / "store");
    ASSERT_TRUE(q.ok()) << q.error().detail;
    queue_ = std::move(q.value());
    db_ = std::move(reg::openRegisterDatabase(dir_ / "consentguard.db").value());
  }

  // A job taken through to `verdict`, its outcome written where the service would write it.
  queue::Job finished(const std::string& name, const std::string& verdict, int shade) {
    cv::Mat pixels(48, 64, CV_8UC3, cv::Scalar(shade, 90, 30));
    std::vector<uchar> png;
    cv::imencode(".png", pixels, png);
    auto job = queue_->submit(std::vector<std::uint8_t>(png.begin(), png.end()),
                              {"website", "", "", name, "folder", "folder"});
    EXPECT_TRUE(job.ok());
    EXPECT_TRUE((*queue_->claim()).has_value());
    const fs::path folder = verdict == "publish"  ? dir_ / "outbox"
                            : verdict == "review" ? dir_ / "held"
                                                  : dir_ / "rejected";
    fs::create_directories(folder);
    const std::string result = R"({"verdict":")" + verdict +
                               R"(","reasons":[{"code":"unknown_face","message":"Who?"}],)"
                               R"("faces":[{"box":{"x":1,"y":2,"w":3,"h":4},"person":"P001"}]})";
    EXPECT_TRUE(queue_->recordDecision(job->id, verdict, result, folder / name).ok());
    auto recorded = *queue_->find(job->id);
    EXPECT_TRUE(service::completeOutcome(*queue_, *recorded).ok());
    return **queue_->find(job->id);
  }

  void age(const std::string& id, const std::string& when) {
    ASSERT_TRUE(db_->execute("UPDATE jobs SET updated_at = ? WHERE id = ?", {when, id}).ok());
  }

  fs::path dir_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<reg::Database> db_;
  Poco::Logger& log_ = Poco::Logger::get("retention-test");
};

TEST_F(RetentionTest, FilesOfOldPhotosGoButHeldOnesAndRecentOnesStay) {
  const queue::Job published = finished("sports.png", "publish", 10);
  const queue::Job rejected = finished("trip.png", "block", 20);
  const queue::Job held = finished("play.png", "review", 30);
  const queue::Job recent = finished("today.png", "publish", 40);
  for (const auto& job : {published, rejected, held}) age(job.id, "2025-01-01T00:00:00.000Z");
  ASSERT_TRUE(fs::exists(published.output));
  ASSERT_TRUE(fs::exists(rejected.output.string() + ".txt"));

  auto deleted = service::deleteExpiredPhotos(*queue_, 365, log_);
  ASSERT_TRUE(deleted.ok()) << deleted.error().detail;
  EXPECT_EQ(*deleted, 2);
  for (const auto& job : {published, rejected}) {
    EXPECT_FALSE(fs::exists(job.original)) << job.submission.file_name;
    EXPECT_FALSE(fs::exists(job.output)) << job.submission.file_name;
    // The record keeps the verdict and reasons for the report, but no longer who was in it.
    const queue::Job after = **queue_->find(job.id);
    EXPECT_EQ(after.verdict, job.verdict);
    EXPECT_NE(after.result_json.find("unknown_face"), std::string::npos);
    EXPECT_EQ(after.result_json.find("P001"), std::string::npos) << after.result_json;
  }
  EXPECT_FALSE(fs::exists(rejected.output.string() + ".txt"));
  EXPECT_TRUE(fs::exists(held.output)) << "a held photo waits for its decision";
  EXPECT_TRUE(fs::exists(held.original));
  EXPECT_TRUE(fs::exists(recent.output));
  EXPECT_TRUE(fs::exists(recent.original));

  EXPECT_EQ(*service::deleteExpiredPhotos(*queue_, 365, log_), 0) << "once only";
  auto entries = audit::AuditLog(*db_).entries("photo_deleted");
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), 2u);
  EXPECT_TRUE(audit::AuditLog(*db_).verify()->intact());
}

TEST_F(RetentionTest, AFileThatCannotBeDeletedIsTriedAgainLater) {
  const queue::Job published = finished("sports.png", "publish", 10);
  age(published.id, "2025-01-01T00:00:00.000Z");
  // A folder where the photo was: remove() fails on a folder that is not empty.
  fs::remove(published.output);
  fs::create_directories(published.output / "in-the-way");
  EXPECT_EQ(*service::deleteExpiredPhotos(*queue_, 365, log_), 0);
  EXPECT_TRUE((*queue_->expired(365)).size() == 1u) << "still due";
  fs::remove_all(published.output);
  EXPECT_EQ(*service::deleteExpiredPhotos(*queue_, 365, log_), 1);
}

}  // namespace
}  // namespace consentguard::testing
