// The /takedowns page, against the real service: a withdrawal lists the published photo for the
// office, with every value escaped, its thumbnail, caption and who published it; the service's
// copy leaves the outbox at once (issue 22) and is deleted from the server when the takedown is
// done; "done" needs the session's CSRF token; an old takedown is overdue and the DSL is told.
// And the files themselves (service/takedown_files.h) without the service: a copy already gone,
// a name already taken in taken-down/, a takedown done elsewhere.
#include "consentguard/common/dates.h"
#include "consentguard/common/files.h"
#include "consentguard/queue/takedowns.h"
#include "consentguard/service/takedown_files.h"
#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

class TakedownPagesTest : public ReviewServiceTest {
 protected:
  // Submits as the CMS does, with a caption, and waits until it is checked.
  std::string submitWithCaption(const std::string& person, const std::string& name,
                                const std::string& caption) {
    auto q = queue::JobQueue::open(data_ / "consentguard.db", data_ / "store");
    EXPECT_TRUE(q.ok());
    auto job = (*q)->submit(*image::readFileBytes(probePhoto(person)),
                            {"website", caption, "", name, "api", "key:cms"});
    EXPECT_TRUE(job.ok());
    waitUntilChecked(job->id);
    return job->id;
  }

  void withdrawWebsiteConsent(const std::string& person) {
    const ProgramRun withdrawn =
        runConsentguard("register consent --db " + shellQuoted(data_ / "consentguard.db") +
                        " --person " + person + " --channel website --withdraw");
    ASSERT_EQ(withdrawn.status, 0) << withdrawn.out;
  }

