// One photo for one channel through the whole pipeline: read the file once (image::parsePhoto:
// upright pixels and metadata, handed on to everything below), find and identify every face against the enrolled templates, ask the register about each
// person as it stands at this moment, apply the policy, record incidents, and when the verdict
// is publish, make the sanitised copy from that same read (sanitise() has then decoded the copy
// once and found it clean).
//
// Fail closed: a photo that cannot be decoded, whose metadata is hostile, or whose clean copy
// cannot be made gets a block verdict with a reason; only problems of the system itself (the
// database, an unknown channel) are Errors.
// A PhotoChecker borrows the engine and the store (the caller owns them and keeps them alive)
// and, like them, is not thread-safe: each worker has its own.
#pragma once

#include <filesystem>
#include <map>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"
#include "consentguard/image/sanitiser.h"
#include "consentguard/policy/policy.h"
#include "consentguard/register/register_store.h"
#include "consentguard/video/video_file.h"

namespace consentguard::check {

struct CheckRequest {
  std::vector<std::uint8_t> bytes;
  std::string channel;
  std::string file_name;  // as submitted; checked for full names
  std::string caption;
  std::string alt_text;
  // Faces a senior leader identified on the review page (box in upright pixels -> register
  // id). A face found where one of these boxes is counts as that person, as it stands in the
  // register now. No template is ever made from a submitted photo.
  std::vector<std::pair<cv::Rect, std::string>> identified = {};
};

struct CheckedFace {
  cv::Rect box;        // in the upright photo's pixels
  std::string person;  // register id; empty unless recognised or a likely match
  std::string role;    // "pupil", "staff", or empty
  // To `person` when set, else to the nearest enrolled person (infinite when none is enrolled).
  double distance = 0.0;
  std::string status;  // see policy::FaceOutcome
  bool identified_by_slt = false;
  // Possibly `person`, who must not appear: within the protect threshold, not the strict test.
  bool likely = false;
};

struct CheckResult {
  policy::Decision decision;
  std::vector<CheckedFace> faces;
  std::optional<image::PhotoMetadata> metadata;    // absent when unreadable
  std::optional<image::SanitisedPhoto> published;  // present only when the verdict is publish
};

// A video for a channel (video/video_file.h): the same rules over every person seen in it.
struct VideoRequest {
  std::filesystem::path file;
  std::string channel;
  std::string file_name;
  std::string caption;
  std::string alt_text;
  std::filesystem::path publish_to;  // where the clean MP4 is written when it may be published
};

// One person (a face followed through the frames: check/face_tracks.h) in a video.
struct VideoPerson {
  CheckedFace face;                             // as in a photo; `box` is where it was seen best
  std::int64_t best_ms = 0;                     // the frame that box is from
  std::vector<std::pair<double, double>> seen;  // seconds from, to
};

// A sampled frame as a small picture, with the faces seen in it, for the review page's
// contact sheet (check/contact_sheet.h).
struct VideoFrame {
  std::int64_t ms = 0;
  bool scene_cut = false;
  cv::Mat thumbnail;                            // RGB, upright, at most kThumbnailWidth wide
  double scale = 1;                             // thumbnail pixels per frame pixel
  std::vector<std::pair<cv::Rect, int>> faces;  // box in the frame's pixels, index in people
  static constexpr int kThumbnailWidth = 256;
};

struct VideoCheckResult {
  policy::Decision decision;
  std::vector<VideoPerson> people;       // in the order they first appear
  std::vector<VideoFrame> frames;        // every sampled frame, in order
  std::optional<video::VideoInfo> info;  // absent when unreadable
  int frames_sampled = 0;
  bool published = false;  // the clean copy is at publish_to
};

class PhotoChecker {
 public:
  // `today` is the ISO date consent is judged on; empty means the real date at each check.
  PhotoChecker(faces::FaceEngine& engine, reg::RegisterStore& store, policy::PolicyConfig config,
               image::LoadLimits limits = {}, std::string today = {});

  // Errors: "unknown_channel", "database".
  Result<CheckResult> check(const CheckRequest& request);
  // A video: frames sampled every policy.video.sample_ms and at scene cuts, faces followed
  // from frame to frame; a person is named only if the strict test names them, and no one
  // else, in their frames; any frame in which they may be a protected child protects them, as
  // in a photo. Unreadable, too long or cut short: blocked with the reason. Same errors.
  Result<VideoCheckResult> checkVideo(const VideoRequest& request);

 private:
  Result<policy::FaceFacts> faceFacts(const faces::Match& match, const std::string& channel,
                                      const std::string& today, CheckedFace& out);
  // The register's answers for a person on this channel today; nullopt when there is no such
  // person. Remembered for the rest of the check.
  Result<std::optional<policy::PersonStanding>> standingOf(const std::string& person,
                                                           const std::string& channel,
                                                           const std::string& today);
  Result<faces::Matcher> matcher(const std::string& today);
  faces::MatchOptions matchOptions() const;
  Result<policy::DeviceFacts> deviceFacts(const image::PhotoMetadata& metadata);
  Result<policy::FullNameFinder> nameFinder();
  // Looks up the people named in the facts' texts, applies the policy and records its
  // incidents (against `file_name`): the end of a photo's check and of a video's.
  Result<policy::Decision> decideAndRecord(policy::PhotoFacts& facts, const std::string& file_name,
                                           const std::string& today);

  faces::FaceEngine& engine_;
  reg::RegisterStore& store_;
  policy::PolicyConfig config_;
  image::LoadLimits limits_;
  std::string today_;
  std::map<std::string, std::optional<policy::PersonStanding>> standings_;  // for one check
};

}  // namespace consentguard::check
