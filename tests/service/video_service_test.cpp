// Videos through the running service as a school sends them: dropped into an inbox, posted by
// the website CMS to POST /api/v1/photos, and decided by a senior leader on the review page.
// Each ends in exactly one place under its own name: the clean MP4 in the outbox, or the
// original in held/ or rejected/ with a note that says who is seen when, naming nobody.
#include <Poco/JSON/Parser.h>

#include <opencv2/imgcodecs.hpp>

#include "consentguard/service/outcome_writer.h"
#include "consentguard/video/video_file.h"
#include "service/openapi_check.h"
#include "service/review_fixture.h"
#include "support/video_fixture.h"

namespace consentguard::testing {
namespace {

std::string fileText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Copies a file into an inbox under a temporary name, then renames it, as a careful tool does.
void drop(const fs::path& source, const fs::path& inbox, const std::string& name) {
  fs::copy_file(source, inbox / ("." + name + ".part"));
  fs::rename(inbox / ("." + name + ".part"), inbox / name);
}

class VideoServiceTest : public ReviewServiceTest {
 protected:
  void SetUp() override {
    if (!haveVideoTools()) {
      if (runningInCi()) FAIL() << "CI=true but ffmpeg, ffprobe or exiftool is not installed";
      GTEST_SKIP() << "SKIPPED: ffmpeg, ffprobe or exiftool is not installed";
    }
    ReviewServiceTest::SetUp();
  }
  std::string configText() override {
    return "policy.device_check = false\nfolders.scan_seconds = 0.2\n"
           "folders.settle_seconds = 0.5\n";
  }

  bool waitForFile(const fs::path& file) {
    for (int i = 0; i < 900; ++i) {
      if (fs::exists(file)) return true;
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << file << " did not appear; the service's log:\n"
                  << fileText(dir_ / "serve.log");
    return false;
  }

  // Every file in outbox/, held/ and rejected/ (not the notes), relative to the data folder.
  std::set<std::string> outcomes() {
    std::set<std::string> files;
    for (const char* folder : {"outbox", "held", "rejected"}) {
      std::error_code ec;
      for (const auto& e : fs::recursive_directory_iterator(data_ / folder, ec)) {
        if (e.is_regular_file() && e.path().extension() != ".txt") {
          files.insert(fs::relative(e.path(), data_).string());
        }
      }
    }
    return files;
  }
};

TEST_F(VideoServiceTest, InboxVideosPublishCleanOrAreRejectedWithWhoIsSeenWhen) {
  const fs::path good = dir_ / "sports-day.mp4", twin = dir_ / "assembly.mp4";
  ASSERT_TRUE(makeVideo(good, {{videoScene("amy"), 2}, {videoScene(""), 1},
                               {videoScene("stuart"), 2}},
                        {true, 90}));
  ASSERT_TRUE(makeVideo(twin, {{videoScene("amy"), 2}, {videoScene("howard"), 1},
                               {videoScene("amy"), 2}},
                        {true, 90}));
  const fs::path inbox = data_ / "inbox" / "website";
  std::ofstream(dir_ / "clip.mp4") << "Minutes of the governors' meeting, not a video at all.";
  // An iPad's name for it ends .MOV; the bytes say it is a video, and it is published as MP4.
  drop(good, inbox, "sports-day.MOV");
  drop(twin, inbox, "assembly.mp4");
  drop(dir_ / "clip.mp4", inbox, "clip.mp4");

  ASSERT_TRUE(waitForFile(data_ / "outbox/website/sports-day.mp4"));
  ASSERT_TRUE(waitForFile(data_ / "rejected/assembly.mp4.txt"));
  ASSERT_TRUE(waitForFile(data_ / "rejected/clip.mp4.txt"));
  EXPECT_EQ(outcomes(), (std::set<std::string>{"outbox/website/sports-day.mp4",
                                               "rejected/assembly.mp4", "rejected/clip.mp4"}));

  const fs::path published = data_ / "outbox/website/sports-day.mp4";
  EXPECT_TRUE(video::verifyCleanVideo(published).ok());
  auto info = video::probeVideo(published);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->rotation, 90) << "still plays upright";
  const std::string exif = commandOutput("exiftool -a -G1 " + shellQuoted(published));
  for (const std::string tag : {"GPS", "Make", "Model", "2026:06:12"}) {
    EXPECT_EQ(exif.find(tag), std::string::npos) << tag << " in\n" << exif;
  }
  // Every tag of the container and its streams, as FFmpeg reads them.
  const std::string probe = commandOutput(
      "ffprobe -v error -show_entries format_tags:stream_tags " + shellQuoted(published));
  for (const std::string tag : {"location", "creation_time", "make", "model"}) {
    EXPECT_EQ(probe.find(tag), std::string::npos) << tag << " in\n" << probe;
  }
  EXPECT_FALSE(fs::exists(published.string() + ".txt"));

