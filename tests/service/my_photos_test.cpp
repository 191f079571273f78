// "My photos" for office staff, against the real service: several photos sent at once, each its
// own submission, answered with a redirect so a reload sends nothing again; each outcome shown
// with the same reasons as the note in the held or rejected folder; the page reloading itself
// only while something is being checked; the cleaned copy of a published photo to download
// (never once taken down), and thumbnails of one's own photos only.
#include <Poco/Net/NameValueCollection.h>

#include <opencv2/imgcodecs.hpp>

#include "consentguard/common/local_time.h"
#include "consentguard/image/sanitiser.h"
#include "consentguard/queue/takedowns.h"
#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

// A GET with a Browser's cookies that keeps every response header.
struct Reply {
  int status = 0;
  std::string body;
  Poco::Net::NameValueCollection headers;
};

Reply getWithHeaders(int port, const Browser& browser, const std::string& path) {
  Reply reply;
  auto https = serviceSession(port);
  Poco::Net::HTTPSClientSession& session = *https;
  session.setTimeout(Poco::Timespan(60, 0));
  HTTPRequest request("GET", path, HTTPRequest::HTTP_1_1);
  std::string cookies;
  for (const auto& [name, value] : browser.cookies) {
    cookies += (cookies.empty() ? "" : "; ") + name + "=" + value;
  }
  if (!cookies.empty()) request.set("Cookie", cookies);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), reply.body);
  reply.status = response.getStatus();
  for (const auto& [name, value] : response) reply.headers.add(name, value);
  return reply;
}

// As the pages' templates escape text.
std::string escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// The table row of photo `id` on the page ("" when it is not listed).
std::string rowOf(const std::string& page, const std::string& id) {
  const size_t start = page.find("<tr id=\"photo-" + id + "\"");
  if (start == std::string::npos) return "";
  return page.substr(start, page.find("</tr>", start) - start);
}

// The "- " lines of a note beside a held or refused photo.
std::vector<std::string> noteReasons(const fs::path& note) {
  std::ifstream in(note);
  std::vector<std::string> lines;
  bool why = false;
  for (std::string line; std::getline(in, line);) {
    if (line == "Why:") why = true;
    if (line.empty() && why && !lines.empty()) break;
    if (why && line.rfind("- ", 0) == 0) lines.push_back(line.substr(2));
  }
  return lines;
}

std::string bytesOf(const fs::path& file) {
  const auto bytes = *image::readFileBytes(file);
  return std::string(bytes.begin(), bytes.end());
}

class MyPhotosTest : public ReviewServiceTest {
 protected:
  void prepareRegister(reg::Database& db) override {
    ASSERT_TRUE(service::Accounts(db).create("otto.office", service::Role::kOffice, kPassword,
                                             "test")
                    .ok());
  }

  // Olive sends Amy (consent: published), Penny (no biometric consent: held) and Howard (on the
  // no-photo list: refused) in one upload; their ids in that order, once all are checked.
  std::vector<std::string> sendThree(Browser& office) {
    const std::string token = Browser::csrfIn(office.get("/photos").body);
    const Page sent = office.uploadFiles("/photos", {{"csrf", token}, {"channel", "website"}},
                                         "photo",
                                         {{"sports-day.png", bytesOf(probePhoto("amy"))},
                                          {"playground.png", bytesOf(probePhoto("penny"))},
                                          {"assembly.png", bytesOf(probePhoto("howard"))}});
    EXPECT_EQ(sent.status, 303) << sent.body;
    last_location_ = sent.location;
    std::vector<std::string> ids;
    const std::string prefix = "/photos?submitted=";
    if (sent.location.rfind(prefix, 0) != 0) {
      ADD_FAILURE() << "redirected to " << sent.location;
      return ids;
    }
    std::stringstream list(sent.location.substr(prefix.size()));
    for (std::string id; std::getline(list, id, ',');) ids.push_back(id);
    EXPECT_EQ(ids.size(), 3u) << sent.location;
    for (const auto& id : ids) waitUntilChecked(id);
    return ids;
  }

