// The review queue as a senior leader uses it (issue 22), against the real service: the list with
// thumbnails and counts; every decision that publishes or rejects confirmed first; a covered copy
// previewed with the rules' answer (a failing one says why and keeps the form) before a separate
// confirm publishes it; blocked photos rejected or dismissed (never published) and not listed
// when a covered copy would cover everyone; a face identified by typing a name, on held and
// blocked photos; and one line in the service's log per decision.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

class ReviewQueueTest : public ReviewServiceTest {
 protected:
  // Sheldon has biometric consent but no templates, so his face is unknown until named.
  void prepareRegister(reg::Database& db) override {
    ASSERT_TRUE(db.execute("DELETE FROM templates WHERE person_id = 'P007'").ok());
  }

  static std::vector<std::uint8_t> sideBySide(const std::string& left, const std::string& right) {
    cv::Mat a = cv::imread(probePhoto(left).string()), b = cv::imread(probePhoto(right).string());
    cv::resize(b, b, cv::Size(b.cols * a.rows / b.rows, a.rows));
    // Apart, as children stand: a covered face's margin must not reach the other face.
    for (cv::Mat* m : {&a, &b}) {
      cv::copyMakeBorder(*m, *m, 40, 40, 60, 60, cv::BORDER_CONSTANT, cv::Scalar(128, 128, 128));
    }
    cv::Mat both;
    cv::hconcat(a, b, both);
    std::vector<uchar> png;
    cv::imencode(".png", both, png);
    return {png.begin(), png.end()};
  }

  // Every value of a form field on a page, in order.
  static std::vector<std::string> fieldValues(const std::string& html, const std::string& name) {
    std::vector<std::string> values;
    const std::string field = "name=\"" + name + "\" value=\"";
    for (size_t at = html.find(field); at != std::string::npos; at = html.find(field, at + 1)) {
      const size_t from = at + field.size();
      values.push_back(html.substr(from, html.find('"', from) - from));
    }
    return values;
  }

  std::string serviceLog() {
    std::ifstream in(dir_ / "serve.log");
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }

  static bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }

  std::string decisionOf(const std::string& id) {
    auto job = jobOf(id);
    return job ? job->decision.decision : "";
  }
};