  // The staged copy in store/ has gone to the outbox; the contact sheet stays for the record.
  auto q = queue::JobQueue::open(data_ / "consentguard.db", data_ / "store");
  ASSERT_TRUE(q.ok());
  const std::string goodId = queue::jobIdFor("website", *image::readFileBytes(good, {512u << 20}));
  auto goodJob = (*q)->find(goodId);
  ASSERT_TRUE(goodJob.ok() && *goodJob);
  EXPECT_EQ((*goodJob)->verdict, "publish");
  EXPECT_FALSE(fs::exists(service::stagedVideoPath(**goodJob)));
  EXPECT_TRUE(fs::exists(service::contactSheetPath(**goodJob)));
  EXPECT_NE((*goodJob)->result_json.find("\"P001\""), std::string::npos);
  EXPECT_NE((*goodJob)->result_json.find("\"S001\""), std::string::npos);

  // Howard (no-photo list) is in second 2 only: the note says when, and names nobody.
  const std::string note = fileText(data_ / "rejected/assembly.mp4.txt");
  EXPECT_NE(note.find("this video must not be published"), std::string::npos) << note;
  EXPECT_NE(note.find("This video shows 1 person on the school's no-photo list"),
            std::string::npos)
      << note;
  EXPECT_NE(note.find("someone on the school's no-photo list: seen at 0:02"), std::string::npos)
      << note;
  EXPECT_NE(note.find("a pupil with consent: seen at 0:00"), std::string::npos) << note;
  for (const std::string name : {"Howard", "Wolowitz", "Amy", "Fowler", "P003"}) {
    EXPECT_EQ(note.find(name), std::string::npos) << name << " in\n" << note;
  }
  EXPECT_EQ(fileText(data_ / "rejected/assembly.mp4"), fileText(twin)) << "the original, kept";

