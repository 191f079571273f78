// PhotoChecker::checkVideo: the rules of a photo over every person seen in a video.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <set>
#include <thread>

#include "check_parts.h"
#include "consentguard/check/face_tracks.h"
#include "consentguard/check/photo_check.h"
#include "consentguard/common/dates.h"

namespace consentguard::check {
namespace {

bool protects(const policy::FaceFacts& f) {
  if (f.identity != policy::Identity::kPerson && f.identity != policy::Identity::kLikely) {
    return false;
  }
  return !f.standing.is_staff && (f.standing.no_photo || !f.standing.consent_current);
}

// When the person was on screen: sightings closer than two samples apart are one stretch.
std::vector<std::pair<double, double>> stretches(const FaceTrack& track, int sample_ms) {
  std::vector<std::pair<double, double>> out;
  for (const auto& s : track.sightings) {
    const double at = static_cast<double>(s.ms) / 1000;
    if (!out.empty() && at - out.back().second <= 2.0 * sample_ms / 1000 + 0.01) {
      out.back().second = at;
    } else {
      out.emplace_back(at, at);
    }
  }
  return out;
}

// Sampled frames passed from the decoding thread to the checking one: at most two waiting. The
// checking thread takes every frame until the decoder finishes, so the decoder never waits
// for ever.
class FrameHandoff {
 public:
  Status put(const video::SampledFrame& frame) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return waiting_.size() < 2; });
    waiting_.push_back(frame);
    changed_.notify_all();
    return okStatus();
  }
  void finish(Status outcome) {
    std::lock_guard lock(mutex_);
    outcome_ = std::move(outcome);
    done_ = true;
    changed_.notify_all();
  }
  std::optional<video::SampledFrame> take() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !waiting_.empty() || done_; });
    if (waiting_.empty()) return std::nullopt;
    video::SampledFrame frame = std::move(waiting_.front());
    waiting_.pop_front();
    changed_.notify_all();
    return frame;
  }
  Status outcome() {
    std::lock_guard lock(mutex_);
    return outcome_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<video::SampledFrame> waiting_;
  bool done_ = false;
  Status outcome_ = okStatus();
};

// The policy's sentences speak of a photo; these are about a video.
std::string inVideoWords(std::string message) {
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"This photo", "This video"},
                                 {"this photo", "this video"},
                                 {"per photo", "per video"},
                                 {"a photo with", "a video with"},
                                 {"another photo", "another video"}}) {
    for (size_t at = message.find(from); at != std::string::npos;
         at = message.find(from, at + to.size())) {
      message.replace(at, from.size(), to);
    }
  }
  return message;
}

VideoFrame thumbnailOf(const video::SampledFrame& frame) {
  VideoFrame out;
  out.ms = frame.ms;
  out.scene_cut = frame.scene_cut;
  out.scale = std::min(1.0, double(VideoFrame::kThumbnailWidth) / std::max(1, frame.rgb.cols));
  cv::resize(frame.rgb, out.thumbnail, cv::Size(), out.scale, out.scale, cv::INTER_AREA);
  return out;
}

// Marks each sighting of a track in its frame's thumbnail as person `index`.
void markFrames(std::vector<VideoFrame>& frames, const FaceTrack& track, int index) {
  for (const auto& s : track.sightings) {
    auto frame = std::lower_bound(frames.begin(), frames.end(), s.ms,
                                  [](const VideoFrame& f, std::int64_t ms) { return f.ms < ms; });
    if (frame != frames.end() && frame->ms == s.ms) frame->faces.emplace_back(s.face.box, index);
  }
}

}  // namespace

