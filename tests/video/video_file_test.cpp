// Videos (MP4) made by the test with ffmpeg and given an iPad's metadata and a rotation by
// exiftool: probed with their limits, sampled upright every half second and at scene cuts, and
// copied for publication without re-encoding and with no location, make, model or creation
// time (by our reader, by exiftool -a -G1 and by ffprobe), still turned to play upright.
// Hostile files are refused with a named error.
#include "consentguard/video/video_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include <opencv2/imgproc.hpp>

#include "consentguard/image/image_loader.h"
#include "support/test_support.h"
#include "support/video_fixture.h"

namespace consentguard::testing {
namespace {

cv::Mat filled(cv::Scalar colour) {
  cv::Mat rgb(480, 640, CV_8UC3, colour);
  cv::rectangle(rgb, cv::Rect(20, 20, 120, 80), cv::Scalar(255, 255, 255), cv::FILLED);
  return rgb;
}

class VideoFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!haveVideoTools()) {
      if (runningInCi()) FAIL() << "CI=true but ffmpeg, ffprobe or exiftool is not installed";
      GTEST_SKIP() << "SKIPPED: ffmpeg, ffprobe or exiftool is not installed";
    }
    dir_ = scratchDir(std::string("video-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    file_ = dir_ / "sports-day.mp4";
    ASSERT_TRUE(makeVideo(file_,
                          {{filled({200, 40, 40}), 1.0},
                           {filled({30, 30, 160}), 1.0},
                           {filled({40, 180, 40}), 1.0}},
                          {true, 90}));
  }
  fs::path dir_, file_;
};

TEST_F(VideoFileTest, IsProbedWithItsLengthRotationAndMetadata) {
  auto info = video::probeVideo(file_);
  ASSERT_TRUE(info.ok()) << info.error().detail;
  EXPECT_NEAR(info->seconds, 3.0, 0.3);
  EXPECT_EQ(info->codec, "h264");
  EXPECT_EQ(info->width, 640);
  EXPECT_EQ(info->rotation, 90);
  std::string found;
  for (const auto& m : info->metadata) found += m + "; ";
  for (const std::string what : {"location", "make", "model", "creation"}) {
    EXPECT_NE(found.find(what), std::string::npos) << what << " not in " << found;
  }
  auto bytes = image::readFileBytes(file_);
  ASSERT_TRUE(bytes.ok());
  EXPECT_TRUE(video::looksLikeVideo(*bytes));
}

TEST_F(VideoFileTest, FramesAreSampledUprightEveryHalfSecondAndAtSceneCuts) {
  std::vector<video::SampledFrame> frames;
  Status s = video::sampleFrames(file_, {}, {}, [&](const video::SampledFrame& f) {
    frames.push_back(f);
    return okStatus();
  });
  ASSERT_TRUE(s.ok()) << s.error().detail;
  ASSERT_GE(frames.size(), 6u);
  EXPECT_LE(frames.size(), 10u);
  EXPECT_EQ(frames.front().ms, 0);
  EXPECT_EQ(frames.front().rgb.cols, 480) << "turned upright: 640 x 480 stored, shown 480 x 640";
  EXPECT_EQ(frames.front().rgb.rows, 640);
  int cuts = 0;
  for (const auto& f : frames) cuts += f.scene_cut;
  EXPECT_EQ(cuts, 2) << "the two changes of picture";
  // The white block stored at the top left is at the top right once turned clockwise.
  const cv::Vec3b corner = frames.front().rgb.at<cv::Vec3b>(60, 480 - 60);
  EXPECT_GT(corner[0] + corner[1] + corner[2], 600);
}

TEST_F(VideoFileTest, TheCleanCopyKeepsThePictureAndRotationAndNothingElse) {
  const fs::path clean = dir_ / "published.mp4";
  Status s = video::writeCleanCopy(file_, clean);
  ASSERT_TRUE(s.ok()) << s.error().detail;
  auto info = video::probeVideo(clean);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->metadata.empty());
  EXPECT_EQ(info->rotation, 90);
  EXPECT_NEAR(info->seconds, 3.0, 0.3);
  const std::string before = commandOutput("exiftool -a -G1 " + shellQuoted(file_));
  EXPECT_NE(before.find("GPS Coordinates"), std::string::npos) << before;
  const std::string after = commandOutput("exiftool -a -G1 " + shellQuoted(clean));
  for (const std::string tag : {"GPS", "Make", "Model", "2026:06:12", "Creation Date"}) {
    EXPECT_EQ(after.find(tag), std::string::npos) << tag << " in\n" << after;
  }
  EXPECT_NE(after.find("Rotation                        : 90"), std::string::npos) << after;
  const std::string probe = commandOutput(
      "ffprobe -v error -show_entries format_tags:stream_tags -of default " + shellQuoted(clean));
  for (const std::string tag : {"location", "make", "model", "creation_time", "encoder"}) {
    EXPECT_EQ(probe.find(tag), std::string::npos) << tag << " in\n" << probe;
  }
  // And it plays: ffmpeg decodes every frame without an error.
  EXPECT_EQ(commandOutput("ffmpeg -v error -i " + shellQuoted(clean) + " -f null -"), "");
}

