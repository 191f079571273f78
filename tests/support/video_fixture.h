// Short MP4 videos made by the tests from their own pictures: each picture shown for some
// seconds, coded as H.264 by Debian's ffmpeg program, then given metadata by exiftool (GPS,
// make, model, creation time) and a rotation, as a school iPad's video carries them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace consentguard::testing {

struct VideoScene {
  cv::Mat rgb;  // the picture as stored (before the rotation)
  double seconds = 1;
};

struct VideoMetadata {
  bool camera_and_place = true;  // Make, Model, GPS, creation time
  int rotation = 0;              // degrees clockwise to show it upright
};

// Writes `file` (an MP4) and returns whether ffmpeg and exiftool succeeded; the reason is
// printed as a test failure otherwise.
bool makeVideo(const std::filesystem::path& file, const std::vector<VideoScene>& scenes,
               const VideoMetadata& metadata = {});

// Whether ffmpeg (and ffprobe) and exiftool are installed; the tests skip, or fail in CI,
// without them.
bool haveVideoTools();

// What `command` prints (standard output and error).
std::string commandOutput(const std::string& command);

}  // namespace consentguard::testing
