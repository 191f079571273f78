// Decides whose face a descriptor is, from the enrolled templates. A face is named only when
// its nearest person is within the distance threshold AND clearly nearer than anyone else
// (the margin); otherwise it is unknown or ambiguous, and a person must look at it.
// Immutable after construction; safe to use from several threads.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "consentguard/faces/descriptor.h"

namespace consentguard::faces {

struct EnrolledTemplate {
  std::string person;  // the register's id for the person
  Descriptor descriptor;
  // Made by this program's face pipeline (FaceEngine::pipelineVersion), and young enough
  // (policy.template_max_age_months). Any other template may name a face only for protection,
  // never to permit it (PhotoChecker).
  bool current = true;
};

struct MatchOptions {
  // Measured on testdata (greyscale reference crops against colour group photos): the same
  // person at 0.40-0.521, different people never nearer than 0.586, a small blurred bystander
  // at 0.549 (dlib's usual 0.6 would have named him). See the issue #2 closing note.
  double threshold = 0.53;
  // The runner-up person must be at least this much further away. The smallest true-match gap
  // measured was 0.096 (a turned face aligned from an MMOD box), so 0.1 would send it to review.
  double margin = 0.08;
};

enum class MatchOutcome { kRecognised, kUnknown, kAmbiguous, kTooSmall };

std::string outcomeName(MatchOutcome outcome);

// One enrolled person's distance from a face: that of their closest template.
struct PersonDistance {
  std::string person;
  double distance = 0.0;
  bool current = true;  // that closest template may permit (see EnrolledTemplate::current)
};

struct Match {
  MatchOutcome outcome = MatchOutcome::kUnknown;
  std::string person;             // set only when recognised
  std::string nearest;            // nearest enrolled person, whatever the outcome (for review)
  double distance = std::numeric_limits<double>::infinity();
  std::string runner_up;          // second-nearest *other* person
  double runner_up_distance = std::numeric_limits<double>::infinity();
  // The nearest person's closest template may not permit (another pipeline, or too old).
  bool stale_template = false;
  // Every enrolled person, nearest first: protection looks beyond the nearest (PhotoChecker).
  std::vector<PersonDistance> people;
};

class Matcher {
 public:
  Matcher(std::vector<EnrolledTemplate> templates, MatchOptions options = {});

  Match match(const Descriptor& face) const;
  const MatchOptions& options() const { return options_; }

 private:
  std::vector<EnrolledTemplate> templates_;
  MatchOptions options_;
};

}  // namespace consentguard::faces
