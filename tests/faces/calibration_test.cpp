// Leave-one-out over made-up templates whose distances are known exactly.
#include "consentguard/faces/calibration.h"

#include <gtest/gtest.h>

namespace consentguard::faces {
namespace {

Descriptor at(int axis, double d) {
  Descriptor v{};
  v[axis] = static_cast<float>(d);
  return v;
}

TEST(Calibration, CountsEachHeldOutPhotoAgainstTheThresholds) {
  // ann: two photos 0.2 apart. bob: two photos 0.6 apart (not recognised from each other).
  // cat: one photo, 0.55 from ann's second (a stranger flagged, not named).
  const std::vector<EnrolledTemplate> templates = {
      {"ann", at(0, 0.0)}, {"ann", at(0, 0.2)},  {"bob", at(1, 3.0)},
      {"bob", at(1, 3.6)}, {"cat", at(0, 0.75)},
  };
  const Calibration c = calibrate(templates, {0.5, 0.08, 0.57});
  EXPECT_EQ(c.templates, 5);
  EXPECT_EQ(c.people, 3);
  EXPECT_EQ(c.single_template_people, 1);
  ASSERT_EQ(c.same.size(), 4u);  // cat has no second photo
  EXPECT_NEAR(c.same.front(), 0.2, 1e-6);
  EXPECT_NEAR(c.same.back(), 0.6, 1e-6);
  EXPECT_EQ(c.not_recognised, 2);  // both of bob's
  EXPECT_EQ(c.named_wrongly, 0);
  EXPECT_EQ(c.strangers_named, 0);
  EXPECT_EQ(c.strangers_flagged, 2);  // ann's second and cat, 0.55 apart
  EXPECT_EQ(c.sameWithin(0.2 + 1e-6), 2);
  EXPECT_EQ(c.otherWithin(0.56), 2);
  ASSERT_FALSE(c.closest_pairs.empty());
  EXPECT_EQ(c.closest_pairs[0].a, "ann");
  EXPECT_EQ(c.closest_pairs[0].b, "cat");
  EXPECT_NEAR(c.closest_pairs[0].distance, 0.55, 1e-6);
}

TEST(Calibration, APhotoNearerSomeoneElseIsNamedWronglyOrAmbiguous) {
  const std::vector<EnrolledTemplate> wrong = {
      {"ann", at(0, 0.0)}, {"ann", at(0, 0.45)}, {"bob", at(0, 0.25)}};
  Calibration c = calibrate(wrong, {0.5, 0.08, 0.57});
  EXPECT_EQ(c.named_wrongly, 2);  // each of ann's is nearer bob than her other photo
  const std::vector<EnrolledTemplate> close = {
      {"ann", at(0, 0.0)}, {"ann", at(0, 0.3)}, {"bob", at(0, -0.35)}};
  c = calibrate(close, {0.5, 0.08, 0.57});
  EXPECT_EQ(c.ambiguous, 1);  // ann at 0.0: her other photo 0.3, bob 0.35
}

}  // namespace
}  // namespace consentguard::faces
