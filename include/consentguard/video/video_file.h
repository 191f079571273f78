// Short videos (MP4, MOV, M4V) read with Debian's FFmpeg libraries: what a file is and how long
// (checked before any frame is decoded), its frames sampled for the face engine, and the copy
// that may be published: the video and sound copied as they are (no re-encoding) into a new
// MP4 with no metadata at all (no GPS, make, model, serial, creation time, chapter or subtitle
// text, no data tracks such as Apple's location track), keeping only the rotation so that it
// plays upright. That copy is re-read and must be found clean, or it is not published.
// Free functions; thread-safe (each call opens its own FFmpeg contexts).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "consentguard/common/result.h"

namespace consentguard::video {

struct VideoLimits {
  double max_seconds = 120;                  // policy.video.max_seconds
  std::uint64_t max_bytes = 512ull << 20;    // the upload limit
  int max_side = 4096;                       // 4K; larger frames are refused
};

struct VideoInfo {
  std::string container;  // FFmpeg's name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  std::string codec;      // the video's, e.g. "h264", "hevc"
  double seconds = 0;
  int width = 0, height = 0;  // as stored
  int rotation = 0;           // degrees clockwise to turn it upright: 0, 90, 180 or 270
  double fps = 0;
  bool has_audio = false;
  // Every piece of metadata found, by name: container and stream tags ("creation_time",
  // "location", "com.apple.quicktime.make" ...), "chapters", and streams other than one video
  // and one sound ("subtitle stream", "data stream"). A clean copy has none.
  std::vector<std::string> metadata;
  // Each such tag's value ("title: Sports day ..."), for the full-name rule and the device
  // register, and the camera's make and model where the tags give them.
  std::vector<std::pair<std::string, std::string>> text;
  std::string camera_make, camera_model;
};

// Whether the bytes start like an MP4/MOV/M4V (an ISO-BMFF "ftyp" box with a video brand, or a
// QuickTime file's first atom). Sniffed from the bytes, never the name.
bool looksLikeVideo(std::span<const std::uint8_t> bytes);

// Errors: "not_a_video", "truncated", "corrupt", "too_long" (declared or found longer than
// max_seconds), "too_large" (bytes or frame size), "unsupported_format" (no decoder).
Result<VideoInfo> probeVideo(const std::filesystem::path& file, const VideoLimits& limits = {});

struct SampledFrame {
  std::int64_t ms = 0;  // from the start
  cv::Mat rgb;          // upright
  bool scene_cut = false;
};

struct SampleOptions {
  int sample_ms = 500;           // policy.video.sample_ms
  double cut_threshold = 28.0;   // mean change of a small grey thumbnail (0-255) that is a cut
};

// Decodes the video once, calling `visit` for a frame every sample_ms and at each scene cut
// (the first frame is always visited). Stops with the visitor's error, or "too_long" once the
// frames pass max_seconds whatever the file declared.
Status sampleFrames(const std::filesystem::path& file, const SampleOptions& options,
                    const VideoLimits& limits,
                    const std::function<Status(const SampledFrame&)>& visit);

// Writes the copy that may be published to `out` (MP4), then re-reads it with verifyCleanVideo.
// Errors: "not_clean", "remux_failed", and probeVideo's.
Status writeCleanCopy(const std::filesystem::path& in, const std::filesystem::path& out,
                      const VideoLimits& limits = {});

// A file that is one video (and at most one sound) stream with no metadata, whose first frame
// decodes. Errors: "not_clean", naming what is left.
Status verifyCleanVideo(const std::filesystem::path& file);

}  // namespace consentguard::video
