// The decisions on the review page, end to end against the real service: identifying an
// unknown face (the photo is checked again; no template is made from it),
// publishing a copy with faces covered (solid, checked again by the detector), and a second
// decision on a photo already decided.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "consentguard/image/sanitiser.h"
#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

class ReviewActionsTest : public ReviewServiceTest {
 protected:
  // Sheldon has biometric consent but no templates yet, so his face is unknown until SLT
  // identify it.
  void prepareRegister(reg::Database& db) override {
    ASSERT_TRUE(db.execute("DELETE FROM templates WHERE person_id = 'P007'").ok());
  }

  int templatesOf(const std::string& person) {
    auto store = reg::RegisterStore::open(data_ / "consentguard.db");
    return (*store)->templateCount(person).value();
  }

  // The value of the first hidden "face" field on a page (the unknown face's box).
  static std::string faceField(const std::string& html) {
    const std::string field = "name=\"face\" value=\"";
    const size_t start = html.find(field);
    if (start == std::string::npos) return "";
    const size_t from = start + field.size();
    return html.substr(from, html.find('"', from) - from);
  }

  // Two face crops side by side, as a PNG.
  static std::vector<std::uint8_t> sideBySide(const std::string& left, const std::string& right) {
    cv::Mat a = cv::imread(probePhoto(left).string()), b = cv::imread(probePhoto(right).string());
    cv::resize(b, b, cv::Size(b.cols * a.rows / b.rows, a.rows));
    cv::Mat both;
    cv::hconcat(a, b, both);
    std::vector<uchar> png;
    cv::imencode(".png", both, png);
    return {png.begin(), png.end()};
  }
};

TEST_F(ReviewActionsTest, IdentifyingAFaceChecksAgainAndNeverKeepsATemplate) {
  const std::string sheldon =
      submitAndWait(*image::readFileBytes(probePhoto("sheldon")), "sheldon.png");
  const std::string penny = heldPhoto();
  ASSERT_EQ(verdictOf(sheldon), "review") << "no templates: Sheldon is unknown";
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);

  for (const auto& [id, person] : {std::pair{sheldon, "P007"}, std::pair{penny, "P005"}}) {
    const Page page = slt.get("/review/" + id);
    const std::string face = faceField(page.body);
    ASSERT_FALSE(face.empty()) << page.body;
    const Page identified =
        slt.post("/review/" + id + "/identify",
                 {{"csrf", Browser::csrfIn(page.body)}, {"face", face}, {"person", person}});
    EXPECT_EQ(identified.status, 303) << identified.body;
  }
  waitUntilChecked(sheldon);
  waitUntilChecked(penny);
  // Both have consent for the website: identified, their photos pass every rule.
  EXPECT_EQ(verdictOf(sheldon), "publish") << jobOf(sheldon)->result_json;
  EXPECT_EQ(verdictOf(penny), "publish") << jobOf(penny)->result_json;
  EXPECT_NE(jobOf(penny)->result_json.find("\"identified_by_slt\":true"), std::string::npos);
  // Templates come only from enrolment: none is made from a submitted photo, with or without
  // biometric consent (Sheldon has it, Penny has not).
  EXPECT_EQ(templatesOf("P007"), 0);
  EXPECT_EQ(templatesOf("P005"), 0);
  EXPECT_TRUE(fs::is_empty(data_ / "held"));
  const auto actions = auditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "face_identified"), 2);
}

TEST_F(ReviewActionsTest, ACoveredCopyHidesTheFaceCompletelyAndIsCheckedAgain) {
  const auto original = sideBySide("stuart", "penny");
  const std::string id = submitAndWait(original, "assembly.png");
  ASSERT_EQ(verdictOf(id), "review") << "Penny's face is unknown (Stuart is staff, so one child)";
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  const Page page = slt.get("/review/" + id);
  const std::string pennyBox = faceField(page.body);
  auto box = queue::parseBoxKey(pennyBox);
  ASSERT_TRUE(box.has_value()) << pennyBox;

  // Stuart's face was recognised: it cannot be renamed as someone else.
  const std::string cover = "name=\"cover\" value=\"";
  std::string stuartBox;
  for (size_t at = page.body.find(cover); at != std::string::npos;
       at = page.body.find(cover, at + 1)) {
    const size_t from = at + cover.size();
    const std::string key = page.body.substr(from, page.body.find('"', from) - from);
    if (key != pennyBox) stuartBox = key;
  }
  ASSERT_FALSE(stuartBox.empty()) << page.body;
  EXPECT_EQ(
      slt.post("/review/" + id + "/identify",
               {{"csrf", Browser::csrfIn(page.body)}, {"face", stuartBox}, {"person", "P001"}})
          .status,
      400);
  EXPECT_EQ(verdictOf(id), "review");

  const Page redacted =
      slt.post("/review/" + id + "/redact", {{"csrf", Browser::csrfIn(page.body)}});
  EXPECT_EQ(redacted.status, 303) << redacted.body;
  auto job = jobOf(id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->verdict, "publish");
  EXPECT_EQ(job->decision.decision, "redacted");
  const fs::path published = data_ / "outbox" / "website" / "assembly.jpg";
  ASSERT_TRUE(fs::exists(published));
  auto bytes = image::readFileBytes(published);
  EXPECT_TRUE(image::verifyClean(*bytes).ok());

  // The covered area is solid black, not blurred: nothing of the face is left.
  auto copy = image::decodeImage(*bytes);
  ASSERT_TRUE(copy.ok());
  cv::Mat gray;
  cv::cvtColor(copy->rgb(cv::Rect(box->x, box->y, box->w, box->h)), gray, cv::COLOR_RGB2GRAY);
  double darkest = 0, brightest = 0;
  cv::minMaxLoc(gray, &darkest, &brightest);
  EXPECT_LT(brightest, 16) << "the face's box must be covered completely";
  // The detector finds Stuart, and only Stuart, in the copy.
  const auto found = checkEngine().analyse(copy->rgb);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_LT(found[0].box.x + found[0].box.width / 2, copy->rgb.cols / 2);
  // The original is kept as it was submitted.
  EXPECT_EQ(*image::readFileBytes(job->original), original);
}