  std::string serviceLog() {
    std::ifstream in(dir_ / "serve.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

TEST_F(TakedownPagesTest, TheOfficeSeesWhatToRemoveAndMarksItDone) {
  // Amy (consent) is published under a name a browser must not take as markup.
  const std::string id =
      submitAndWait(*image::readFileBytes(probePhoto("amy")), "<b>sports</b> & day.png");
  ASSERT_EQ(verdictOf(id), "publish");
  const fs::path published = jobOf(id)->output;
  ASSERT_TRUE(fs::exists(published)) << published;
  ASSERT_EQ(published.parent_path(), data_ / "outbox" / "website");
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  Page page = office.get("/takedowns");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Nothing needs taking down"), std::string::npos) << page.body;

  const ProgramRun withdrawn =
      runConsentguard("register consent --db " + shellQuoted(data_ / "consentguard.db") +
                      " --person P001 --channel website --withdraw");
  ASSERT_EQ(withdrawn.status, 0) << withdrawn.out;
  page = office.get("/takedowns");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-photo=\"" + id + "\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("&lt;b&gt;sports&lt;/b&gt; &amp; day.png"), std::string::npos)
      << page.body;
  EXPECT_EQ(page.body.find("<b>sports"), std::string::npos);
  EXPECT_NE(page.body.find("consent for this channel was withdrawn"), std::string::npos);
  EXPECT_EQ(page.body.find("Amy"), std::string::npos) << "the page names no pupil";
  EXPECT_EQ(page.body.find("class=\"overdue\""), std::string::npos) << "not yet overdue";
  // The page shows the photo and who sent it, and the service's copy has left the outbox.
  EXPECT_NE(page.body.find("src=\"/takedowns/"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("the system cms (API key)"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Taken out of the outbox"), std::string::npos) << page.body;
  EXPECT_FALSE(fs::exists(published)) << "a taken-down photo stays in the outbox";
  const fs::path copy = data_ / "taken-down" / "website" / published.filename();
  EXPECT_TRUE(fs::exists(copy));
  EXPECT_EQ(jobOf(id)->output, copy) << "retention deletes the copy, not the outbox's name";

  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  ASSERT_TRUE(db.ok());
  auto open = queue::openTakedowns(**db);
  ASSERT_TRUE(open.ok() && open->size() == 1u);
  const std::string done = "/takedowns/" + std::to_string(open->at(0).id) + "/done";

  // Two days later it is overdue, and the DSL is told.
  ASSERT_TRUE((*db)
                  ->execute("UPDATE takedowns SET since = strftime('%Y-%m-%dT%H:%M:%SZ', "
                            "'now', '-3 days')")
                  .ok());
  EXPECT_NE(office.get("/takedowns").body.find("class=\"overdue\""), std::string::npos);
  Browser dsl(port_);
  ASSERT_EQ(dsl.signIn("dee.dsl", kPassword).status, 303);
  const Page incidents = dsl.get("/incidents");
  EXPECT_NE(incidents.body.find("id=\"overdue-takedowns\""), std::string::npos) << incidents.body;

  // Done needs the session's own token.
  EXPECT_EQ(office.post(done, {}).status, 403);
  EXPECT_EQ(office.post(done, {{"csrf", Browser::csrfIn(dsl.get("/takedowns").body)}}).status, 403);
  EXPECT_EQ(queue::openTakedowns(**db)->size(), 1u);
  const Page marked = office.post(done, {{"csrf", Browser::csrfIn(page.body)}});
  EXPECT_EQ(marked.status, 303) << marked.body;
  page = office.get("/takedowns?done=" + std::to_string(open->at(0).id));
  EXPECT_NE(page.body.find("is marked done"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("deleted its copy from the server"), std::string::npos) << page.body;
  EXPECT_FALSE(fs::exists(copy)) << "done deletes the service's copy";
  EXPECT_FALSE(fs::exists(published));
  EXPECT_NE(page.body.find("Nothing needs taking down"), std::string::npos);
  EXPECT_TRUE(queue::openTakedowns(**db)->empty());
  EXPECT_EQ(dsl.get("/incidents").body.find("id=\"overdue-takedowns\""), std::string::npos);

  // Signed out, the page is not shown.
  Browser stranger(port_);
  EXPECT_NE(stranger.get("/takedowns").status, 200);
}

TEST_F(TakedownPagesTest, WithdrawnConsentTakesTheCopyOutOfTheOutboxAndThePageShowsThePhoto) {
  const std::string id = submitWithCaption("amy", "party.png", "Year 3 at the <summer> fair");
  ASSERT_EQ(verdictOf(id), "publish");
  const fs::path published = jobOf(id)->output;
  ASSERT_TRUE(fs::exists(published));
  // As if a senior leader had approved it after it was held.
  {
    auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->execute("UPDATE jobs SET decision = 'approved', decided_by = "
                              "'user:sam.slt' WHERE id = ?",
                              {id})
                    .ok());
  }
  withdrawWebsiteConsent("P001");
  // The worker moves it within seconds, before anyone opens the page.
  const fs::path copy = data_ / "taken-down" / "website" / "party.png";
  for (int i = 0; i < 150 && fs::exists(published); ++i) std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(fs::exists(published)) << "still in the outbox, to be published again";
  EXPECT_TRUE(fs::exists(copy));
  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  ASSERT_TRUE(db.ok());
  auto open = queue::openTakedowns(**db);
  ASSERT_TRUE(open.ok() && open->size() == 1u);
  const queue::Takedown takedown = open->at(0);
  EXPECT_EQ(takedown.withdrawn_copy, copy.string());
  EXPECT_EQ(jobOf(id)->output, copy);
  const std::string tag = "takedown " + std::to_string(takedown.id);
  EXPECT_NE(serviceLog().find(tag + ": photo party.png moved out of outbox/website into "
                                    "taken-down/website"),
            std::string::npos)
      << serviceLog();

  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  const Page page = office.get("/takedowns");
  ASSERT_EQ(page.status, 200);
  const std::string picture = "/takedowns/" + std::to_string(takedown.id) + "/picture";
  EXPECT_NE(
      page.body.find("<img class=\"thumb\" src=\"" + picture + "\" alt=\"The photo party.png\">"),
      std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("Year 3 at the &lt;summer&gt; fair"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("sent by <span class=\"submitter\">the system cms (API key)"),
            std::string::npos);
  EXPECT_NE(page.body.find("approved by <span class=\"approver\">sam.slt"), std::string::npos);
  EXPECT_NE(page.body.find(">Website<"), std::string::npos) << "the channel in words";
  EXPECT_NE(page.body.find("<th scope=\"col\">"), std::string::npos);
  EXPECT_NE(page.body.find("<details class=\"takedown-confirm\">"), std::string::npos)
      << "done asks first";

  // The picture is a JPEG, for a signed-in session only.
  const Page jpeg = office.get(picture);
  EXPECT_EQ(jpeg.status, 200) << jpeg.body;
  EXPECT_EQ(jpeg.content_type, "image/jpeg");
  ASSERT_GT(jpeg.body.size(), 3u);
  EXPECT_EQ(static_cast<unsigned char>(jpeg.body[0]), 0xffu);
  Browser stranger(port_);
  const Page refused = stranger.get(picture);
  EXPECT_NE(refused.status, 200);
  EXPECT_EQ(refused.body.find('\xff'), std::string::npos);
  EXPECT_EQ(office.get("/takedowns/424242/picture").status, 404);

  // Done: the copy is deleted, and the log says by whom.
  const Page marked = office.post("/takedowns/" + std::to_string(takedown.id) + "/done",
                                  {{"csrf", Browser::csrfIn(page.body)}});
  EXPECT_EQ(marked.status, 303) << marked.body;
  EXPECT_FALSE(fs::exists(copy));
  EXPECT_NE(serviceLog().find(tag + " done by olive.office"), std::string::npos) << serviceLog();
  EXPECT_NE(serviceLog().find(tag + ": the copy of party.png was deleted"), std::string::npos);
  EXPECT_EQ(office.get(picture).status, 200) << "the original is kept until retention";
}

TEST_F(TakedownPagesTest, AnApiUploadWithoutANameGetsItsOwnName) {
  Browser cms(port_);
  cms.headers["Authorization"] = "Bearer " + key_;
  std::vector<std::string> names;
  for (const char* person : {"amy", "penny"}) {
    const auto bytes = *image::readFileBytes(probePhoto(person));
    const Page accepted = cms.postBytes("/api/v1/photos?channel=website",
                                        std::string(bytes.begin(), bytes.end()), "image/png");
    ASSERT_EQ(accepted.status, 202) << accepted.body;
    auto job = jobOf(queue::jobIdFor("website", bytes));
    ASSERT_TRUE(job.has_value());
    const std::string& name = job->submission.file_name;
    EXPECT_EQ(name.rfind("photo-" + todayIso() + "-" + job->id.substr(0, 8) + ".", 0), 0u) << name;
    names.push_back(name);
  }
  EXPECT_NE(names[0], names[1]) << "unnamed photos cannot be told apart";
}

// takedown_files.h without the service: the files as the worker and the page find them.
class TakedownFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratchDir(std::string("takedown-files-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    folders_.root = dir_;
    ASSERT_TRUE(folders_.create({"website"}).ok());
    auto store = reg::RegisterStore::open(folders_.database());
    ASSERT_TRUE(store.ok());
    store_ = std::move(store.value());
    reg::Person p;
    p.id = "P1";
    p.given_name = "Given";
    p.family_name = "Family";
    ASSERT_TRUE(store_->savePerson(p).ok());
    ASSERT_TRUE(store_->setConsent("P1", "website", true, "", todayIso()).ok());
    auto q = queue::JobQueue::open(folders_.database(), folders_.store());
    ASSERT_TRUE(q.ok());
    queue_ = std::move(q.value());
  }

  // A photo of P1 published as outbox/website/NAME.
  std::string published(const std::string& name) {
    const std::vector<std::uint8_t> bytes(name.begin(), name.end());
    auto job = queue_->submit(bytes, {"website", "", "", name, "api", "key:cms"});
    EXPECT_TRUE(job.ok());
    EXPECT_TRUE(queue_->claim().ok());
    const fs::path out = folders_.outbox("website") / name;
    EXPECT_TRUE(writeFileAtomically(out, bytes, false).ok());
    EXPECT_TRUE(queue_
                    ->recordDecision(job->id, "publish",
                                     R"({"verdict":"publish","faces":[{"person":"P1",)"
                                     R"("status":"consented"}],"reasons":[]})",
                                     out)
                    .ok());
    EXPECT_TRUE(queue_->markDone(job->id).ok());
    return job->id;
  }

  std::vector<queue::Takedown> withdrawn() {
    EXPECT_TRUE(store_->setConsent("P1", "website", false, "", todayIso()).ok());
    auto raised = queue::raiseTakedowns(queue_->database(), todayIso());
    EXPECT_TRUE(raised.ok());
    auto moved = service::withdrawPublishedCopies(queue_->database(), folders_, log_);
    EXPECT_TRUE(moved.ok()) << (moved.ok() ? "" : moved.error().detail);
    return *queue::openTakedowns(queue_->database());
  }

  fs::path dir_;
  service::DataFolders folders_;
  std::unique_ptr<reg::RegisterStore> store_;
  std::unique_ptr<queue::JobQueue> queue_;
  Poco::Logger& log_ = Poco::Logger::get("takedown-files-test");
};

TEST_F(TakedownFilesTest, ACopyIsMovedUnderAFreeNameAndDeletedWhenDone) {
  const std::string id = published("party.png");
  // A copy of an earlier photo of that name is already there.
  fs::create_directories(dir_ / "taken-down" / "website");
  ASSERT_TRUE(
      writeFileAtomically(dir_ / "taken-down" / "website" / "party.png", {1, 2}, false).ok());
  auto open = withdrawn();
  ASSERT_EQ(open.size(), 1u);
  const fs::path copy = dir_ / "taken-down" / "website" / ("party-" + id.substr(0, 8) + ".png");
  EXPECT_FALSE(fs::exists(folders_.outbox("website") / "party.png"));
  EXPECT_TRUE(fs::exists(copy));
  EXPECT_EQ(open[0].withdrawn_copy, copy.string());
  EXPECT_EQ((*queue_->find(id))->output, copy);
  // A new photo of the same name in the outbox is not the retention period's to delete.
  ASSERT_TRUE(writeFileAtomically(folders_.outbox("website") / "party.png", {3}, false).ok());
  ASSERT_TRUE(
      service::finishTakedown(queue_->database(), folders_, open[0].id, "user:olive", log_).ok());
  EXPECT_FALSE(fs::exists(copy));
  EXPECT_TRUE(fs::exists(dir_ / "taken-down" / "website" / "party.png")) << "not this one's";
  EXPECT_TRUE(fs::exists(folders_.outbox("website") / "party.png")) << "not this one's";
  EXPECT_TRUE(queue::openTakedowns(queue_->database())->empty());
}

TEST_F(TakedownFilesTest, ACopyAlreadyGoneIsRecordedAndADoneOneFromElsewhereIsDeleted) {
  const std::string gone = published("gone.png");
  const std::string kept = published("kept.png");
  fs::remove(folders_.outbox("website") / "gone.png");
  auto open = withdrawn();
  ASSERT_EQ(open.size(), 2u);
  for (const auto& t : open) {
    if (t.photo == gone) {
      EXPECT_EQ(t.withdrawn_copy, queue::kNoCopyFound) << "recorded, not an error";
      EXPECT_EQ((*queue_->find(gone))->output, folders_.outbox("website") / "gone.png");
    } else {
      EXPECT_EQ(t.withdrawn_copy, (dir_ / "taken-down" / "website" / "kept.png").string());
    }
  }
  // Done from the command line (no files touched): the next pass deletes the copy.
  for (const auto& t : open) {
    ASSERT_TRUE(queue::markTakedownDone(queue_->database(), t.id, "cli:root").ok());
  }
  EXPECT_TRUE(fs::exists(dir_ / "taken-down" / "website" / "kept.png"));
  auto again = service::withdrawPublishedCopies(queue_->database(), folders_, log_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 1);
  EXPECT_FALSE(fs::exists(dir_ / "taken-down" / "website" / "kept.png"));
  EXPECT_EQ(*service::withdrawPublishedCopies(queue_->database(), folders_, log_), 0);
}

}  // namespace
}  // namespace consentguard::testing
