// Faces named in review, offered as reference photos (issue 21, part 4), end to end against the
// real service: a senior leader identifies a pupil's face, or approves a photo that names one;
// the admin sees the face on the pupil's page (and a count on the register page) and adds it
// (the reference checks apply: a refused face keeps nothing) or turns it down; only the admin
// may; a pupil without biometric consent is never offered. Every step is audited.
#include "consentguard/queue/offered_faces.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

class OfferedFacesTest : public ReviewServiceTest {
 protected:
  // Raj, Leonard, Howard and Sheldon, the people in bbt1.jpg, have no templates, so every face
  // in it is unknown and the photo is held for a senior leader to identify. The website allows
  // groups, so that only the unknown faces hold a photo.
  void prepareRegister(reg::Database& db) override {
    ASSERT_TRUE(
        db.execute("DELETE FROM templates WHERE person_id IN ('P003', 'P004', 'P006', 'P007')")
            .ok());
  }
  std::string configText() override {
    return "policy.device_check = false\nfolders.scan_seconds = 0.2\n"
           "policy.channel.website.max_children = 10\n";
  }

  std::unique_ptr<reg::RegisterStore> store() {
    auto opened = reg::RegisterStore::open(data_ / "consentguard.db");
    EXPECT_TRUE(opened.ok());
    return std::move(opened.value());
  }
  std::vector<queue::OfferedFace> offersFor(const std::string& person) {
    auto offers = queue::openOffers(store()->database(), person);
    EXPECT_TRUE(offers.ok());
    return offers ? *offers : std::vector<queue::OfferedFace>{};
  }
  size_t referencePhotosOf(const std::string& person) {
    return store()->referencePhotos(person).value().size();
  }
  int templatesOf(const std::string& person) { return store()->templateCount(person).value(); }
  long countOf(const std::string& action) {
    const auto actions = auditActions();
    return std::count(actions.begin(), actions.end(), action);
  }

  // The boxes of the faces a senior leader may identify on a held photo's page.
  static std::vector<queue::FaceBox> unknownFaces(const std::string& html) {
    std::vector<queue::FaceBox> boxes;
    const std::string field = "name=\"face\" value=\"";
    for (size_t at = html.find(field); at != std::string::npos; at = html.find(field, at + 1)) {
      const size_t from = at + field.size();
      if (auto box = queue::parseBoxKey(html.substr(from, html.find('"', from) - from))) {
        boxes.push_back(*box);
      }
    }
    return boxes;
  }

  // Signs in as the senior leader and names the face at `box` in held photo `id` as `person`.
  void identify(const std::string& id, const queue::FaceBox& box, const std::string& person) {
    Browser slt(port_);
    ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
    const Page page = slt.get("/review/" + id);
    const Page done = slt.post(
        "/review/" + id + "/identify",
        {{"csrf", Browser::csrfIn(page.body)}, {"face", queue::boxKey(box)}, {"person", person}});
    ASSERT_EQ(done.status, 303) << done.body;
    waitUntilChecked(id);
  }

  // A person's face photo, shrunk to `side` px and set in a plain 480 x 360 picture, as a PNG.
  static std::vector<std::uint8_t> smallFace(const std::string& person, int side) {
    cv::Mat face = cv::imread(probePhoto(person).string());
    cv::resize(face, face, cv::Size(side, side), 0, 0, cv::INTER_AREA);
    cv::Mat scene(360, 480, CV_8UC3, cv::Scalar(200, 200, 200));
    face.copyTo(scene(cv::Rect(190, 120, side, side)));
    std::vector<uchar> png;
    cv::imencode(".png", scene, png);
    return {png.begin(), png.end()};
  }
};