TEST_F(ReviewActionsTest, APhotoAlreadyDecidedCannotBeDecidedAgain) {
  const std::string id = heldPhoto();
  Browser first(port_), second(port_);
  ASSERT_EQ(first.signIn("sam.slt", kPassword).status, 303);
  ASSERT_EQ(second.signIn("sam.slt", kPassword).status, 303);
  const std::string firstToken = Browser::csrfIn(first.get("/review/" + id).body);
  const std::string secondToken = Browser::csrfIn(second.get("/review/" + id).body);
  EXPECT_EQ(first
                .post("/review/" + id + "/reject",
                      {{"csrf", firstToken}, {"reason", "Taken in the changing room"}})
                .status,
            303);
  const Page late = second.post("/review/" + id + "/approve", {{"csrf", secondToken}});
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(verdictOf(id), "block");
  EXPECT_TRUE(fs::is_empty(data_ / "outbox" / "website"));
  std::ifstream note(data_ / "rejected" / "penny.jpg.txt");
  const std::string text((std::istreambuf_iterator<char>(note)), {});
  EXPECT_NE(text.find("Taken in the changing room"), std::string::npos) << text;
}

TEST_F(ReviewActionsTest, ABlockedPhotoMayOnlyHaveACoveredCopyAndOnlyWhenFacesBlockIt) {
  // Amy beside Howard (no-photo list): blocked only for faces, so a covered copy may save it.
  const std::string coverable = submitAndWait(sideBySide("amy", "howard"), "amy-howard.png");
  ASSERT_EQ(verdictOf(coverable), "block");
  // The same two with Amy's full name in the file name: covering faces cannot mend that.
  const std::string named = submitAndWait(sideBySide("howard", "amy"), "Amy Fowler.png");
  ASSERT_NE(named, coverable);
  ASSERT_EQ(verdictOf(named), "block");
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  const Page list = slt.get("/review");
  EXPECT_NE(list.body.find("href=\"/review/" + coverable + "\""), std::string::npos) << list.body;
  EXPECT_EQ(list.body.find("href=\"/review/" + named + "\""), std::string::npos) << list.body;

  const Page page = slt.get("/review/" + coverable);
  EXPECT_NE(page.body.find("id=\"redact\""), std::string::npos);
  EXPECT_EQ(page.body.find("id=\"approve\""), std::string::npos);
  const std::string token = Browser::csrfIn(page.body);
  // Never approved as it is, even when asked for directly or through the confirm step.
  EXPECT_EQ(slt.post("/review/" + coverable + "/approve", {{"csrf", token}}).status, 409);
  EXPECT_NE(slt.post("/review/" + coverable + "/confirm", {{"csrf", token}, {"decision", "approve"}})
                .status,
            200);
  // A face that was recognised (Amy, Howard) cannot be renamed.
  EXPECT_EQ(slt.post("/review/" + coverable + "/identify",
                     {{"csrf", token}, {"face", "0,0,1,1"}, {"person", "P001"}})
                .status,
            400);
  // A photo blocked for more than faces has nothing to decide at all.
  for (const std::string action : {"/redact", "/preview", "/reject", "/dismiss", "/identify"}) {
    EXPECT_EQ(slt.post("/review/" + named + action, {{"csrf", token}, {"reason", "no"}}).status,
              409)
        << action;
  }
  EXPECT_EQ(verdictOf(named), "block");

  const Page covered = slt.post("/review/" + coverable + "/redact", {{"csrf", token}});
  EXPECT_EQ(covered.status, 303) << covered.body;
  EXPECT_EQ(verdictOf(coverable), "publish");
  EXPECT_FALSE(fs::exists(data_ / "rejected" / "amy-howard.png"));
  EXPECT_TRUE(fs::exists(data_ / "outbox" / "website" / "amy-howard.jpg"));
  // Decided once: a second covered copy is refused.
  EXPECT_EQ(slt.post("/review/" + coverable + "/redact", {{"csrf", token}}).status, 409);
}

}  // namespace
}  // namespace consentguard::testing
