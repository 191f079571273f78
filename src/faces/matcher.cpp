#include "consentguard/faces/matcher.h"

#include <algorithm>
#include <map>

namespace consentguard::faces {

std::string outcomeName(MatchOutcome outcome) {
  switch (outcome) {
    case MatchOutcome::kRecognised: return "recognised";
    case MatchOutcome::kUnknown: return "unknown";
    case MatchOutcome::kAmbiguous: return "ambiguous";
    case MatchOutcome::kTooSmall: return "too_small";
  }
  return "unknown";
}

Matcher::Matcher(std::vector<EnrolledTemplate> templates, MatchOptions options)
    : templates_(std::move(templates)), options_(options) {}

Match Matcher::match(const Descriptor& face) const {
  std::map<std::string, PersonDistance> nearestByPerson;
  for (const auto& t : templates_) {
    const double d = distance(face, t.descriptor);
    auto [it, inserted] = nearestByPerson.try_emplace(t.person, PersonDistance{t.person, d, t.current});
    if (!inserted && d < it->second.distance) it->second = {t.person, d, t.current};
  }
  Match result;
  for (auto& [person, nearest] : nearestByPerson) result.people.push_back(std::move(nearest));
  std::stable_sort(result.people.begin(), result.people.end(),
                   [](const auto& a, const auto& b) { return a.distance < b.distance; });
  if (!result.people.empty()) {
    result.nearest = result.people[0].person;
    result.distance = result.people[0].distance;
    result.stale_template = !result.people[0].current;
  }
  if (result.people.size() > 1) {
    result.runner_up = result.people[1].person;
    result.runner_up_distance = result.people[1].distance;
  }
  if (result.nearest.empty() || result.distance > options_.threshold) {
    result.outcome = MatchOutcome::kUnknown;
  } else if (result.runner_up_distance - result.distance < options_.margin) {
    result.outcome = MatchOutcome::kAmbiguous;
  } else {
    result.outcome = MatchOutcome::kRecognised;
    result.person = result.nearest;
  }
  return result;
}

bool mayBe(const Match& match, const PersonDistance& candidate, const MatchOptions& options) {
  return candidate.distance <= options.protect_threshold &&
         candidate.distance <= match.distance + options.protect_margin;
}

}  // namespace consentguard::faces