TEST_F(OfferedFacesTest, AnIdentifiedFaceIsOfferedAndTheAdminAddsItToTheReferencePhotos) {
  const std::string id =
      submitAndWait(*image::readFileBytes(testdata("groups/bbt1.jpg")), "bbt1.jpg");
  ASSERT_EQ(verdictOf(id), "review") << jobOf(id)->result_json;
  {
    Browser slt(port_);
    ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
    const auto faces = unknownFaces(slt.get("/review/" + id).body);
    ASSERT_EQ(faces.size(), 4u) << "Raj, Leonard, Howard and Sheldon, all unknown";
    // Sheldon stands on the right (labels.json).
    const auto sheldon = *std::max_element(faces.begin(), faces.end(),
                                           [](const auto& a, const auto& b) { return a.x < b.x; });
    identify(id, sheldon, "P007");
  }
  const auto offers = offersFor("P007");
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].job_id, id);
  EXPECT_EQ(offers[0].how, "identified");
  EXPECT_EQ(offers[0].offered_by, "user:sam.slt");
  EXPECT_EQ(countOf("reference_face_offered"), 1);
  const std::string base = "/register/P007/offered/" + std::to_string(offers[0].id);

  // The admin sees the count on the register page, and the face on Sheldon's page.
  Browser admin(port_);
  ASSERT_EQ(admin.signIn("ada.admin", kPassword).status, 303);
  const Page list = admin.get("/register");
  EXPECT_NE(list.body.find("id=\"offered-notice\""), std::string::npos) << list.body;
  EXPECT_NE(list.body.find("href=\"/register/P007#offered\""), std::string::npos);
  const Page page = admin.get("/register/P007");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("action=\"" + base + "/add\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("action=\"" + base + "/decline\""), std::string::npos);
  EXPECT_NE(page.body.find("src=\"" + base + ".jpg\""), std::string::npos);
  const Page face = admin.get(base + ".jpg");
  ASSERT_EQ(face.status, 200);
  EXPECT_EQ(face.content_type, "image/jpeg");
  const cv::Mat shown =
      cv::imdecode(std::vector<uchar>(face.body.begin(), face.body.end()), cv::IMREAD_COLOR);
  ASSERT_FALSE(shown.empty());
  EXPECT_EQ(checkEngine().analyse(shown).size(), 1u) << "only Sheldon's face is shown";

  // Only the admin: the senior leader and the DSL are refused, even with their own token.
  Browser slt(port_), dsl(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  ASSERT_EQ(dsl.signIn("dee.dsl", kPassword).status, 303);
  EXPECT_EQ(dsl.get(base + ".jpg").status, 403);
  EXPECT_EQ(slt.post(base + "/add", {{"csrf", Browser::csrfIn(slt.get("/review").body)}}).status,
            403);
  EXPECT_EQ(dsl.post(base + "/add", {{"csrf", Browser::csrfIn(dsl.get("/register").body)}}).status,
            403);
  EXPECT_EQ(admin.post(base + "/add", {{"csrf", "forged"}}).status, 403);
  EXPECT_EQ(referencePhotosOf("P007"), 0u);
  EXPECT_EQ(templatesOf("P007"), 0);

  const Page added = admin.post(base + "/add", {{"csrf", Browser::csrfIn(page.body)}});
  ASSERT_EQ(added.status, 303) << added.body;
  const Page after = admin.get(added.location);
  EXPECT_NE(after.body.find("Added to Sheldon Cooper"), std::string::npos) << after.body;
  EXPECT_EQ(after.body.find("action=\"" + base + "/add\""), std::string::npos);
  // One more reference photo, and a template made from it, dated and named from the photo.
  const auto kept = store()->referencePhotos("P007").value();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].source, "bbt1.jpg");
  EXPECT_EQ(kept[0].added_by, "user:ada.admin");
  EXPECT_EQ(templatesOf("P007"), 1);
  EXPECT_TRUE(offersFor("P007").empty());
  EXPECT_EQ(countOf("reference_photo_added"), 1);
  EXPECT_EQ(countOf("reference_face_added"), 1);
  // Added once: a second press finds nothing offered.
  EXPECT_EQ(admin.post(base + "/add", {{"csrf", Browser::csrfIn(page.body)}}).status, 409);
  EXPECT_EQ(referencePhotosOf("P007"), 1u);

  // The kept photo is Sheldon alone, and his one template is made from it.
  auto photo = store()->referencePhoto(kept[0].id).value();
  ASSERT_TRUE(photo.has_value());
  auto decoded = image::decodeImage(photo->jpeg);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(checkEngine().analyse(decoded->rgb).size(), 1u);
  auto templates = store()->templates();
  ASSERT_TRUE(templates.ok());
  int fromIt = 0;
  for (const auto& t : *templates) {
    fromIt += t.person_id == "P007" && t.source == "bbt1.jpg";
  }
  EXPECT_EQ(fromIt, 1);
}

