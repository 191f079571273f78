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
  // Protection (see mayBe): a person who must not appear is a plausible answer for a face when
  // they are within protect_threshold of it AND within protect_margin of the face's best match.
  // Chosen on children (testdata/children, issue 21, `consentguard_bench 1 --children-eval`),
  // a year or two after one reference photo: "anyone within 0.57" caught 97.1% of protected
  // children and flagged 18.2% of (photo, other child) pairs; with the 0.01 margin, 90.7% and
  // 0.4% (91.9% and 0.4% from several reference photos). A margin of 0 caught 89.0%; 0.02
  // flagged 0.6%. A person within 0.40-0.44 whatever the best match added little recall for
  // more flags.
  // protect_margin must stay below margin: then a face the strict test names is never also
  // "possibly" someone else, and a protected child who is not flagged is never named as
  // another child either (see the children tests), so they go to a person as unknown.
  double protect_threshold = 0.57;
  double protect_margin = 0.01;
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

// Whether `candidate` (one of match.people) is a plausible answer for the face: within the
// protect threshold, and within the protect margin of the face's nearest person. A face that
// may be a protected child protects them (PhotoChecker); the face's nearest person is always
// plausible when within the threshold.
bool mayBe(const Match& match, const PersonDistance& candidate, const MatchOptions& options);

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
