#include "consentguard/faces/calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace consentguard::faces {

int Calibration::sameWithin(double t) const {
  return static_cast<int>(std::upper_bound(same.begin(), same.end(), t) - same.begin());
}

int Calibration::otherWithin(double t) const {
  return static_cast<int>(std::upper_bound(other.begin(), other.end(), t) - other.begin());
}

Calibration calibrate(const std::vector<EnrolledTemplate>& templates,
                      const CalibrationOptions& options) {
  constexpr double kInfinite = std::numeric_limits<double>::infinity();
  Calibration c;
  c.templates = static_cast<int>(templates.size());
  std::map<std::string, int> perPerson;
  for (const auto& t : templates) ++perPerson[t.person];
  c.people = static_cast<int>(perPerson.size());
  for (const auto& [person, count] : perPerson) c.single_template_people += count == 1;

  std::map<std::pair<std::string, std::string>, double> pairs;  // nearest templates per pair
  for (size_t i = 0; i < templates.size(); ++i) {
    HeldOut h{templates[i].person, kInfinite, kInfinite, ""};
    for (size_t j = 0; j < templates.size(); ++j) {
      if (i == j) continue;
      const double d = distance(templates[i].descriptor, templates[j].descriptor);
      if (templates[j].person == h.person) {
        h.same = std::min(h.same, d);
        continue;
      }
      if (d < h.other) {
        h.other = d;
        h.other_person = templates[j].person;
      }
      auto key = std::minmax(h.person, templates[j].person);
      auto [it, inserted] = pairs.try_emplace({key.first, key.second}, d);
      if (!inserted) it->second = std::min(it->second, d);
    }
    c.held_out.push_back(h);
    if (std::isfinite(h.other)) {
      c.other.push_back(h.other);
      c.strangers_named += h.other <= options.match_threshold;
      c.strangers_flagged += h.other <= options.protect_threshold;
    }
    if (!std::isfinite(h.same)) continue;
    c.same.push_back(h.same);
    if (h.other < h.same && h.other <= options.match_threshold) {
      ++c.named_wrongly;
    } else if (h.same > options.match_threshold) {
      ++c.not_recognised;
    } else if (h.other - h.same < options.match_margin) {
      ++c.ambiguous;
    }
  }
  std::sort(c.same.begin(), c.same.end());
  std::sort(c.other.begin(), c.other.end());
  for (const auto& [key, d] : pairs) c.closest_pairs.push_back({key.first, key.second, d});
  std::sort(c.closest_pairs.begin(), c.closest_pairs.end(),
            [](const ClosePair& x, const ClosePair& y) { return x.distance < y.distance; });
  for (const auto& p : c.closest_pairs) {
    if (tooClose(p.distance, options)) c.too_close.push_back(p);
  }
  if (c.closest_pairs.size() > 5) c.closest_pairs.resize(5);
  return c;
}

bool tooClose(double distance, const CalibrationOptions& options) {
  return distance <= options.match_threshold + options.match_margin ||
         distance <= options.protect_threshold;
}

std::string tooCloseWarning(const ClosePair& pair, const std::string& a, const std::string& b,
                            const CalibrationOptions& options) {
  const std::string both = a + " and " + b;
  if (pair.distance <= options.match_threshold) {
    return both + " look so alike to Consent Guard that a photo of one could be taken for the "
           "other: photos of either will often go to a senior leader, and if one of them must "
           "not appear, photos of the other may be blocked.";
  }
  if (pair.distance <= options.protect_threshold) {
    return both + " look alike to Consent Guard: if one of them must not appear (no-photo list "
           "or no consent), photos of the other may be blocked, and photos of either will "
           "often go to a senior leader.";
  }
  return both + " look alike to Consent Guard: photos of either will often go to a senior "
         "leader, because it cannot be sure which of them it is.";
}

std::string tooCloseAdvice() {
  return "First check that they really are different people: if a photo of one was enrolled "
         "for the other, remove it from the wrong record. If they are different (brothers and "
         "sisters, twins), add more recent, clear reference photos of each, facing the camera, "
         "so that Consent Guard can tell them apart.";
}

}  // namespace consentguard::faces