  std::string last_location_;
};

TEST_F(MyPhotosTest, SeveralPhotosAtOnceEachBecomeASubmissionAndAReloadSendsNothingAgain) {
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  const Page form = office.get("/photos");
  EXPECT_NE(form.body.find("name=\"photo\" multiple"), std::string::npos)
      << "the file input takes several files";
  const auto ids = sendThree(office);
  ASSERT_EQ(ids.size(), 3u);
  auto q = queue::JobQueue::open(data_ / "consentguard.db", data_ / "store");
  ASSERT_EQ((*q)->submittedBy("user:olive.office", 10)->size(), 3u);

  // The page after the redirect names each photo from its record, with its state.
  const Page after = office.get(last_location_);
  ASSERT_EQ(after.status, 200);
  const size_t notice = after.body.find("id=\"received\"");
  ASSERT_NE(notice, std::string::npos) << after.body;
  const std::string received = after.body.substr(notice, after.body.find("</div>", notice) - notice);
  EXPECT_NE(received.find("3 files were received"), std::string::npos) << received;
  for (const char* name : {"sports-day.png", "playground.png", "assembly.png"}) {
    EXPECT_NE(received.find(name), std::string::npos) << name << " in " << received;
  }
  EXPECT_NE(received.find("Published"), std::string::npos);
  EXPECT_NE(received.find("Waiting for a senior leader"), std::string::npos);
  EXPECT_NE(received.find("Not published"), std::string::npos);
  // Loading it again (a reload) is a GET: nothing is sent again.
  EXPECT_EQ(office.get(last_location_).status, 200);
  EXPECT_EQ((*q)->submittedBy("user:olive.office", 10)->size(), 3u);

  // One bad file and nothing is sent: the form says which, beside the field.
  const Page refused = office.uploadFiles(
      "/photos", {{"csrf", Browser::csrfIn(form.body)}, {"channel", "website"}}, "photo",
      {{"good.png", bytesOf(probePhoto("stuart"))}, {"notes.png", "not a photo at all"}});
  EXPECT_EQ(refused.status, 415);
  EXPECT_NE(refused.body.find("id=\"photo-error\""), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("notes.png"), std::string::npos);
  EXPECT_EQ((*q)->submittedBy("user:olive.office", 10)->size(), 3u);
}

TEST_F(MyPhotosTest, TheNoticeIsBuiltFromTheRecordsNeverFromTheAddress) {
  const std::string others = submitAndWait(*image::readFileBytes(probePhoto("amy")),
                                           "someone-elses.png");
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  const Page page = office.get("/photos?submitted=" + others +
                               ",%3Cscript%3Ealert(1)%3C%2Fscript%3E,not-an-id");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("someone-elses.png"), std::string::npos)
      << "another person's photo is not named";
  EXPECT_EQ(page.body.find("alert(1)"), std::string::npos);
  EXPECT_EQ(page.body.find("not-an-id"), std::string::npos);
}

