#include "consentguard/faces/matcher.h"

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
  // A person's distance is that of their closest template.
  struct Nearest {
    double distance;
    bool current;
  };
  std::map<std::string, Nearest> nearestByPerson;
  for (const auto& t : templates_) {
    const double d = distance(face, t.descriptor);
    auto [it, inserted] = nearestByPerson.try_emplace(t.person, Nearest{d, t.current});
    if (!inserted && d < it->second.distance) it->second = {d, t.current};
  }
  Match result;
  for (const auto& [person, nearest] : nearestByPerson) {
    const double d = nearest.distance;
    if (d < result.distance) {
      result.stale_template = !nearest.current;
      result.runner_up = result.nearest;
      result.runner_up_distance = result.distance;
      result.nearest = person;
      result.distance = d;
    } else if (d < result.runner_up_distance) {
      result.runner_up = person;
      result.runner_up_distance = d;
    }
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

}  // namespace consentguard::faces
