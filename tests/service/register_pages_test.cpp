// The register pages, against the real service: who may open them, search and filters, a
// pupil's page, a withdrawal that takes down the pupil's published photo, and the restricted
// no-photo note only the DSL sees.
#include "consentguard/common/dates.h"
#include "consentguard/queue/takedowns.h"
#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

class RegisterPagesTest : public ReviewServiceTest {
 protected:
  void prepareRegister(reg::Database& db) override {
    ASSERT_TRUE(db.execute("UPDATE people SET no_photo_note = 'Court order, see file 12' WHERE "
                           "id = 'P003'")
                    .ok());
  }
};

TEST_F(RegisterPagesTest, OnlyTheAdminAndTheDslOpenTheRegister) {
  for (const std::string name : {"olive.office", "sam.slt"}) {
    Browser b(port_);
    ASSERT_EQ(b.signIn(name, kPassword).status, 303);
    EXPECT_EQ(b.get("/register").status, 403) << name;
    EXPECT_EQ(b.get("/register/P001").status, 403) << name;
    EXPECT_EQ(b.get("/photos").body.find("href=\"/register\""), std::string::npos) << name;
  }
  Browser admin(port_);
  ASSERT_EQ(admin.signIn("ada.admin", kPassword).status, 303);
  const Page all = admin.get("/register");
  ASSERT_EQ(all.status, 200);
  EXPECT_NE(all.body.find("8 of 8 people"), std::string::npos) << all.body;
  const Page found = admin.get("/register?q=FOW");
  EXPECT_NE(found.body.find("1 of 8 people"), std::string::npos);
  EXPECT_NE(found.body.find("data-id=\"P001\""), std::string::npos);
  const Page noPhoto = admin.get("/register?no_photo=1");
  EXPECT_NE(noPhoto.body.find("1 of 8 people"), std::string::npos);
  EXPECT_NE(noPhoto.body.find("data-id=\"P003\""), std::string::npos);
  const Page noWebsite = admin.get("/register?channel=website&consent=no");
  EXPECT_NE(noWebsite.body.find("data-id=\"P004\""), std::string::npos) << "Leonard";
  EXPECT_EQ(noWebsite.body.find("data-id=\"P001\""), std::string::npos);
  const Page unenrolled = admin.get("/register?enrolled=no");
  EXPECT_NE(unenrolled.body.find("data-id=\"P005\""), std::string::npos) << "Penny";
  EXPECT_EQ(admin.get("/register/NOBODY").status, 404);
}

TEST_F(RegisterPagesTest, WithdrawingConsentTakesDownThePublishedPhotoAndIsInTheHistory) {
  const std::string id = submitAndWait(*image::readFileBytes(probePhoto("amy")), "amy.png");
  ASSERT_EQ(verdictOf(id), "publish");
  Browser admin(port_);
  ASSERT_EQ(admin.signIn("ada.admin", kPassword).status, 303);
  const Page page = admin.get("/register/P001");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Amy Fowler"), std::string::npos);
  EXPECT_NE(page.body.find("data-channel=\"website\""), std::string::npos);
  EXPECT_EQ(page.body.find("Restricted note"), std::string::npos);
  // Words for people (issue 22): the year once, channels by name, a labelled biometric control.
  EXPECT_EQ(page.body.find(", year Year"), std::string::npos);
  EXPECT_NE(page.body.find("<td>Social media</td>"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find(">social_media<"), std::string::npos);
  EXPECT_NE(page.body.find("<label for=\"biometric-choice\">"), std::string::npos);
  EXPECT_LT(page.body.find("id=\"biometric\""), page.body.find("Reference photos"))
      << "the biometric control comes before the enrolment form";
  const std::string csrf = Browser::csrfIn(page.body);
  EXPECT_EQ(admin.post("/register/P001/consent", {{"channel", "website"}, {"granted", "no"}})
                .status,
            403)
      << "without the session's token nothing changes";
  // Withdrawing takes a confirm step: one click only opens it, and changes nothing (issue 22).
  const std::string confirmUrl = "/register/P001/withdraw?channel=website";
  EXPECT_NE(page.body.find("action=\"/register/P001/withdraw\""), std::string::npos);
  const Page unconfirmed = admin.post(
      "/register/P001/consent", {{"csrf", csrf}, {"channel", "website"}, {"granted", "no"}});
  EXPECT_EQ(unconfirmed.status, 303);
  EXPECT_EQ(unconfirmed.location, confirmUrl);
  const Page confirm = admin.get(confirmUrl);
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  EXPECT_NE(confirm.body.find("Yes, withdraw consent"), std::string::npos) << confirm.body;
  EXPECT_NE(confirm.body.find("href=\"/register/P001\">Cancel"), std::string::npos);
  EXPECT_NE(admin.get("/register/P001").body.find("given"), std::string::npos);
  EXPECT_EQ(queue::openTakedowns(**reg::openRegisterDatabase(data_ / "consentguard.db"), "website")
                ->size(),
            0u)
      << "nothing is withdrawn before the confirm step";
  const Page withdrawn = admin.post("/register/P001/consent", {{"csrf", csrf},
                                                               {"channel", "website"},
                                                               {"granted", "no"},
                                                               {"confirmed", "yes"}});
  EXPECT_EQ(withdrawn.status, 303) << withdrawn.body;
  const Page after = admin.get("/register/P001?saved=1");
  EXPECT_NE(after.body.find("Takedowns page"), std::string::npos);
  // The history in sentences, without codes or JSON.
  EXPECT_NE(after.body.find("Consent for Website withdrawn (was given)."), std::string::npos)
      << after.body;
  EXPECT_EQ(after.body.find("consent_changed"), std::string::npos);
  EXPECT_EQ(after.body.find("user:ada.admin"), std::string::npos);
  EXPECT_EQ(after.body.find("&quot;status&quot;"), std::string::npos) << "no JSON";
  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  ASSERT_TRUE(db.ok());
  auto open = queue::openTakedowns(**db, "website");
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->at(0).photo, id);
  EXPECT_EQ(open->at(0).reason, "consent_withdrawn");
  // The office sees it on the takedowns page.
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  EXPECT_NE(office.get("/takedowns").body.find("data-photo=\"" + id + "\""), std::string::npos);
  // An unknown channel and a bad date are refused with a reason.
  EXPECT_EQ(admin.post("/register/P001/consent", {{"csrf", csrf}, {"channel", "tv"}}).status, 400);
  EXPECT_EQ(admin.post("/register/P001/consent", {{"csrf", csrf},
                                                  {"channel", "website"},
                                                  {"granted", "yes"},
                                                  {"expires_on", "2027-02-30"}})
                .status,
            400);
}

