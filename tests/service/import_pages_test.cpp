// Importing the register and keeping reference photos in the browser, against the real
// service: the CSV preview says what would change and changes nothing, a file with bad rows is
// refused whole with every bad line, confirming imports it; reference photos are enrolled with
// a plain reason for each refused one, shown only to the admin, removed, and enrolled again.
#include "consentguard/image/image_loader.h"
#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

const std::string kHeader =
    "id,role,given_name,family_name,no_photo,consent_website,consent_newsletter,"
    "consent_social_media,biometric_consent,preferred_name,year_group,consent_expires\n";

std::string fileText(const fs::path& path) {
  auto bytes = image::readFileBytes(path);
  return bytes ? std::string(bytes->begin(), bytes->end()) : std::string();
}

class ImportPagesTest : public ReviewServiceTest {
 protected:
  std::int64_t count(const std::string& sql) {
    auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
    EXPECT_TRUE(db.ok());
    auto stmt = (*db)->prepare(sql);
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(stmt->step().ok());
    return stmt->integer(0);
  }
  std::int64_t amyHasWebsiteConsent() {
    return count("SELECT count(*) FROM consent WHERE person_id = 'P001' AND channel = "
                 "'website' AND status = 'granted'");
  }
};

TEST_F(ImportPagesTest, APreviewChangesNothingABadFileIsRefusedWholeAndConfirmingImports) {
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  EXPECT_EQ(office.get("/import").status, 403);
  Browser admin(port_);
  ASSERT_EQ(admin.signIn("ada.admin", kPassword).status, 303);
  const Page form = admin.get("/import");
  ASSERT_EQ(form.status, 200);
  const std::string csrf = Browser::csrfIn(form.body);
  ASSERT_FALSE(csrf.empty());
  EXPECT_EQ(admin.upload("/import", {}, "csv", "mis.csv", kHeader).status, 403)
      << "no CSRF token, no preview";

  // Two bad lines: both are named, and nothing changes.
  const std::string bad = kHeader +
                          "P001,pupil,Amy,Fowler,no,no,yes,yes,yes,,6,\n"
                          "P009,pupil,Zack,,no,maybe,yes,yes,no,,6,\n"
                          "P010,teacher,Will,Wheaton,no,yes,yes,yes,no,,,\n";
  const Page refused = admin.upload("/import", {{"csrf", csrf}}, "csv", "mis.csv", bad);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("Nothing was changed"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("Line 3: family_name is empty."), std::string::npos);
  EXPECT_NE(refused.body.find("Line 3: consent_website must be yes or no, not &#39;maybe&#39;."),
            std::string::npos)
      << refused.body;
  EXPECT_NE(refused.body.find("Line 4: role must be pupil or staff"), std::string::npos);
  EXPECT_EQ(amyHasWebsiteConsent(), 1);

  // A good file: the preview lists the withdrawal and the newcomer, and changes nothing.
  const std::string good = kHeader +
                           "P001,pupil,Amy,Fowler,no,no,yes,yes,yes,,6,\n"
                           "P009,pupil,Zack,Johnson,no,yes,no,no,no,,6,\n";
  const Page preview = admin.upload("/import", {{"csrf", csrf}}, "csv", "mis.csv", good);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_NE(preview.body.find("Nothing has changed yet"), std::string::npos);
  EXPECT_NE(preview.body.find("consent for website withdrawn"), std::string::npos);
  EXPECT_NE(preview.body.find("Zack Johnson (P009)"), std::string::npos);
  // The preview's counts are the ones the import then reports (issue 22).
  EXPECT_NE(preview.body.find("1 to add, 1 to change, 0 already up to date, 1 consent(s) withdrawn"),
            std::string::npos)
      << preview.body;
  EXPECT_EQ(amyHasWebsiteConsent(), 1);
  EXPECT_EQ(count("SELECT count(*) FROM people WHERE id = 'P009'"), 0);
  const std::string action = "action=\"/import/";
  const size_t at = preview.body.find(action);
  ASSERT_NE(at, std::string::npos);
  const std::string confirm =
      "/import/" + preview.body.substr(at + action.size(),
                                       preview.body.find('"', at + action.size()) - at -
                                           action.size());
  // Without the session's token nothing happens.
  EXPECT_EQ(admin.post(confirm, {{"do", "confirm"}}).status, 403);
  const Page done = admin.post(confirm, {{"csrf", csrf}, {"do", "confirm"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_NE(done.body.find("1 added, 1 updated, 0 already up to date, 1 consent(s) withdrawn"), std::string::npos)
      << done.body;
  EXPECT_EQ(amyHasWebsiteConsent(), 0);
  EXPECT_EQ(count("SELECT count(*) FROM people WHERE id = 'P009'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'register_imported' AND actor "
                  "= 'user:ada.admin'"),
            1);
  EXPECT_EQ(admin.post(confirm, {{"csrf", csrf}, {"do", "confirm"}}).status, 404)
      << "a preview is used once";
}

TEST_F(ImportPagesTest, ReferencePhotosAreEnrolledShownOnlyToTheAdminRemovedAndEnrolledAgain) {
  Browser admin(port_);
  ASSERT_EQ(admin.signIn("ada.admin", kPassword).status, 303);
  const Page page = admin.get("/register/P007");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("No reference photos are kept"), std::string::npos);
  const std::string csrf = Browser::csrfIn(page.body);
  const Page sent = admin.uploadFiles(
      "/register/P007/reference", {{"csrf", csrf}}, "photo",
      {{"sheldon1.png", fileText(testdata("identities/sheldon/sheldon1.png"))},
       {"party.jpg", fileText(testdata("groups/bbt1.jpg"))},
       {"notes.png", "not a photo at all"}});
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_NE(sent.body.find("1 of 3 photo(s) enrolled"), std::string::npos) << sent.body;
  EXPECT_NE(sent.body.find("A reference photo must show only the one person."),
            std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM reference_photos WHERE person_id = 'P007'"), 1);
  // Reloading the answer's address (a GET) leads back to the person, not to "Page not found".
  const Page reloaded = admin.get("/register/P007/reference");
  EXPECT_EQ(reloaded.status, 303);
  EXPECT_EQ(reloaded.location, "/register/P007#reference");
  const std::int64_t photo =
      count("SELECT id FROM reference_photos WHERE person_id = 'P007'");
  const std::string image = "/register/P007/reference/" + std::to_string(photo) + ".jpg";
  const Page shown = admin.get("/register/P007");
  EXPECT_NE(shown.body.find(image), std::string::npos) << shown.body;
  EXPECT_NE(shown.body.find("Yes, remove this photo and its template"), std::string::npos)
      << "removing is confirmed first";
  const Page jpeg = admin.get(image);
  EXPECT_EQ(jpeg.status, 200);
  EXPECT_EQ(jpeg.body.substr(0, 3), "\xFF\xD8\xFF");
  // The DSL sees the register but not the photos; Penny (no biometric consent) cannot be enrolled.
  Browser dsl(port_);
  ASSERT_EQ(dsl.signIn("dee.dsl", kPassword).status, 303);
  EXPECT_EQ(dsl.get(image).status, 403);
  EXPECT_EQ(dsl.get("/register/P007").body.find(image), std::string::npos);
  const Page penny = admin.uploadFiles("/register/P005/reference", {{"csrf", csrf}}, "photo",
                                       {{"penny1.png", fileText(testdata(
                                                           "identities/penny/penny1.png"))}});
  EXPECT_EQ(penny.status, 400);
  EXPECT_NE(penny.body.find("no biometric consent"), std::string::npos);

  const std::int64_t before = count("SELECT count(*) FROM templates WHERE person_id = 'P007'");
  const Page again = admin.post("/re-enrol", {{"csrf", csrf}});
  ASSERT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("Made 1 face template(s) again for 1 person(s)"), std::string::npos)
      << again.body;
  EXPECT_EQ(count("SELECT count(*) FROM templates WHERE person_id = 'P007'"), before);
  const Page removed = admin.post(
      "/register/P007/reference/" + std::to_string(photo) + "/remove", {{"csrf", csrf}});
  EXPECT_EQ(removed.status, 303);
  EXPECT_EQ(count("SELECT count(*) FROM reference_photos"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM templates WHERE person_id = 'P007'"), before - 1);
  EXPECT_EQ(admin.get(image).status, 404);
}

}  // namespace
}  // namespace consentguard::testing