// Issue 22, defect 4: the default ticks left two children on a channel that allows one, and the
// page said only "Not published". Now the form says the limit, the preview says why in words and
// keeps the form, and only a separate confirm publishes.
TEST_F(ReviewQueueTest, ACoveredCopyIsPreviewedWithTheRulesAnswerThenConfirmed) {
  const std::string id = submitAndWait(sideBySide("amy", "bernadette"), "two-friends.png");
  ASSERT_EQ(verdictOf(id), "block") << "two children where the website allows one";
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  const Page page = slt.get("/review/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(has(page.body, "allows at most 1 child in a photo")) << page.body;
  EXPECT_TRUE(has(page.body, "action=\"/review/" + id + "/preview\"")) << page.body;
  const std::string csrf = Browser::csrfIn(page.body);
  const auto boxes = fieldValues(page.body, "cover");
  ASSERT_EQ(boxes.size(), 2u) << page.body;

  // The default ticks: nothing extra covered, so still two children.
  const Page failed = slt.post("/review/" + id + "/preview", {{"csrf", csrf}});
  EXPECT_EQ(failed.status, 422) << failed.body;
  EXPECT_TRUE(has(failed.body, "id=\"preview-failed\"")) << failed.body;
  EXPECT_TRUE(has(failed.body, "class=\"error\""));
  EXPECT_TRUE(has(failed.body, "id=\"redact\"")) << "the form is still there";
  EXPECT_TRUE(has(failed.body, "href=\"/review/" + id + "\"")) << "a way back to the photo";
  EXPECT_TRUE(has(failed.body, "allows at most 1 child"));
  EXPECT_EQ(verdictOf(id), "block");
  // Publishing that copy directly is refused the same way, never a dead end.
  const Page refused = slt.post("/review/" + id + "/redact", {{"csrf", csrf}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(has(refused.body, "id=\"redact\""));
  EXPECT_TRUE(fs::is_empty(data_ / "outbox" / "website"));

  // Cover Bernadette (on the right): the preview passes, and nothing is published yet.
  const Page preview =
      slt.post("/review/" + id + "/preview", {{"csrf", csrf}, {"cover", boxes[1]}});
  EXPECT_EQ(preview.status, 200) << preview.body;
  EXPECT_TRUE(has(preview.body, "id=\"preview-clear\"")) << preview.body;
  EXPECT_TRUE(has(preview.body, "id=\"publish-covered\""));
  EXPECT_EQ(fieldValues(preview.body, "cover"), std::vector<std::string>{boxes[1]});
  const Page picture = slt.get("/review/" + id + "/preview.jpg");
  EXPECT_EQ(picture.status, 200);
  EXPECT_EQ(picture.content_type, "image/jpeg");
  EXPECT_EQ(verdictOf(id), "block");
  EXPECT_TRUE(fs::is_empty(data_ / "outbox" / "website"));

  const Page published =
      slt.post("/review/" + id + "/redact", {{"csrf", csrf}, {"cover", boxes[1]}});
  EXPECT_EQ(published.status, 303) << published.body;
  EXPECT_EQ(verdictOf(id), "publish");
  EXPECT_EQ(decisionOf(id), "redacted");
  EXPECT_TRUE(fs::exists(data_ / "outbox" / "website" / "two-friends.jpg"));
  EXPECT_TRUE(has(serviceLog(), "review: sam.slt published a covered copy of photo " + id))
      << serviceLog();
}

// Defect 5: blocked photos piled up. They can be rejected or dismissed (audited, never
// published), and one whose only face is the blocked one is not listed.
TEST_F(ReviewQueueTest, BlockedPhotosCanBeRejectedOrDismissedAndPointlessOnesAreNotListed) {
  const std::string dismissed = submitAndWait(sideBySide("amy", "howard"), "amy-howard.png");
  const std::string rejected = submitAndWait(sideBySide("howard", "amy"), "howard-amy.png");
  const std::string alone =
      submitAndWait(*image::readFileBytes(probePhoto("howard")), "howard.png");
  for (const auto& id : {dismissed, rejected, alone}) ASSERT_EQ(verdictOf(id), "block");
  ASSERT_TRUE(jobOf(alone)->result_json.find("\"coverable\":true") != std::string::npos)
      << "the queue counts it coverable; the page must not list it";
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  const Page list = slt.get("/review");
  EXPECT_TRUE(has(list.body, "href=\"/review/" + dismissed + "\"")) << list.body;
  EXPECT_TRUE(has(list.body, "href=\"/review/" + rejected + "\""));
  EXPECT_FALSE(has(list.body, "href=\"/review/" + alone + "\"")) << "a copy of nobody";
  EXPECT_TRUE(has(list.body, "2 blocked photos")) << list.body;

  const Page page = slt.get("/review/" + dismissed);
  EXPECT_TRUE(has(page.body, "id=\"dismiss\"")) << page.body;
  EXPECT_TRUE(has(page.body, "id=\"reject\""));
  EXPECT_FALSE(has(page.body, "id=\"approve\""));
  const std::string csrf = Browser::csrfIn(page.body);
  const Page dismissedPage = slt.post("/review/" + dismissed + "/dismiss", {{"csrf", csrf}});
  EXPECT_EQ(dismissedPage.status, 303) << dismissedPage.body;
  // Recorded as a decision not to publish (the schema's "rejected"), audited as a dismissal.
  EXPECT_EQ(decisionOf(dismissed), "rejected");
  EXPECT_EQ(verdictOf(dismissed), "block");

  // Rejecting is confirmed first, with the reason carried to the confirm page.
  const Page confirm = slt.post("/review/" + rejected + "/confirm",
                                {{"csrf", csrf}, {"decision", "reject"}, {"reason", "Not ours"}});
  EXPECT_EQ(confirm.status, 200) << confirm.body;
  EXPECT_TRUE(has(confirm.body, "action=\"/review/" + rejected + "/reject\"")) << confirm.body;
  EXPECT_EQ(decisionOf(rejected), "");
  EXPECT_EQ(slt.post("/review/" + rejected + "/reject", {{"csrf", csrf}, {"reason", "   "}}).status,
            400);
  EXPECT_EQ(
      slt.post("/review/" + rejected + "/reject", {{"csrf", csrf}, {"reason", "Not ours"}}).status,
      303);
  EXPECT_EQ(decisionOf(rejected), "rejected");
  EXPECT_EQ(jobOf(rejected)->decision.reason, "Not ours");
  EXPECT_EQ(verdictOf(rejected), "block");
  // Decided once: nothing more, and never a covered copy after a dismissal.
  EXPECT_EQ(slt.post("/review/" + dismissed + "/redact", {{"csrf", csrf}}).status, 409);
  EXPECT_EQ(slt.post("/review/" + dismissed + "/dismiss", {{"csrf", csrf}}).status, 409);
  EXPECT_TRUE(fs::is_empty(data_ / "outbox" / "website"));

  const Page after = slt.get("/review");
  EXPECT_FALSE(has(after.body, "href=\"/review/" + dismissed + "\""));
  EXPECT_FALSE(has(after.body, "href=\"/review/" + rejected + "\""));
  const auto actions = auditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "photo_dismissed"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "photo_rejected"), 1);
  const std::string log = serviceLog();
  EXPECT_TRUE(has(log, "review: sam.slt dismissed blocked photo " + dismissed)) << log;
  EXPECT_TRUE(has(log, "review: sam.slt rejected blocked photo " + rejected)) << log;
}

// Defect 6: identify was a drop-down already set to the first person. Now a name is typed; what
// is not exactly one person comes back beside the field with the close matches.
TEST_F(ReviewQueueTest, AFaceIsIdentifiedByTypingANameOnHeldAndBlockedPhotos) {
  const std::string held = submitAndWait(*image::readFileBytes(probePhoto("sheldon")), "sheldon.png");
  const std::string blocked = submitAndWait(sideBySide("howard", "sheldon"), "howard-sheldon.png");
  ASSERT_EQ(verdictOf(held), "review");
  ASSERT_EQ(verdictOf(blocked), "block");
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  const Page page = slt.get("/review/" + held);
  EXPECT_FALSE(has(page.body, "<select")) << "no drop-down set to the first person";
  EXPECT_TRUE(has(page.body, "list=\"register-names\"")) << page.body;
  EXPECT_TRUE(has(page.body, "<option value=\"Sheldon Cooper (P007)\">"));
  EXPECT_TRUE(has(page.body, "<label for=\"person-1\">"));
  const std::string csrf = Browser::csrfIn(page.body);
  const std::string face = fieldValues(page.body, "face").at(0);

  const Page unknown = slt.post("/review/" + held + "/identify",
                                {{"csrf", csrf}, {"face", face}, {"person", "Nobody Here"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_TRUE(has(unknown.body, "class=\"field-error\"")) << unknown.body;
  EXPECT_TRUE(has(unknown.body, "Nobody in the register is called")) << unknown.body;
  EXPECT_TRUE(has(unknown.body, "value=\"Nobody Here\"")) << "what was typed is kept";
  const Page partial = slt.post("/review/" + held + "/identify",
                                {{"csrf", csrf}, {"face", face}, {"person", "cooper"}});
  EXPECT_EQ(partial.status, 400);
  EXPECT_TRUE(has(partial.body, "Did you mean Sheldon Cooper (P007)?")) << partial.body;
  EXPECT_EQ(verdictOf(held), "review") << "nothing changed";

  EXPECT_EQ(slt.post("/review/" + held + "/identify",
                     {{"csrf", csrf}, {"face", face}, {"person", "sheldon cooper"}})
                .status,
            303);
  waitUntilChecked(held);
  EXPECT_EQ(verdictOf(held), "publish") << jobOf(held)->result_json;

  // The blocked photo offers it too; naming Sheldon leaves it blocked for Howard.
  const Page blockedPage = slt.get("/review/" + blocked);
  EXPECT_TRUE(has(blockedPage.body, "class=\"identify\"")) << blockedPage.body;
  const std::string blockedFace = fieldValues(blockedPage.body, "face").at(0);
  EXPECT_EQ(slt.post("/review/" + blocked + "/identify",
                     {{"csrf", csrf}, {"face", blockedFace}, {"person", "Sheldon Cooper (P007)"}})
                .status,
            303);
  waitUntilChecked(blocked);
  EXPECT_EQ(verdictOf(blocked), "block");
  EXPECT_NE(jobOf(blocked)->result_json.find("\"identified_by_slt\":true"), std::string::npos)
      << jobOf(blocked)->result_json;
  const auto actions = auditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "face_identified"), 2);
  EXPECT_TRUE(has(serviceLog(), "review: sam.slt identified a face as P007 in photo " + held));
}

// Defect 7 and the queue: a block in red, numbered faces listed beside the photo, thumbnails and
// counts, approving confirmed first, and the decision in the service's log.
TEST_F(ReviewQueueTest, TheQueueShowsThumbnailsAndCountsAndApprovingIsConfirmed) {
  const std::string blocked = submitAndWait(sideBySide("amy", "howard"), "amy-howard.png");
  const std::string held = heldPhoto();
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  const Page list = slt.get("/review");
  EXPECT_TRUE(has(list.body, "<img class=\"thumb\" src=\"/review/" + held + "/thumb.jpg\""))
      << list.body;
  EXPECT_TRUE(has(list.body, "1 photo waits")) << list.body;
  EXPECT_TRUE(has(list.body, "1 blocked photo")) << list.body;
  const Page thumb = slt.get("/review/" + held + "/thumb.jpg");
  ASSERT_EQ(thumb.status, 200);
  const cv::Mat small =
      cv::imdecode(std::vector<uchar>(thumb.body.begin(), thumb.body.end()), cv::IMREAD_COLOR);
  EXPECT_LE(std::max(small.cols, small.rows), 160);

  const Page blockedPage = slt.get("/review/" + blocked);
  EXPECT_TRUE(has(blockedPage.body, "<p class=\"error\" id=\"blocked\">")) << blockedPage.body;
  EXPECT_TRUE(has(blockedPage.body, "<span class=\"face-label\" aria-hidden=\"true\">1</span>"));
  EXPECT_TRUE(has(blockedPage.body, "<li id=\"face-2\""));
  EXPECT_TRUE(has(blockedPage.body, "data-status=\"no_photo\""));
  EXPECT_TRUE(has(blockedPage.body, "NO PHOTO: Howard Wolowitz"));

  const Page page = slt.get("/review/" + held);
  EXPECT_TRUE(has(page.body, "action=\"/review/" + held + "/confirm\"")) << page.body;
  const std::string csrf = Browser::csrfIn(page.body);
  const Page confirm =
      slt.post("/review/" + held + "/confirm", {{"csrf", csrf}, {"decision", "approve"}});
  EXPECT_EQ(confirm.status, 200) << confirm.body;
  EXPECT_TRUE(has(confirm.body, "action=\"/review/" + held + "/approve\"")) << confirm.body;
  EXPECT_EQ(verdictOf(held), "review") << "the confirm page changes nothing";
  EXPECT_EQ(slt.post("/review/" + held + "/approve", {{"csrf", csrf}}).status, 303);
  EXPECT_EQ(verdictOf(held), "publish");
  EXPECT_TRUE(has(serviceLog(), "review: sam.slt approved photo " + held + " (penny.jpg, website"))
      << serviceLog();
}

}  // namespace
}  // namespace consentguard::testing
