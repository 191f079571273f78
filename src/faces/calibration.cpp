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
  if (c.closest_pairs.size() > 5) c.closest_pairs.resize(5);
  return c;
}

}  // namespace consentguard::faces