Result<VideoCheckResult> PhotoChecker::checkVideo(const VideoRequest& request) {
  if (!config_.channel(request.channel)) return policy::unknownChannel(request.channel, config_);
  const std::string today = today_.empty() ? todayIso() : today_;
  VideoCheckResult result;
  standings_.clear();
  policy::PhotoFacts facts;
  facts.channel = request.channel;

  video::VideoLimits limits;
  limits.max_seconds = config_.video_max_seconds;
  // The folders and the API hold a video to service.max_video_upload_mb; this is the ceiling.
  limits.max_bytes = std::max<std::uint64_t>(limits_.max_bytes, 1024ull << 20);
  auto info = video::probeVideo(request.file, limits);
  auto matcher = this->matcher(today);
  if (!matcher) return matcher.error();
  FaceTracker tracker;
  Status sampled = info ? okStatus() : Status(info.error());
  if (info) {
    result.info = *info;
    video::SampleOptions options;
    options.sample_ms = config_.video_sample_ms;
    // Decoding runs on a thread of its own, a frame or two ahead of the face engine.
    FrameHandoff handoff;
    std::thread decoder([&] {
      Status s =
          video::sampleFrames(request.file, options, limits,
                              [&](const video::SampledFrame& frame) { return handoff.put(frame); });
      handoff.finish(std::move(s));
    });
    while (auto frame = handoff.take()) {
      ++result.frames_sampled;
      tracker.add(frame->ms, engine_.analyse(frame->rgb), frame->scene_cut);
      result.frames.push_back(thumbnailOf(*frame));
    }
    decoder.join();
    sampled = handoff.outcome();
  }
  if (!sampled) {
    facts.readable = false;
    facts.unreadable_message = sampled.error().message;
  } else {
    struct TrackPerson {
      size_t index;                   // in result.people and facts.faces
      std::set<std::int64_t> frames;  // the frames they were seen in
    };
    std::vector<TrackPerson> trackPeople;
    for (const auto& track : tracker.tracks()) {
      // Each frame's answer; then the track's: a protecting answer in any frame wins, else one
      // person named by the strict test (in their frames, and nobody else), else unknown.
      std::vector<std::pair<policy::FaceFacts, CheckedFace>> answers;
      for (const auto& s : track.sightings) {
        CheckedFace face;
        face.box = s.face.box;
        auto f = faceFacts(faces::identify(s.face, *matcher), request.channel, today, face);
        if (!f) return f.error();
        answers.emplace_back(std::move(f.value()), std::move(face));
      }
      size_t chosen = 0;
      const auto protecting = std::find_if(answers.begin(), answers.end(),
                                           [](const auto& a) { return protects(a.first); });
      std::vector<std::string> named;
      for (const auto& a : answers) {
        if (a.first.identity == policy::Identity::kPerson &&
            std::find(named.begin(), named.end(), a.first.person_id) == named.end()) {
          named.push_back(a.first.person_id);
        }
      }
      policy::FaceFacts trackFacts;
      if (protecting != answers.end()) {
        chosen = static_cast<size_t>(protecting - answers.begin());
        trackFacts = protecting->first;
      } else if (named.size() == 1) {
        for (size_t i = 0; i < answers.size(); ++i) {
          if (answers[i].first.identity == policy::Identity::kPerson) {
            chosen = i;
            break;
          }
        }
        trackFacts = answers[chosen].first;
      } else {
        // Nobody, or two people named in one track: a person must look. Its best frame is
        // the one with the largest face.
        for (size_t i = 0; i < answers.size(); ++i) {
          if (track.sightings[i].face.box.area() > track.sightings[chosen].face.box.area()) {
            chosen = i;
          }
        }
        trackFacts = answers[chosen].first;
        if (named.size() > 1) {
          trackFacts.identity = policy::Identity::kAmbiguous;
        } else if (trackFacts.identity == policy::Identity::kPerson) {
          trackFacts.identity = policy::Identity::kUnknown;
        }
      }
      VideoPerson person;
      person.face = answers[chosen].second;
      if (trackFacts.identity != policy::Identity::kPerson &&
          trackFacts.identity != policy::Identity::kLikely) {
        person.face.person.clear();
        person.face.role.clear();
        person.face.likely = false;
      }
      person.best_ms = track.sightings[chosen].ms;
      person.seen = stretches(track, config_.video_sample_ms);
      std::set<std::int64_t> frames;
      for (const auto& s : track.sightings) frames.insert(s.ms);
      // The same person named in two tracks that never share a frame is one person seen
      // twice (they left and came back); in the same frame it is two faces, as in a photo.
      const auto same = std::find_if(trackPeople.begin(), trackPeople.end(), [&](const auto& p) {
        if (trackFacts.identity != policy::Identity::kPerson ||
            facts.faces[p.index].identity != policy::Identity::kPerson ||
            facts.faces[p.index].person_id != trackFacts.person_id) {
          return false;
        }
        return std::none_of(frames.begin(), frames.end(),
                            [&](std::int64_t ms) { return p.frames.count(ms) > 0; });
      });
      if (same != trackPeople.end()) {
        markFrames(result.frames, track, static_cast<int>(same->index));
        auto& earlier = result.people[same->index];
        earlier.seen.insert(earlier.seen.end(), person.seen.begin(), person.seen.end());
        std::sort(earlier.seen.begin(), earlier.seen.end());
        same->frames.insert(frames.begin(), frames.end());
        continue;
      }
      markFrames(result.frames, track, static_cast<int>(result.people.size()));
      trackPeople.push_back({result.people.size(), std::move(frames)});
      facts.faces.push_back(std::move(trackFacts));
      result.people.push_back(std::move(person));
    }
    image::PhotoMetadata camera;
    camera.camera_make = info->camera_make;
    camera.camera_model = info->camera_model;
    auto device = deviceFacts(camera);
    if (!device) return device.error();
    facts.device = std::move(device.value());
  }
  facts.texts = publishedTexts(request.caption, request.alt_text, request.file_name);
  if (result.info) {
    for (const auto& [name, value] : result.info->text) {
      facts.texts.push_back({"the video's metadata (" + name + ")", value, false});
    }
  }
  auto decision = decideAndRecord(facts, request.file_name, today);
  if (!decision) return decision.error();
  result.decision = std::move(decision.value());
  for (auto& reason : result.decision.reasons) reason.message = inVideoWords(reason.message);
  for (size_t i = 0; i < result.people.size(); ++i) {
    result.people[i].face.status = result.decision.faces[i].status;
  }
  if (result.decision.verdict == policy::Verdict::kPublish) {
    Status clean = request.publish_to.empty()
                       ? Status(makeError("not_clean", "", "nowhere to write the clean copy"))
                       : video::writeCleanCopy(request.file, request.publish_to, limits);
    if (clean) {
      result.published = true;
    } else {
      std::error_code ec;
      std::filesystem::remove(request.publish_to, ec);
      result.decision.verdict = policy::Verdict::kBlock;
      result.decision.reasons.push_back(
          {"not_clean",
           "The video's hidden details (location, camera, creation time) could not be removed "
           "safely, so it cannot be published. Export it again and resubmit it.",
           policy::Verdict::kBlock,
           {}});
    }
  }
  return result;
}

}  // namespace consentguard::check
