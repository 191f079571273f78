#include "support/children_eval.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

namespace consentguard::testing {
namespace {

// The distance at which `far` of the impostor pairs are accepted (strictly nearer).
double thresholdAt(const std::vector<double>& impostorSorted, double far) {
  if (impostorSorted.empty()) return 0;
  const size_t k = static_cast<size_t>(std::floor(far * impostorSorted.size()));
  return impostorSorted[std::min(k, impostorSorted.size() - 1)];
}

double share(const std::vector<double>& sorted, double below) {
  if (sorted.empty()) return 0;
  return double(std::lower_bound(sorted.begin(), sorted.end(), below) - sorted.begin()) /
         sorted.size();
}

// P(at least one of `flagged` people among `others` is among `protectedCount` chosen at random).
double chanceAnyProtected(int others, int flagged, int protectedCount) {
  if (protectedCount <= 0 || flagged <= 0) return 0;
  if (others - flagged < protectedCount) return 1;
  double none = 1;
  for (int j = 0; j < protectedCount; ++j) none *= double(others - flagged - j) / (others - j);
  return 1 - none;
}

faces::Descriptor mean(const std::vector<const Sample*>& refs) {
  faces::Descriptor m{};
  for (const Sample* s : refs) {
    for (size_t k = 0; k < m.size(); ++k) m[k] += s->descriptor[k] / refs.size();
  }
  return m;
}

// The references of one person for a probe, latest (or nearest in age) first.
std::vector<const Sample*> ownReferences(const std::vector<Sample>& samples, size_t probe,
                                         const RegisterOptions& o) {
  const Sample& p = samples[probe];
  std::vector<const Sample*> inGap, earlier;
  for (size_t j = 0; j < samples.size(); ++j) {
    const Sample& s = samples[j];
    if (j == probe || s.person != p.person) continue;
    const int gap = p.age - s.age;
    if (gap >= o.gap_min && gap <= o.gap_max) inGap.push_back(&s);
    else if (gap > o.gap_max && gap <= o.gap_max + 4) earlier.push_back(&s);
  }
  if (inGap.empty()) return {};
  auto latestFirst = [](const Sample* a, const Sample* b) { return a->age > b->age; };
  std::stable_sort(inGap.begin(), inGap.end(), latestFirst);
  std::stable_sort(earlier.begin(), earlier.end(), latestFirst);
  std::vector<const Sample*> refs = {inGap.front()};
  if (o.references == References::kSeveral) {
    for (size_t k = 1; k < inGap.size(); ++k) refs.push_back(inGap[k]);
    for (const Sample* s : earlier) refs.push_back(s);
    if (refs.size() > 3) refs.resize(3);
  }
  return refs;
}

std::map<std::string, std::vector<const Sample*>> otherReferences(const std::vector<Sample>& samples,
                                                                  size_t probe,
                                                                  const RegisterOptions& o) {
  const Sample& p = samples[probe];
  std::map<std::string, std::vector<const Sample*>> byPerson;
  for (const Sample& s : samples) {
    if (s.person != p.person && std::abs(s.age - p.age) <= o.others_age_span) {
      byPerson[s.person].push_back(&s);
    }
  }
  const size_t keep = o.references == References::kSeveral ? 3 : 1;
  for (auto& [person, refs] : byPerson) {
    std::stable_sort(refs.begin(), refs.end(), [&](const Sample* a, const Sample* b) {
      return std::abs(a->age - p.age) < std::abs(b->age - p.age);
    });
    if (refs.size() > keep) refs.resize(keep);
  }
  return byPerson;
}

}  // namespace

Verification verify(const std::vector<Sample>& samples, int gap_min, int gap_max,
                    int impostor_age_span) {
  std::vector<double> genuine, impostor;
  for (size_t i = 0; i < samples.size(); ++i) {
    for (size_t j = i + 1; j < samples.size(); ++j) {
      const Sample &a = samples[i], &b = samples[j];
      const int gap = std::abs(a.age - b.age);
      if (a.person == b.person) {
        if (gap >= gap_min && gap <= gap_max) genuine.push_back(faces::distance(a.descriptor, b.descriptor));
      } else if (gap <= impostor_age_span) {
        impostor.push_back(faces::distance(a.descriptor, b.descriptor));
      }
    }
  }
  std::sort(genuine.begin(), genuine.end());
  std::sort(impostor.begin(), impostor.end());
  Verification v;
  v.genuine = static_cast<long>(genuine.size());
  v.impostor = static_cast<long>(impostor.size());
  v.threshold_far_1 = thresholdAt(impostor, 0.01);
  v.threshold_far_01 = thresholdAt(impostor, 0.001);
  v.tar_far_1 = share(genuine, v.threshold_far_1);
  v.tar_far_01 = share(genuine, v.threshold_far_01);
  return v;
}

Identification identify(const std::vector<Sample>& samples, const RegisterOptions& options) {
  Identification r;
  double registerSizes = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    const Sample& probe = samples[i];
    const auto own = ownReferences(samples, i, options);
    if (own.empty()) continue;
    auto refs = otherReferences(samples, i, options);
    refs[probe.person] = own;
    std::vector<faces::EnrolledTemplate> templates;
    for (const auto& [person, photos] : refs) {
      if (options.combine == Combine::kMean) {
        templates.push_back({person, mean(photos)});
      } else {
        for (const Sample* s : photos) templates.push_back({person, s->descriptor});
      }
    }
    const faces::Match m = faces::Matcher(templates, options.match).match(probe.descriptor);
    ++r.probes;
    registerSizes += static_cast<double>(m.people.size());
    r.rank1 += m.nearest == probe.person;
    if (m.outcome == faces::MatchOutcome::kRecognised) {
      if (m.person == probe.person) {
        ++r.named_right;
      } else {
        ++r.named_wrong;
        r.wrong.push_back(probe.person + " at " + std::to_string(probe.age) + " -> " + m.person);
      }
    }
    int flagged = 0;
    for (const auto& candidate : m.people) {
      const bool plausible = faces::mayBe(m, candidate, options.match);
      if (candidate.person == probe.person) {
        r.protect_caught += plausible;
        r.missed_but_named += !plausible && m.outcome == faces::MatchOutcome::kRecognised;
      } else {
        ++r.pairs;
        flagged += plausible;
      }
    }
    r.pairs_flagged += flagged;
    const int others = static_cast<int>(m.people.size()) - 1;
    const auto protectedCount = [&](double fraction) {
      return std::clamp(static_cast<int>(std::lround(fraction * (others + 1))), 1, others);
    };
    r.photo_flagged_5 += chanceAnyProtected(others, flagged, protectedCount(0.05));
    r.photo_flagged_20 += chanceAnyProtected(others, flagged, protectedCount(0.20));
  }
  if (r.probes) {
    r.photo_flagged_5 /= r.probes;
    r.photo_flagged_20 /= r.probes;
    r.register_size = registerSizes / r.probes;
  }
  return r;
}

}  // namespace consentguard::testing
