// Takedowns from the register's side: who is recorded as in a published photo, which change
// raises a takedown and for what reason, one per photo, and what done and retention do.
#include "consentguard/queue/takedowns.h"

#include "consentguard/queue/job_queue.h"
#include "consentguard/register/register_store.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

class TakedownsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratchDir(std::string("takedowns-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    auto store = reg::RegisterStore::open(dir_ / "consentguard.db");
    ASSERT_TRUE(store.ok());
    store_ = std::move(store.value());
    for (const std::string id : {"P1", "P2"}) {
      reg::Person p;
      p.id = id;
      p.given_name = "Given" + id;
      p.family_name = "Family";
      ASSERT_TRUE(store_->savePerson(p).ok());
      ASSERT_TRUE(store_->setConsent(id, "website", true, "2026-12-31", "2026-09-01").ok());
    }
    auto q = queue::JobQueue::open(dir_ / "consentguard.db", dir_ / "store");
    ASSERT_TRUE(q.ok());
    queue_ = std::move(q.value());
  }

  // A job checked with these faces ("person:status" each) and finished with this verdict.
  std::string finished(const std::string& name, const std::string& verdict,
                       const std::vector<std::pair<std::string, std::string>>& faces) {
    const std::vector<std::uint8_t> bytes(name.begin(), name.end());
    auto job = queue_->submit(bytes, {"website", "", "", name, "api", "key:cms"});
    EXPECT_TRUE(job.ok());
    EXPECT_TRUE(queue_->claim().ok());
    std::string json = "{\"verdict\":\"" + verdict + "\",\"faces\":[";
    for (size_t i = 0; i < faces.size(); ++i) {
      json += std::string(i ? "," : "") + "{\"box\":{\"x\":0,\"y\":0,\"w\":9,\"h\":9},\"person\":" +
              (faces[i].first.empty() ? "null" : "\"" + faces[i].first + "\"") +
              ",\"status\":\"" + faces[i].second + "\"}";
    }
    json += "],\"reasons\":[]}";
    EXPECT_TRUE(queue_->recordDecision(job->id, verdict, json, dir_ / name).ok());
    EXPECT_TRUE(queue_->markDone(job->id).ok());
    return job->id;
  }

  std::vector<std::string> raised(const std::string& today) {
    auto r = queue::raiseTakedowns(queue_->database(), today);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
    std::vector<std::string> out;
    for (const auto& t : r.ok() ? *r : std::vector<queue::Takedown>{}) {
      out.push_back(t.photo + " " + t.person + " " + t.reason);
    }
    return out;
  }

  fs::path dir_;
  std::unique_ptr<reg::RegisterStore> store_;
  std::unique_ptr<queue::JobQueue> queue_;
};

TEST_F(TakedownsTest, AnExpiredConsentRaisesOneTakedownPerPublishedPhoto) {
  const std::string both = finished("both.jpg", "publish", {{"P1", "consented"}, {"P2", "consented"}});
  const std::string blocked = finished("blocked.jpg", "block", {{"P1", "consented"}, {"", "unknown"}});
  EXPECT_TRUE(raised("2026-12-31").empty()) << "consent lasts to the end of its last day";
  // Both consents expire: one takedown for the one published photo.
  EXPECT_EQ(raised("2027-01-01"), std::vector<std::string>{both + " P1 consent_expired"});
  EXPECT_TRUE(raised("2027-01-02").empty()) << "raised once";
  auto open = queue::openTakedowns(queue_->database(), "website");
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->at(0).file_name, "both.jpg");
  EXPECT_TRUE(*queue::isTakenDown(queue_->database(), both));
  EXPECT_FALSE(*queue::isTakenDown(queue_->database(), blocked));
}

TEST_F(TakedownsTest, OnlyThoseInThePublishedCopyCount) {
  // A covered copy: P2's face (no consent) was covered, so P2 is not in what was published.
  const std::string covered =
      finished("covered.jpg", "publish", {{"P1", "consented"}, {"P2", "no_consent"}});
  ASSERT_TRUE(store_->setNoPhoto("P2", true, "").ok());
  EXPECT_TRUE(raised("2026-12-01").empty());
  ASSERT_TRUE(store_->setNoPhoto("P1", true, "").ok());
  EXPECT_EQ(raised("2026-12-01"), std::vector<std::string>{covered + " P1 no_photo"});
}

TEST_F(TakedownsTest, DoneForgetsWhoWasInThePhotoButRetentionDoesNot) {
  const std::string id = finished("kept.jpg", "publish", {{"P1", "consented"}});
  // The photo's own files are deleted after the retention period; the website's copy is not.
  ASSERT_TRUE(queue_->markPurged(id, 365).ok());
  ASSERT_TRUE(store_->setConsent("P1", "website", false, "", "2026-12-01").ok());
  const auto r = raised("2026-12-01");
  ASSERT_EQ(r, std::vector<std::string>{id + " P1 consent_withdrawn"});
  auto open = queue::openTakedowns(queue_->database());
  ASSERT_TRUE(open.ok() && open->size() == 1u);
  ASSERT_TRUE(queue::markTakedownDone(queue_->database(), open->at(0).id, "user:office").ok());
  EXPECT_TRUE(queue::openTakedowns(queue_->database())->empty());
  auto left = queue_->database().prepare("SELECT count(*) FROM published_people");
  ASSERT_TRUE(left.ok() && left->step().ok());
  EXPECT_EQ(left->integer(0), 0) << "nobody is recorded in a photo taken down";
  EXPECT_EQ(queue::markTakedownDone(queue_->database(), 424242, "user:office").error().code,
            "not_found");
}

TEST_F(TakedownsTest, TheOfficeWithdrawsConsentAndFollowsTheTakedownWithTheCommands) {
  const std::string id = finished("sports-day.jpg", "publish", {{"P1", "consented"}});
  const std::string db = shellQuoted(dir_ / "consentguard.db");
  EXPECT_NE(runConsentguard("takedowns list --db " + db).out.find("Nothing needs taking down"),
            std::string::npos);
  const ProgramRun withdrawn = runConsentguard("register consent --db " + db +
                                               " --person P1 --channel website --withdraw");
  ASSERT_EQ(withdrawn.status, 0) << withdrawn.out;
  const ProgramRun list = runConsentguard("takedowns list --db " + db + " --channel website");
  EXPECT_EQ(list.status, 0) << list.out;
  EXPECT_NE(list.out.find("website  sports-day.jpg (photo " + id + ")"), std::string::npos)
      << list.out;
  EXPECT_NE(list.out.find("consent for this channel was withdrawn"), std::string::npos);
  auto open = queue::openTakedowns(queue_->database());
  ASSERT_TRUE(open.ok() && open->size() == 1u);
  const ProgramRun done = runConsentguard("takedowns done --db " + db + " --id " +
                                          std::to_string(open->at(0).id));
  EXPECT_EQ(done.status, 0) << done.out;
  EXPECT_NE(runConsentguard("takedowns list --db " + db).out.find("Nothing needs taking down"),
            std::string::npos);
  EXPECT_EQ(runConsentguard("takedowns done --db " + db + " --id 99999").status, 3);
  EXPECT_EQ(runConsentguard("takedowns").status, 64);
}

}  // namespace
}  // namespace consentguard::testing
