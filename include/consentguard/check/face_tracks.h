// Following faces through a video's sampled frames, so that one child seen in many frames is one
// person. A face joins the track whose last box it overlaps (intersection over union at least
// kMinOverlap) within kMaxGapMs in the same shot (no scene cut between), unless both faces are
// clear enough to compare and plainly different people (kOtherPersonDistance); or else the track with a descriptor within kSameFaceDistance
// (a child who left the frame and came back, or a cut back to them); otherwise it starts a
// track. Each face joins at most one track, and a track takes at most one face per frame.
// Not thread-safe (a value type).
#pragma once

#include <cstdint>
#include <vector>

#include "consentguard/faces/face_engine.h"

namespace consentguard::check {

struct Sighting {
  std::int64_t ms = 0;
  faces::FoundFace face;
};

struct FaceTrack {
  std::vector<Sighting> sightings;  // in time order
};

class FaceTracker {
 public:
  static constexpr double kMinOverlap = 0.3;
  static constexpr std::int64_t kMaxGapMs = 1500;
  static constexpr double kSameFaceDistance = 0.45;
  static constexpr double kOtherPersonDistance = 0.6;

  // `cut`: this frame starts a new shot.
  void add(std::int64_t ms, const std::vector<faces::FoundFace>& found, bool cut = false);
  const std::vector<FaceTrack>& tracks() const { return tracks_; }

 private:
  std::vector<FaceTrack> tracks_;
  std::vector<int> shot_of_track_;  // the shot of each track's last sighting
  int shot_ = 0;
};

}  // namespace consentguard::check