  const std::string notVideo = fileText(data_ / "rejected/clip.mp4.txt");
  EXPECT_NE(notVideo.find("must not be published"), std::string::npos) << notVideo;
}

TEST_F(VideoServiceTest, TheApiTakesAVideoAndASeniorLeaderWatchesAndApprovesIt) {
  // Penny has no biometric consent: nobody is recognised, so a person must look.
  const fs::path clip = dir_ / "penny.mp4";
  ASSERT_TRUE(makeVideo(clip, {{videoScene(""), 1}, {videoScene("penny"), 2}}, {true, 90}));
  const std::string bytes = fileText(clip);

  Browser cms(port_);
  cms.headers["Authorization"] = "Bearer " + key_;
  const Page accepted = cms.postBytes("/api/v1/photos?channel=website&file_name=penny.mp4",
                                      bytes, "video/mp4");
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string id = Poco::JSON::Parser()
                             .parse(accepted.body)
                             .extract<Poco::JSON::Object::Ptr>()
                             ->getValue<std::string>("id");
  waitUntilChecked(id);
  const Page status = cms.get("/api/v1/photos/" + id);
  ASSERT_EQ(status.status, 200);
  const OpenApiCheck openapi(cms.get("/api/v1/openapi.json").body);
  EXPECT_EQ(openapi.check("GET", "/photos/{id}", 200, status.body), "") << status.body;
  auto root = Poco::JSON::Parser().parse(status.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(root->getValue<std::string>("verdict"), "review") << status.body;
  auto people = root->getArray("people");
  ASSERT_TRUE(people && people->size() == 1) << status.body;
  EXPECT_EQ(people->getObject(0)->getValue<std::string>("status"), "unknown");
  EXPECT_NEAR(people->getObject(0)->getArray("seen")->getArray(0)->getElement<double>(0), 1.0,
              0.6);
  EXPECT_FALSE(root->has("metadata")) << "the camera is for SLT's page only";
  ASSERT_TRUE(fs::exists(data_ / "held/penny.mp4"));
  EXPECT_NE(fileText(data_ / "held/penny.mp4.txt").find("this video is held"), std::string::npos);

  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  const Page page = slt.get("/review/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<video id=\"video\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("src=\"/review/" + id + "/video\""), std::string::npos);
  EXPECT_NE(page.body.find("data-status=\"unknown\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("0:01 to 0:02"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("id=\"no-cover\""), std::string::npos) << "says no covered copy";
  EXPECT_NE(page.body.find("id=\"approve\""), std::string::npos);
  EXPECT_EQ(page.body.find("id=\"redact\""), std::string::npos);

  const Page sheet = slt.get("/review/" + id + "/sheet");
  ASSERT_EQ(sheet.status, 200);
  EXPECT_EQ(sheet.content_type, "image/jpeg");
  const cv::Mat decoded = cv::imdecode(
      std::vector<uchar>(sheet.body.begin(), sheet.body.end()), cv::IMREAD_COLOR);
  EXPECT_GT(decoded.cols, 256) << "a grid of the frames checked";

  // The browser's <video> asks for ranges to seek.
  slt.headers["Range"] = "bytes=100-299";
  const Page part = slt.get("/review/" + id + "/video");
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.content_range, "bytes 100-299/" + std::to_string(bytes.size()));
  EXPECT_EQ(part.body, bytes.substr(100, 200));
  slt.headers["Range"] = "bytes=-50";
  EXPECT_EQ(slt.get("/review/" + id + "/video").body, bytes.substr(bytes.size() - 50));
  slt.headers["Range"] = "bytes=" + std::to_string(bytes.size()) + "-";
  EXPECT_EQ(slt.get("/review/" + id + "/video").status, 416);
  slt.headers.erase("Range");
  const Page whole = slt.get("/review/" + id + "/video");
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body, bytes);
  // Covering faces is not offered for a video, and is refused if asked for.
  const std::string csrf = Browser::csrfIn(page.body);
  EXPECT_EQ(slt.post("/review/" + id + "/redact", {{"csrf", csrf}}).status, 409);
  // Someone without a review role cannot watch it.
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  EXPECT_EQ(office.get("/review/" + id + "/video").status, 403);

  const Page approved = slt.post("/review/" + id + "/approve", {{"csrf", csrf}});
  EXPECT_EQ(approved.status, 303) << approved.body;
  const fs::path out = data_ / "outbox/website/penny.mp4";
  ASSERT_TRUE(waitForFile(out));
  EXPECT_TRUE(video::verifyCleanVideo(out).ok());
  EXPECT_FALSE(fs::exists(data_ / "held/penny.mp4"));
  EXPECT_FALSE(fs::exists(data_ / "held/penny.mp4.txt"));
  const Page got = cms.get("/api/v1/photos/" + id + "/published");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.content_type, "video/mp4");
  EXPECT_EQ(got.body, fileText(out));
}

}  // namespace
}  // namespace consentguard::testing