TEST_F(MyPhotosTest, EachOutcomeIsShownWithTheReasonsItsNoteGives) {
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  const auto ids = sendThree(office);
  ASSERT_EQ(ids.size(), 3u);
  const Page page = office.get("/photos");
  ASSERT_EQ(page.status, 200);
  const std::string published = rowOf(page.body, ids[0]), held = rowOf(page.body, ids[1]),
                    refused = rowOf(page.body, ids[2]);
  EXPECT_NE(published.find("status-published\">Published<"), std::string::npos) << published;
  EXPECT_NE(held.find("status-held\">Waiting for a senior leader<"), std::string::npos) << held;
  EXPECT_NE(refused.find("status-refused\">Not published<"), std::string::npos) << refused;
  EXPECT_EQ(page.body.find("see the note beside it"), std::string::npos);

  const fs::path heldNote = data_ / "held" / "playground.png.txt";
  const fs::path refusedNote = data_ / "rejected" / "assembly.png.txt";
  ASSERT_TRUE(fs::exists(heldNote) && fs::exists(refusedNote));
  const auto heldReasons = noteReasons(heldNote), refusedReasons = noteReasons(refusedNote);
  ASSERT_FALSE(heldReasons.empty());
  ASSERT_FALSE(refusedReasons.empty());
  for (const auto& reason : heldReasons) {
    EXPECT_NE(held.find("<li>" + escaped(reason) + "</li>"), std::string::npos)
        << reason << "\nin: " << held;
  }
  for (const auto& reason : refusedReasons) {
    EXPECT_NE(refused.find("<li>" + escaped(reason) + "</li>"), std::string::npos)
        << reason << "\nin: " << refused;
  }
  EXPECT_NE(held.find("senior leader"), std::string::npos);
  EXPECT_NE(refused.find("Do not publish this photo"), std::string::npos);
  // Times as people read them, not as the record stores them.
  const auto job = jobOf(ids[0]);
  ASSERT_TRUE(job);
  EXPECT_EQ(published.find(job->created_at), std::string::npos) << published;
  EXPECT_NE(published.find(localTimeWords(job->created_at)), std::string::npos) << published;
}

TEST_F(MyPhotosTest, TheStateIsCurrentAndThePageReloadsItselfOnlyWhileChecking) {
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  const auto ids = sendThree(office);
  ASSERT_EQ(ids.size(), 3u);
  Reply page = getWithHeaders(port_, office, "/photos");
  EXPECT_FALSE(page.headers.has("Refresh")) << "nothing is being checked";
  EXPECT_EQ(page.body.find("id=\"refreshing\""), std::string::npos);

  // Made to look as if a worker had just taken it (no worker takes a job in that state).
  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(
      (*db)->execute("UPDATE jobs SET state = 'processing' WHERE id = '" + ids[0] + "'").ok());
  page = getWithHeaders(port_, office, "/photos");
  EXPECT_EQ(page.headers.get("Refresh", ""), "5");
  EXPECT_NE(page.body.find("id=\"refreshing\""), std::string::npos);
  EXPECT_NE(rowOf(page.body, ids[0]).find("status-waiting\">Being checked<"), std::string::npos);
  EXPECT_EQ(rowOf(page.body, ids[0]).find("/cleaned"), std::string::npos);
  EXPECT_EQ(office.get("/photos/" + ids[0] + "/cleaned").status, 404);
  // Done: the page says what became of it, and stops reloading.
  ASSERT_TRUE((*db)->execute("UPDATE jobs SET state = 'done' WHERE id = '" + ids[0] + "'").ok());
  page = getWithHeaders(port_, office, "/photos");
  EXPECT_FALSE(page.headers.has("Refresh"));
  EXPECT_NE(rowOf(page.body, ids[0]).find("status-published\">Published<"), std::string::npos);
}

