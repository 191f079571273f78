// Recognition on children (issue 21), with the pipeline and the rules a school runs: every photo
// of testdata/children through the default face engine, each child enrolled from photos taken
// a year or more before the probe, and everyone else in the register within two years of the
// probe's age. The safety properties: no child is ever named as another; a protected child's
// own later photo is caught as "possibly them" at least 90% of the time; another child is
// flagged as a protected one in at most 0.5% of (photo, child) pairs.
// `consentguard_bench 1 --children-eval` prints the same figures for other choices.
#include <iomanip>

#include "support/children_set.h"

namespace consentguard::testing {
namespace {

const std::vector<ChildFace>& children() {
  static const std::vector<ChildFace> faces = describeChildren(ssdEngine());
  return faces;
}

const std::vector<Sample>& samples() {
  static const std::vector<Sample> s = childSamples(children(), /*mirrorAveraged=*/true);
  return s;
}

void print(const std::string& what, const Identification& id) {
  std::cout << "  " << what << ": " << id.probes << " probes, register of about "
            << std::lround(id.register_size) << "; rank-1 " << id.rank1 << ", named right "
            << id.named_right << " (" << std::setprecision(3) << 100.0 * id.named_right / id.probes
            << "%), named wrong " << id.named_wrong << "; protect recall "
            << 100 * id.protectRecall() << "%; flagged per pair " << 100 * id.pairFlagRate()
            << "%; photos flagged at 5% / 20% protected " << 100 * id.photo_flagged_5 << "% / "
            << 100 * id.photo_flagged_20 << "%\n";
  for (const auto& w : id.wrong) std::cout << "    named wrongly: " << w << "\n";
}

// One test, so that ctest (a process a test) runs the engine over the children once, not once
// for each property: each property is a section of its own.
TEST(Children, RecognitionAndProtectionHoldOnChildrenAYearOrTwoOn) {
  CG_REQUIRE_SHARED_TESTDATA();
  ASSERT_GE(childPhotos().size(), 200u) << "testdata/children is incomplete";
  {
    SCOPED_TRACE("nearly every child's face is found");
    int found = 0;
    for (const auto& f : children()) found += f.found;
    std::cout << "  the child's face found in " << found << " of " << children().size()
              << " photos\n";
    // Old scanned prints, some tiny or greyscale; a face not found goes to a person.
    EXPECT_GE(found, static_cast<int>(0.95 * children().size()));
  }
  {
    // A year or two on. The product goes further: a template over
    // policy.template_max_age_months (12) old never permits; the 3-4 year figures are printed
    // for the record (from several photos, one child in 142 was named as another).
    SCOPED_TRACE("no child is named as another, from one reference or several");
    for (auto refs : {References::kOne, References::kSeveral}) {
      for (auto [from, to] : {std::pair{1, 2}, std::pair{3, 4}}) {
        RegisterOptions o;
        o.references = refs;
        o.gap_min = from;
        o.gap_max = to;
        const auto id = identify(samples(), o);
        print(std::string(refs == References::kOne ? "one reference" : "several references") +
                  ", " + std::to_string(from) + "-" + std::to_string(to) + " years on",
              id);
        EXPECT_GT(id.probes, 100);
        if (to <= 2) {
          EXPECT_EQ(id.named_wrong, 0);
        }
      }
    }
  }
  {
    SCOPED_TRACE("protection catches the child and rarely another");
    const auto id = identify(samples(), RegisterOptions{});  // the product's thresholds
    print("protect rule, one reference, 1-2 years on", id);
    EXPECT_GE(id.protectRecall(), 0.90);
    EXPECT_LE(id.pairFlagRate(), 0.005);
    EXPECT_GT(id.pairs, 5000);
  }
  {
    // Guards the measurement itself: "anyone within the protect threshold" must show the
    // problem the issue measured, or the figures above prove nothing.
    SCOPED_TRACE("the old rule flagged almost everyone and the new one does not");
    RegisterOptions old;
    old.match.protect_margin = 1.0;
    const auto before = identify(samples(), old);
    const auto after = identify(samples(), RegisterOptions{});
    EXPECT_GT(before.pairFlagRate(), 5 * after.pairFlagRate());
    EXPECT_GT(before.photo_flagged_20, 0.5);
    EXPECT_LT(after.photo_flagged_20, 0.2);
  }
  {
    SCOPED_TRACE("a protected child who is not flagged is never named, so goes to a person");
    for (auto refs : {References::kOne, References::kSeveral}) {
      RegisterOptions o;
      o.references = refs;
      const auto id = identify(samples(), o);
      std::cout << "  protected probes not flagged: " << id.probes - id.protect_caught
                << "; of them named as anyone: " << id.missed_but_named << "\n";
      EXPECT_EQ(id.missed_but_named, 0);
    }
  }
}

}  // namespace
}  // namespace consentguard::testing