TEST_F(VideoFileTest, HostileFilesAreRefusedWithANamedError) {
  auto bytes = image::readFileBytes(file_);
  ASSERT_TRUE(bytes.ok());
  const auto write = [&](const std::string& name, const std::vector<std::uint8_t>& data) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    return path;
  };
  // Cut short.
  const fs::path cut = write("cut.mp4", {bytes->begin(), bytes->begin() + bytes->size() / 2});
  Status sampled = video::sampleFrames(cut, {}, {}, [](const video::SampledFrame&) {
    return okStatus();
  });
  auto cutInfo = video::probeVideo(cut);
  ASSERT_TRUE(!cutInfo.ok() || !sampled.ok()) << "a video cut in half is not taken for whole";
  if (!sampled.ok()) {
    EXPECT_TRUE(sampled.error().code == "truncated" || sampled.error().code == "corrupt")
        << sampled.error().code;
    EXPECT_FALSE(sampled.error().message.empty());
  }
  if (!cutInfo.ok()) {
    EXPECT_FALSE(cutInfo.error().message.empty());
  }
  // Claiming 10 hours: the movie header's duration says 36000 s.
  std::vector<std::uint8_t> long_ = *bytes;
  const std::string mvhd = "mvhd";
  auto at = std::search(long_.begin(), long_.end(), mvhd.begin(), mvhd.end());
  ASSERT_NE(at, long_.end());
  const size_t box = static_cast<size_t>(at - long_.begin()) + 4;  // version and flags
  ASSERT_EQ(long_[box], 0) << "a version 0 mvhd";
  const std::uint32_t scale = (std::uint32_t{long_[box + 12]} << 24) |
                              (std::uint32_t{long_[box + 13]} << 16) |
                              (std::uint32_t{long_[box + 14]} << 8) | long_[box + 15];
  const std::uint32_t duration = scale * 36000;
  for (int i = 0; i < 4; ++i) long_[box + 16 + i] = static_cast<std::uint8_t>(duration >> (24 - 8 * i));
  auto tooLong = video::probeVideo(write("ten-hours.mp4", long_));
  ASSERT_FALSE(tooLong.ok());
  EXPECT_EQ(tooLong.error().code, "too_long");
  EXPECT_NE(tooLong.error().message.find("Trim it"), std::string::npos);
  // Not a video at all, whatever its name says.
  const std::string text = "This is the minutes of the governors' meeting.\n";
  const fs::path fake = write("fake.mp4", {text.begin(), text.end()});
  auto notVideo = video::probeVideo(fake);
  ASSERT_FALSE(notVideo.ok());
  EXPECT_TRUE(notVideo.error().code == "not_a_video" || notVideo.error().code == "corrupt")
      << notVideo.error().code;
  EXPECT_FALSE(video::looksLikeVideo({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}));
  EXPECT_FALSE(video::writeCleanCopy(fake, dir_ / "f.mp4").ok());
}

}  // namespace
}  // namespace consentguard::testing
