// The naming rule on its own, with made-up descriptors whose distances are known exactly.
#include "consentguard/faces/matcher.h"

#include <gtest/gtest.h>

namespace consentguard::faces {
namespace {

// A descriptor at distance `d` from the origin along axis `axis`.
Descriptor at(int axis, double d) {
  Descriptor v{};
  v[axis] = static_cast<float>(d);
  return v;
}

TEST(Matcher, NamesTheNearestPersonWithinThresholdAndMargin) {
  const Matcher matcher({{"ann", at(0, 0.0)}, {"bob", at(1, 1.0)}}, {0.5, 0.1});
  const Match m = matcher.match(at(0, 0.3));
  EXPECT_EQ(m.outcome, MatchOutcome::kRecognised);
  EXPECT_EQ(m.person, "ann");
  EXPECT_NEAR(m.distance, 0.3, 1e-6);
  EXPECT_EQ(m.runner_up, "bob");
}

TEST(Matcher, TooFarFromEveryoneIsUnknown) {
  const Matcher matcher({{"ann", at(0, 0.0)}}, {0.5, 0.1});
  const Match m = matcher.match(at(0, 0.55));
  EXPECT_EQ(m.outcome, MatchOutcome::kUnknown);
  EXPECT_TRUE(m.person.empty());
  EXPECT_EQ(m.nearest, "ann");  // still reported, for the reviewer
}

TEST(Matcher, TwoPeopleNearlyAsCloseIsAmbiguous) {
  // 0.2 from ann and about 0.26 from bob: both plausible, so nobody is named.
  Descriptor bob{};
  bob[0] = 0.4f;
  const Matcher matcher({{"ann", at(0, 0.0)}, {"bob", bob}}, {0.5, 0.1});
  Descriptor face{};
  face[0] = 0.2f;
  face[2] = 0.1f;
  const Match m = matcher.match(face);
  EXPECT_EQ(m.outcome, MatchOutcome::kAmbiguous);
  EXPECT_TRUE(m.person.empty());
}

TEST(Matcher, APersonsClosestTemplateCountsAndTheRunnerUpIsAnotherPerson) {
  // Ann has two templates; the runner-up must be Bob, not Ann's second template.
  const Matcher matcher({{"ann", at(0, 0.0)}, {"ann", at(0, 0.05)}, {"bob", at(1, 0.9)}},
                        {0.5, 0.1});
  const Match m = matcher.match(at(0, 0.04));
  EXPECT_EQ(m.outcome, MatchOutcome::kRecognised);
  EXPECT_NEAR(m.distance, 0.01, 1e-6);
  EXPECT_EQ(m.runner_up, "bob");
}

TEST(Matcher, NobodyEnrolledMeansUnknown) {
  const Matcher matcher({}, {});
  EXPECT_EQ(matcher.match(at(0, 0.0)).outcome, MatchOutcome::kUnknown);
}

TEST(Matcher, DefaultsAreTheMeasuredOnes) {
  const MatchOptions defaults;
  EXPECT_DOUBLE_EQ(defaults.threshold, 0.53);
  EXPECT_DOUBLE_EQ(defaults.margin, 0.08);
}

TEST(Matcher, ListsEveryPersonNearestFirstForProtection) {
  // Protection looks past the nearest person: the list has each person once, by their
  // closest template, whatever the outcome.
  const Matcher matcher({{"ann", at(0, 0.0)}, {"bob", at(0, 0.9)}, {"bob", at(0, 0.5)},
                         {"cat", at(1, 1.0)}},
                        {0.3, 0.1});
  const Match m = matcher.match(at(0, 0.45));
  EXPECT_EQ(m.person, "bob");
  ASSERT_EQ(m.people.size(), 3u);
  EXPECT_EQ(m.people[0].person, "bob");
  EXPECT_NEAR(m.people[0].distance, 0.05, 1e-6);
  EXPECT_EQ(m.people[1].person, "ann");
  EXPECT_NEAR(m.people[1].distance, 0.45, 1e-6);
  EXPECT_EQ(m.people[2].person, "cat");
}

TEST(Matcher, ATemplateThatMayNotPermitIsReportedAsStale) {
  const Matcher matcher({{"ann", at(0, 0.0), /*current=*/false}, {"bob", at(1, 1.0)}}, {0.5, 0.1});
  const Match m = matcher.match(at(0, 0.1));
  EXPECT_EQ(m.nearest, "ann");
  EXPECT_TRUE(m.stale_template);
  EXPECT_FALSE(m.people[0].current);
}

}  // namespace
}  // namespace consentguard::faces
