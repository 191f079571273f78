#include "consentguard/check/face_tracks.h"

#include <limits>

namespace consentguard::check {
namespace {

double overlap(const cv::Rect& a, const cv::Rect& b) {
  const double shared = (a & b).area();
  const double all = a.area() + b.area() - shared;
  return all > 0 ? shared / all : 0;
}

}  // namespace

void FaceTracker::add(std::int64_t ms, const std::vector<faces::FoundFace>& found, bool cut) {
  if (cut) ++shot_;
  std::vector<bool> taken(tracks_.size(), false);
  for (const auto& face : found) {
    int best = -1;
    double bestOverlap = kMinOverlap;
    for (size_t t = 0; t < tracks_.size(); ++t) {
      const Sighting& last = tracks_[t].sightings.back();
      if (taken[t] || ms - last.ms > kMaxGapMs || shot_of_track_[t] != shot_) continue;
      if (face.identifiable && last.face.identifiable &&
          faces::distance(face.descriptor, last.face.descriptor) > kOtherPersonDistance) {
        continue;
      }
      const double o = overlap(face.box, last.face.box);
      if (o >= bestOverlap) {
        bestOverlap = o;
        best = static_cast<int>(t);
      }
    }
    if (best < 0 && face.identifiable) {
      double nearest = kSameFaceDistance;
      for (size_t t = 0; t < tracks_.size(); ++t) {
        if (taken[t]) continue;
        for (const auto& seen : tracks_[t].sightings) {
          if (!seen.face.identifiable) continue;
          const double d = faces::distance(face.descriptor, seen.face.descriptor);
          if (d <= nearest) {
            nearest = d;
            best = static_cast<int>(t);
          }
        }
      }
    }
    if (best < 0) {
      tracks_.push_back({});
      shot_of_track_.push_back(shot_);
      taken.push_back(false);
      best = static_cast<int>(tracks_.size() - 1);
    }
    tracks_[static_cast<size_t>(best)].sightings.push_back({ms, face});
    shot_of_track_[static_cast<size_t>(best)] = shot_;
    taken[static_cast<size_t>(best)] = true;
  }
}

}  // namespace consentguard::check