TEST_F(RegisterPagesTest, OnlyTheDslSeesTheRestrictedNoteAndAnAdminChangeKeepsIt) {
  Browser dsl(port_), admin(port_);
  ASSERT_EQ(dsl.signIn("dee.dsl", kPassword).status, 303);
  ASSERT_EQ(admin.signIn("ada.admin", kPassword).status, 303);
  const Page seen = dsl.get("/register/P003");
  EXPECT_NE(seen.body.find("Court order, see file 12"), std::string::npos);
  const Page hidden = admin.get("/register/P003");
  EXPECT_EQ(hidden.body.find("Court order"), std::string::npos);
  // The DSL may change the no-photo list but nothing else.
  EXPECT_EQ(dsl.post("/register/P001/consent", {{"csrf", Browser::csrfIn(seen.body)},
                                                {"channel", "website"},
                                                {"granted", "no"}})
                .status,
            403);
  // The admin saves Howard's entry (a note field sent anyway is ignored): the note is kept.
  const std::string csrf = Browser::csrfIn(hidden.body);
  EXPECT_EQ(admin.post("/register/P003/no-photo",
                       {{"csrf", csrf}, {"no_photo", "1"}, {"note", "overwritten"}})
                .status,
            303);
  auto store = reg::RegisterStore::open(data_ / "consentguard.db");
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->noPhotoNote("P003"), "Court order, see file 12");
  EXPECT_TRUE((**(*store)->findPerson("P003")).no_photo);
  // Taken off the list, the note goes with the flag.
  EXPECT_EQ(admin.post("/register/P003/no-photo", {{"csrf", csrf}}).status, 303);
  EXPECT_FALSE((**(*store)->findPerson("P003")).no_photo);
  EXPECT_EQ(*(*store)->noPhotoNote("P003"), "");
}

// Raj's reference photos are 13 months old; one of Amy's was also enrolled, by mistake, for
// Bernadette, so that the two sit closer together than the thresholds allow.
class RegisterNoticesTest : public ReviewServiceTest {
 protected:
  void prepareRegister(reg::Database& db) override {
    ASSERT_TRUE(db.execute("UPDATE templates SET photo_date = ? WHERE person_id = 'P006'",
                           {monthsBefore(todayIso(), 13)})
                    .ok());
    auto store = reg::RegisterStore::open(data_ / "consentguard.db");
    ASSERT_TRUE(store.ok());
    auto templates = (*store)->templates();
    ASSERT_TRUE(templates.ok());
    for (const auto& t : *templates) {
      if (t.person_id != "P001") continue;
      ASSERT_TRUE(
          (*store)->addTemplate("P002", t.descriptor, "amy-by-mistake.png", t.pipeline).ok());
      break;
    }
  }
};

TEST_F(RegisterNoticesTest, TheRegisterPageNamesWhomToPhotographAgainAndWhoLooksAlike) {
  for (const std::string name : {"ada.admin", "dee.dsl"}) {
    Browser b(port_);
    ASSERT_EQ(b.signIn(name, kPassword).status, 303);
    const Page page = b.get("/register");
    ASSERT_EQ(page.status, 200);
    const auto stale = page.body.find("id=\"stale-notice\"");
    ASSERT_NE(stale, std::string::npos) << page.body;
    const std::string notice = page.body.substr(stale, page.body.find("</div>", stale) - stale);
    EXPECT_NE(notice.find("To photograph again (1)"), std::string::npos) << notice;
    EXPECT_NE(notice.find("<li data-id=\"P006\"><a href=\"/register/P006\">Raj Koothrappali</a>: "
                          "newest reference photo taken " + monthsBefore(todayIso(), 13)),
              std::string::npos)
        << notice;
    const auto alike = page.body.find("id=\"lookalike-notice\"");
    ASSERT_NE(alike, std::string::npos) << page.body;
    const std::string warning = page.body.substr(alike, page.body.find("</div>", alike) - alike);
    EXPECT_NE(warning.find("Amy Fowler (P001) and Bernie Rostenkowski (P002) look so alike"),
              std::string::npos)
        << warning;
    EXPECT_NE(warning.find("check that they really are different people"), std::string::npos);
    EXPECT_EQ(warning.find("0."), std::string::npos) << "no raw distances on a page";
  }
}

}  // namespace
}  // namespace consentguard::testing