TEST_F(MyPhotosTest, TheCleanedCopyIsDownloadedWhilePublishedAndNeverOnceTakenDown) {
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  const auto ids = sendThree(office);
  ASSERT_EQ(ids.size(), 3u);
  const std::string cleaned = "/photos/" + ids[0] + "/cleaned";
  EXPECT_NE(rowOf(office.get("/photos").body, ids[0]).find("href=\"" + cleaned + "\""),
            std::string::npos);
  const Reply download = getWithHeaders(port_, office, cleaned);
  ASSERT_EQ(download.status, 200) << download.body;
  EXPECT_EQ(download.headers.get("Content-Disposition", "").rfind(
                "attachment; filename=\"sports-day.png\"", 0),
            0u)
      << download.headers.get("Content-Disposition", "");
  EXPECT_EQ(download.headers.get("Cache-Control", ""), "no-store");
  EXPECT_EQ(download.headers.get("Content-Type", ""), "image/png");
  EXPECT_EQ(download.body, bytesOf(data_ / "outbox" / "website" / "sports-day.png"))
      << "the cleaned copy is the one published";
  EXPECT_TRUE(
      image::verifyClean(std::vector<std::uint8_t>(download.body.begin(), download.body.end()))
          .ok());

  // Not published: nothing to download, and no link.
  for (const auto& id : {ids[1], ids[2]}) {
    EXPECT_EQ(rowOf(office.get("/photos").body, id).find("/cleaned"), std::string::npos);
    const Page none = office.get("/photos/" + id + "/cleaned");
    EXPECT_EQ(none.status, 404);
    EXPECT_NE(none.body.find("has not been published"), std::string::npos) << none.body;
  }
  // Senior leaders, the DSL and the admin may download it; other office staff may not.
  for (const char* name : {"sam.slt", "dee.dsl", "ada.admin"}) {
    Browser other(port_);
    ASSERT_EQ(other.signIn(name, kPassword).status, 303);
    EXPECT_EQ(other.get(cleaned).status, 200) << name;
  }
  Browser otto(port_);
  ASSERT_EQ(otto.signIn("otto.office", kPassword).status, 303);
  EXPECT_EQ(otto.get(cleaned).status, 404);
  EXPECT_EQ(Browser(port_).get(cleaned).location, "/login");

  // Amy's parent withdraws consent for the website: the photo must come down.
  const ProgramRun withdrawn =
      runConsentguard("register consent --db " + shellQuoted(data_ / "consentguard.db") +
                      " --person P001 --channel website --withdraw");
  ASSERT_EQ(withdrawn.status, 0) << withdrawn.out;
  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  ASSERT_TRUE(queue::isTakenDown(**db, ids[0]).value());
  const Page gone = office.get(cleaned);
  EXPECT_EQ(gone.status, 410);
  EXPECT_NE(gone.body.find("must no longer be published"), std::string::npos) << gone.body;
  const std::string row = rowOf(office.get("/photos").body, ids[0]);
  EXPECT_NE(row.find("status-refused\">Taken down<"), std::string::npos) << row;
  EXPECT_EQ(row.find("/cleaned"), std::string::npos);
}

TEST_F(MyPhotosTest, ThumbnailsAreSmallUncachedJpegsOfOnesOwnPhotosOnly) {
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  const auto ids = sendThree(office);
  ASSERT_EQ(ids.size(), 3u);
  const Page page = office.get("/photos");
  for (const auto& id : ids) {
    const std::string thumb = "/photos/" + id + "/thumb.jpg";
    EXPECT_NE(rowOf(page.body, id).find("<img class=\"thumb\" src=\"" + thumb + "\""),
              std::string::npos);
    const Reply reply = getWithHeaders(port_, office, thumb);
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.headers.get("Content-Type", ""), "image/jpeg");
    EXPECT_EQ(reply.headers.get("Cache-Control", ""), "no-store");
    const cv::Mat decoded =
        cv::imdecode(std::vector<uchar>(reply.body.begin(), reply.body.end()), cv::IMREAD_COLOR);
    ASSERT_FALSE(decoded.empty());
    EXPECT_LE(std::max(decoded.cols, decoded.rows), 160);
  }
  Browser otto(port_), slt(port_);
  ASSERT_EQ(otto.signIn("otto.office", kPassword).status, 303);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  EXPECT_EQ(otto.get("/photos/" + ids[1] + "/thumb.jpg").status, 404);
  EXPECT_EQ(slt.get("/photos/" + ids[1] + "/thumb.jpg").status, 404);
  EXPECT_EQ(office.get("/photos/" + std::string(32, 'f') + "/thumb.jpg").status, 404);
}

}  // namespace
}  // namespace consentguard::testing