TEST_F(OfferedFacesTest, AFaceThatFailsTheReferenceChecksIsRefusedAndCanBeTurnedDown) {
  const std::string id = submitAndWait(smallFace("sheldon", 80), "small.png");
  ASSERT_EQ(verdictOf(id), "review") << jobOf(id)->result_json;
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  const auto faces = unknownFaces(slt.get("/review/" + id).body);
  ASSERT_EQ(faces.size(), 1u);
  identify(id, faces[0], "P007");
  const auto offers = offersFor("P007");
  ASSERT_EQ(offers.size(), 1u);
  const std::string base = "/register/P007/offered/" + std::to_string(offers[0].id);

  Browser admin(port_);
  ASSERT_EQ(admin.signIn("ada.admin", kPassword).status, 303);
  const Page page = admin.get("/register/P007");
  const Page refused = admin.post(base + "/add", {{"csrf", Browser::csrfIn(page.body)}});
  EXPECT_EQ(refused.status, 422) << queue::boxKey(faces[0]) << refused.body;
  EXPECT_NE(refused.body.find("too small"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("Nothing was kept."), std::string::npos);
  // Nothing is stored, and the offer stays for the admin to turn down.
  EXPECT_EQ(referencePhotosOf("P007"), 0u);
  EXPECT_EQ(templatesOf("P007"), 0);
  EXPECT_EQ(countOf("reference_photo_added"), 0);
  EXPECT_EQ(offersFor("P007").size(), 1u);

  // "Not this one": the offer goes, audited, and is not offered again.
  EXPECT_EQ(
      slt.post(base + "/decline", {{"csrf", Browser::csrfIn(slt.get("/review").body)}}).status,
      403);
  const Page declined = admin.post(base + "/decline", {{"csrf", Browser::csrfIn(page.body)}});
  ASSERT_EQ(declined.status, 303) << declined.body;
  const Page after = admin.get(declined.location);
  EXPECT_NE(after.body.find("Turned down"), std::string::npos) << after.body;
  EXPECT_EQ(after.body.find("id=\"offered-faces\""), std::string::npos);
  EXPECT_TRUE(offersFor("P007").empty());
  EXPECT_EQ(countOf("reference_face_declined"), 1);
  EXPECT_EQ(admin.get("/register").body.find("id=\"offered-notice\""), std::string::npos);
  EXPECT_EQ(admin.post(base + "/decline", {{"csrf", Browser::csrfIn(page.body)}}).status, 409);
}

TEST_F(OfferedFacesTest, ApprovingOffersNamedPupilsButNeverOneWithoutBiometricConsent) {
  // Amy is recognised; Penny, without biometric consent, is unknown, so the photo is held.
  cv::Mat amy = cv::imread(probePhoto("amy").string());
  cv::Mat penny = cv::imread(probePhoto("penny").string());
  cv::resize(penny, penny, cv::Size(penny.cols * amy.rows / penny.rows, amy.rows));
  cv::Mat both;
  cv::hconcat(amy, penny, both);
  std::vector<uchar> png;
  cv::imencode(".png", both, png);
  const std::string pair = submitAndWait({png.begin(), png.end()}, "pair.png");
  ASSERT_EQ(verdictOf(pair), "review") << jobOf(pair)->result_json;
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  const Page page = slt.get("/review/" + pair);
  const Page approved =
      slt.post("/review/" + pair + "/approve", {{"csrf", Browser::csrfIn(page.body)}});
  ASSERT_EQ(approved.status, 303) << approved.body;
  // Approving confirms the faces it names: Amy's is offered; Penny's face was named by nobody.
  const auto amyOffers = offersFor("P001");
  ASSERT_EQ(amyOffers.size(), 1u);
  EXPECT_EQ(amyOffers[0].how, "approved");
  EXPECT_EQ(amyOffers[0].job_id, pair);
  EXPECT_TRUE(offersFor("P005").empty());

  // Penny identified by a senior leader: her photo is published, but she has no biometric
  // consent, so her face is not offered as a reference photo.
  const std::string alone = heldPhoto();
  const auto faces = unknownFaces(slt.get("/review/" + alone).body);
  ASSERT_EQ(faces.size(), 1u);
  identify(alone, faces[0], "P005");
  EXPECT_EQ(verdictOf(alone), "publish") << jobOf(alone)->result_json;
  EXPECT_TRUE(offersFor("P005").empty());
  EXPECT_EQ(countOf("reference_face_offered"), 1) << "Amy's only";
  Browser admin(port_);
  ASSERT_EQ(admin.signIn("ada.admin", kPassword).status, 303);
  EXPECT_EQ(admin.get("/register/P005").body.find("id=\"offered-faces\""), std::string::npos);
  EXPECT_NE(admin.get("/register/P001").body.find("id=\"offered-faces\""), std::string::npos);
}

}  // namespace
}  // namespace consentguard::testing
