// The /takedowns page, against the real service: a withdrawal lists the published photo for the
// office, with every value escaped; "done" needs the session's CSRF token; an old takedown is
// overdue and the DSL is told.
#include "consentguard/queue/takedowns.h"
#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

class TakedownPagesTest : public ReviewServiceTest {};

TEST_F(TakedownPagesTest, TheOfficeSeesWhatToRemoveAndMarksItDone) {
  // Amy (consent) is published under a name a browser must not take as markup.
  const std::string id =
      submitAndWait(*image::readFileBytes(probePhoto("amy")), "<b>sports</b> & day.png");
  ASSERT_EQ(verdictOf(id), "publish");
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

  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  ASSERT_TRUE(db.ok());
  auto open = queue::openTakedowns(**db);
  ASSERT_TRUE(open.ok() && open->size() == 1u);
  const std::string done = "/takedowns/" + std::to_string(open->at(0).id) + "/done";

  // Two days later it is overdue, and the DSL is told.
  ASSERT_TRUE((*db)->execute("UPDATE takedowns SET since = strftime('%Y-%m-%dT%H:%M:%SZ', "
                             "'now', '-3 days')")
                  .ok());
  EXPECT_NE(office.get("/takedowns").body.find("class=\"overdue\""), std::string::npos);
  Browser dsl(port_);
  ASSERT_EQ(dsl.signIn("dee.dsl", kPassword).status, 303);
  const Page incidents = dsl.get("/incidents");
  EXPECT_NE(incidents.body.find("id=\"overdue-takedowns\""), std::string::npos) << incidents.body;

  // Done needs the session's own token.
  EXPECT_EQ(office.post(done, {}).status, 403);
  EXPECT_EQ(office.post(done, {{"csrf", Browser::csrfIn(dsl.get("/takedowns").body)}}).status,
            403);
  EXPECT_EQ(queue::openTakedowns(**db)->size(), 1u);
  const Page marked = office.post(done, {{"csrf", Browser::csrfIn(page.body)}});
  EXPECT_EQ(marked.status, 303) << marked.body;
  page = office.get("/takedowns?done=" + std::to_string(open->at(0).id));
  EXPECT_NE(page.body.find("is marked done"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Nothing needs taking down"), std::string::npos);
  EXPECT_TRUE(queue::openTakedowns(**db)->empty());
  EXPECT_EQ(dsl.get("/incidents").body.find("id=\"overdue-takedowns\""), std::string::npos);

  // Signed out, the page is not shown.
  Browser stranger(port_);
  EXPECT_NE(stranger.get("/takedowns").status, 200);
}

}  // namespace
}  // namespace consentguard::testing
