// Recognition figures over labelled descriptors taken at known ages: verification (TAR at a
// FAR), identification against a register (rank-1, named right or wrong by the strict test),
// and protection (faces::mayBe: recall of a protected child's own later photo, and false flags
// of other children). The bench prints them (`consentguard_bench 1 --children-eval`) and the
// children's tests assert them, with the product's own Matcher and mayBe.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "consentguard/faces/matcher.h"

namespace consentguard::testing {

struct Sample {
  std::string person;
  int age = 0;  // years; adults all 0
  faces::Descriptor descriptor{};
};

// Genuine pairs: the same person, the later photo gap_min..gap_max years after the earlier.
// Impostor pairs: different people whose photos are at most `impostor_age_span` years apart
// in age (children are compared with children of their own age, as in a school).
struct Verification {
  long genuine = 0, impostor = 0;
  double threshold_far_1 = 0, threshold_far_01 = 0;  // distances at FAR 1% and 0.1%
  double tar_far_1 = 0, tar_far_01 = 0;
};
Verification verify(const std::vector<Sample>& samples, int gap_min, int gap_max,
                    int impostor_age_span = 2);

enum class References {
  kOne,      // the person's latest photo from gap_min..gap_max years before the probe
  kSeveral,  // that and up to two earlier ones (at most 4 years older still)
};
enum class Combine { kNearest, kMean };  // a person's distance: to the nearest reference, or
                                         // to the mean of their references

struct RegisterOptions {
  int gap_min = 1, gap_max = 2;
  References references = References::kOne;
  Combine combine = Combine::kNearest;
  faces::MatchOptions match;
  // Everyone else in the register: their photos within this many years of the probe's age
  // (one, the nearest in age, or up to three with kSeveral).
  int others_age_span = 2;
};

struct Identification {
  int probes = 0;
  int rank1 = 0;        // the nearest person is the right one
  int named_right = 0;  // the strict test names the right person
  int named_wrong = 0;  // the strict test names someone else: never acceptable
  // Protection, as if the probe's own child were protected: caught when mayBe() holds for them.
  int protect_caught = 0;
  // Probes protection did not catch that the strict test named (as anyone): such a protected
  // child would be published on a guess. Must be 0: a miss goes to a person as unknown.
  int missed_but_named = 0;
  // Every (probe, other person in the register) pair, and those where mayBe() holds.
  long pairs = 0, pairs_flagged = 0;
  // The chance that a photo of a consented child is flagged as someone protected, when this
  // share of the register is protected (chosen at random).
  double photo_flagged_5 = 0, photo_flagged_20 = 0;
  double register_size = 0;  // mean people in the register per probe
  std::vector<std::string> wrong;  // "probe -> named" for each named_wrong

  double protectRecall() const { return probes ? double(protect_caught) / probes : 0; }
  double pairFlagRate() const { return pairs ? double(pairs_flagged) / pairs : 0; }
};

// Each sample is a probe; the register is built around it as RegisterOptions says. A probe
// whose person has no reference photo in the gap is skipped. Adults (all age 0, gap 0..0):
// the person's other photos are the references, the probe itself left out.
Identification identify(const std::vector<Sample>& samples, const RegisterOptions& options);

}  // namespace consentguard::testing
