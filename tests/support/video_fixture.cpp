#include "support/video_fixture.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/test_support.h"

namespace consentguard::testing {

std::string commandOutput(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::string out;
  std::array<char, 4096> buffer{};
  while (pipe && fgets(buffer.data(), buffer.size(), pipe)) out += buffer.data();
  if (pipe) pclose(pipe);
  return out;
}

bool haveVideoTools() {
  return std::system("command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 "
                     "&& command -v exiftool >/dev/null 2>&1") == 0;
}

bool makeVideo(const fs::path& file, const std::vector<VideoScene>& scenes,
               const VideoMetadata& metadata) {
  const fs::path dir = file.parent_path() / (file.stem().string() + "-frames");
  fs::create_directories(dir);
  std::ofstream list(dir / "scenes.txt");
  for (size_t i = 0; i < scenes.size(); ++i) {
    cv::Mat bgr;
    cv::cvtColor(scenes[i].rgb, bgr, cv::COLOR_RGB2BGR);
    const fs::path picture = dir / ("scene" + std::to_string(i) + ".png");
    cv::imwrite(picture.string(), bgr);
    list << "file '" << picture.string() << "'\nduration " << scenes[i].seconds << "\n";
  }
  // The concat demuxer needs the last picture named again to hold it for its duration.
  list << "file '" << (dir / ("scene" + std::to_string(scenes.size() - 1) + ".png")).string()
       << "'\n";
  list.close();
  const std::string made = commandOutput(
      "ffmpeg -y -loglevel error -f concat -safe 0 -i " + shellQuoted(dir / "scenes.txt") +
      " -vf fps=10,format=yuv420p -c:v libx264 -preset ultrafast " + shellQuoted(file));
  if (!fs::exists(file)) {
    ADD_FAILURE() << "ffmpeg did not make the video: " << made;
    return false;
  }
  std::string tags;
  if (metadata.camera_and_place) {
    tags += " -Keys:Make=Apple -Keys:Model='iPad (9th generation)'"
            " -UserData:Make=Apple -UserData:Model='iPad (9th generation)'"
            " -Keys:GPSCoordinates='51.5014 N, 0.1419 W' -UserData:GPSCoordinates='51.5014 N, "
            "0.1419 W' -QuickTime:CreateDate='2026:06:12 10:00:00'"
            " -Keys:CreationDate='2026:06:12 10:00:00+01:00'";
  }
  if (metadata.rotation != 0) tags += " -Rotation=" + std::to_string(metadata.rotation);
  if (!tags.empty()) {
    const std::string written =
        commandOutput("exiftool -overwrite_original -q" + tags + " " + shellQuoted(file));
    if (!written.empty() && written.find("Warning") == std::string::npos) {
      ADD_FAILURE() << "exiftool could not write the video's metadata: " << written;
      return false;
    }
  }
  return true;
}

}  // namespace consentguard::testing
