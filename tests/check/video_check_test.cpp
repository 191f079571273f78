// A video through the whole check, as a school iPad records it (made by the test with ffmpeg,
// given a rotation, GPS, make, model and creation time by exiftool): Amy (a pupil), then nobody,
// then Stuart (staff), who both have consent, publishes as a clean MP4 that still plays
// upright; the same video with Howard (on the no-photo list) in one second of it blocks, naming
// him and when; and two pupils count as two children however many frames show them.
#include <opencv2/imgproc.hpp>

#include "check/check_fixture.h"
#include "support/video_fixture.h"

namespace consentguard::testing {
namespace {

class VideoCheckTest : public RegisterCheckTest {
 protected:
  void SetUp() override {
    RegisterCheckTest::SetUp();
    if (IsSkipped()) return;
    if (!haveVideoTools()) {
      if (runningInCi()) FAIL() << "CI=true but ffmpeg, ffprobe or exiftool is not installed";
      GTEST_SKIP() << "SKIPPED: ffmpeg, ffprobe or exiftool is not installed";
    }
    dir_ = scratchDir(std::string("video-check-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  Result<check::VideoCheckResult> checkVideo(const fs::path& file) {
    check::PhotoChecker checker(checkEngine(), *store_, config_, {}, kTestDate);
    return checker.checkVideo({file, "website", file.filename().string(), "", "",
                               dir_ / "published.mp4"});
  }
  fs::path dir_;
};

TEST_F(VideoCheckTest, ConsentedPupilsPublishCleanAndANoPhotoPupilInOneSecondBlocks) {
  const fs::path good = dir_ / "sports-day.mp4";
  ASSERT_TRUE(makeVideo(good, {{videoScene("amy"), 2}, {videoScene(""), 1}, {videoScene("stuart"), 2}},
                        {true, 90}));
  auto result = checkVideo(good);
  ASSERT_TRUE(result.ok()) << result.error().message;
  std::string who;
  for (const auto& p : result->people) who += p.face.person + ":" + p.face.status + " ";
  for (const auto& r : result->decision.reasons) who += "[" + r.code + ": " + r.message + "] ";
  ASSERT_EQ(result->decision.verdict, Verdict::kPublish) << who;
  ASSERT_EQ(result->people.size(), 2u) << who << "one person per child, however many frames";
  EXPECT_EQ(result->people[0].face.person, "P001");
  EXPECT_EQ(result->people[1].face.person, "S001");
  ASSERT_FALSE(result->people[1].seen.empty());
  EXPECT_NEAR(result->people[1].seen.front().first, 3.0, 0.6) << "Stuart appears at 3 s";
  EXPECT_GE(result->frames_sampled, 10);
  ASSERT_TRUE(result->published);
  EXPECT_TRUE(video::verifyCleanVideo(dir_ / "published.mp4").ok());
  auto published = video::probeVideo(dir_ / "published.mp4");
  ASSERT_TRUE(published.ok());
  EXPECT_EQ(published->rotation, 90) << "still plays upright";
  const std::string exif = commandOutput("exiftool -a -G1 " + shellQuoted(dir_ / "published.mp4"));
  for (const std::string tag : {"GPS", "Make", "Model", "2026:06:12"}) {
    EXPECT_EQ(exif.find(tag), std::string::npos) << tag << " in\n" << exif;
  }

  const fs::path twin = dir_ / "sports-day-2.mp4";
  ASSERT_TRUE(makeVideo(twin, {{videoScene("amy"), 2}, {videoScene("howard"), 1},
                               {videoScene("stuart"), 2}},
                        {true, 90}));
  std::filesystem::remove(dir_ / "published.mp4");
  auto blocked = checkVideo(twin);
  ASSERT_TRUE(blocked.ok());
  EXPECT_EQ(blocked->decision.verdict, Verdict::kBlock);
  EXPECT_FALSE(blocked->published);
  EXPECT_FALSE(fs::exists(dir_ / "published.mp4"));
  const auto howard = std::find_if(blocked->people.begin(), blocked->people.end(),
                                   [](const auto& p) { return p.face.person == "P003"; });
  ASSERT_NE(howard, blocked->people.end());
  EXPECT_EQ(howard->face.status, "no_photo");
  ASSERT_EQ(howard->seen.size(), 1u);
  EXPECT_NEAR(howard->seen[0].first, 2.0, 0.6);
  EXPECT_LE(howard->seen[0].second, 3.1);

  // Amy and Sheldon, in ten frames each: two children, for a channel that allows one.
  const fs::path two = dir_ / "two-pupils.mp4";
  ASSERT_TRUE(makeVideo(two, {{videoScene("amy"), 2}, {videoScene("sheldon"), 2}}, {false, 90}));
  auto counted = checkVideo(two);
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(counted->people.size(), 2u);
  bool twoChildren = false;
  for (const auto& r : counted->decision.reasons) {
    twoChildren = twoChildren || (r.code == "too_many_children" &&
                                  r.message.find("2 children") != std::string::npos);
  }
  EXPECT_TRUE(twoChildren);
}

}  // namespace
}  // namespace consentguard::testing
