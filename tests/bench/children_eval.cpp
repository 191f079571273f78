// Recognition on children (issue 21): `consentguard_bench 1 --children-eval` runs the face engine
// on every photo of testdata/children and prints, for each way of using the descriptor, TAR at
// FAR 1% and 0.1% for photos 1-2 and 3-4 years apart, rank-1 and how often the strict test
// names a child right or wrong a year or two on; then each protect rule's recall and false
// flags; then the same figures on the adults of testdata/identities. Nothing asserts here (the
// children's tests do: tests/faces/children_test.cpp).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "support/children_set.h"

namespace consentguard::bench {
namespace {

namespace cgt = consentguard::testing;

std::string percent(double share) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << 100 * share << "%";
  return out.str();
}

void printDetection(const std::vector<cgt::ChildFace>& faces) {
  int found = 0;
  std::vector<double> errors;
  struct Band {
    int from, to, photos = 0, found = 0;
  };
  std::vector<Band> bands = {{0, 40}, {40, 60}, {60, 90}, {90, 10000}};
  for (const auto& f : faces) {
    // Face size from the hand-placed pupils (a face is about 2.5 pupil distances wide).
    const int px = static_cast<int>(2.5 * f.photo.pupilDistance());
    for (auto& b : bands) {
      if (px >= b.from && px < b.to) {
        ++b.photos;
        b.found += f.found;
      }
    }
    if (!f.found) continue;
    ++found;
    errors.push_back(f.landmark_error);
  }
  std::sort(errors.begin(), errors.end());
  std::cout << "Detection: the child's face found in " << found << " of " << faces.size()
            << " photos\n";
  for (const auto& b : bands) {
    std::cout << "  faces " << b.from << "-" << (b.to > 1000 ? std::string("") : std::to_string(b.to))
              << " px: " << b.found << " of " << b.photos << "\n";
  }
  if (!errors.empty()) {
    std::cout << "Landmarks (eye centres and mouth corners against the hand-placed ones, in pupil "
                 "distances): median "
              << std::setprecision(3) << errors[errors.size() / 2] << ", 90th percentile "
              << errors[errors.size() * 9 / 10] << ", worst " << errors.back() << "\n\n";
  }
}

struct Variant {
  std::string name;
  bool mirror;
  cgt::References references;
  cgt::Combine combine;
};

void printVariants(const std::vector<cgt::ChildFace>& faces, const std::vector<Variant>& variants,
                   const faces::MatchOptions& match) {
  std::cout << "| descriptor, references | TAR@FAR1% 1-2y | TAR@FAR0.1% 1-2y | TAR@FAR1% 3-4y | "
               "TAR@FAR0.1% 3-4y | rank-1 1-2y | named right / wrong 1-2y | named right / "
               "wrong 3-4y |\n|---|---|---|---|---|---|---|---|\n";
  for (const auto& v : variants) {
    const auto samples = cgt::childSamples(faces, v.mirror);
    const auto near = cgt::verify(samples, 1, 2), far = cgt::verify(samples, 3, 4);
    cgt::RegisterOptions o;
    o.references = v.references;
    o.combine = v.combine;
    o.match = match;
    const auto id12 = cgt::identify(samples, o);
    o.gap_min = 3;
    o.gap_max = 4;
    const auto id34 = cgt::identify(samples, o);
    std::cout << "| " << v.name << " | " << percent(near.tar_far_1) << " | "
              << percent(near.tar_far_01) << " | " << percent(far.tar_far_1) << " | "
              << percent(far.tar_far_01) << " | " << percent(double(id12.rank1) / id12.probes)
              << " | " << id12.named_right << " / " << id12.named_wrong << " of " << id12.probes
              << " (" << percent(double(id12.named_right) / id12.probes) << ") | "
              << id34.named_right << " / " << id34.named_wrong << " of " << id34.probes << " |\n";
  }
  const auto samples = cgt::childSamples(faces, false);
  const auto near = cgt::verify(samples, 1, 2);
  std::cout << "\n(1-2 years: " << near.genuine << " same-child pairs, " << near.impostor
            << " pairs of different children within two years of age; distance at FAR 1% "
            << std::setprecision(3) << near.threshold_far_1 << ", at 0.1% "
            << near.threshold_far_01 << ")\n\n";
}

void printProtectRules(const std::vector<cgt::ChildFace>& faces, bool mirror,
                       cgt::References references, const faces::MatchOptions& base) {
  const auto samples = cgt::childSamples(faces, mirror);
  std::cout << "| protect rule | protect recall 1-2y | other child flagged per pair | photos of a "
               "consented child flagged, 5% / 20% protected |\n|---|---|---|---|\n";
  struct Rule {
    std::string name;
    double threshold, margin;
  };
  std::vector<Rule> rules = {{"anyone within 0.57 (before)", 0.57, 1.0}};
  for (double t : {0.55, 0.57, 0.60}) {
    for (double m : {0.0, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04}) {
      std::ostringstream name;
      name << "within " << std::setprecision(2) << t << " and within " << m
           << " of the best match";
      rules.push_back({name.str(), t, m});
    }
  }
  for (const auto& r : rules) {
    cgt::RegisterOptions o;
    o.references = references;
    o.match = base;
    o.match.protect_threshold = r.threshold;
    o.match.protect_margin = r.margin;
    const auto id = cgt::identify(samples, o);
    std::cout << "| " << r.name << " | " << percent(id.protectRecall()) << " | "
              << std::setprecision(2) << percent(id.pairFlagRate()) << " | "
              << percent(id.photo_flagged_5) << " / " << percent(id.photo_flagged_20) << " |\n";
  }
  std::cout << "\n";
}

// The strict test (threshold, margin) at each gap between the reference and the probe: how
// many are named right and wrong, from one reference photo. For weighing a template's age.
void printStrictTest(const std::vector<cgt::ChildFace>& faces) {
  std::cout << "Strict test by years since the reference photo (one reference; right / wrong of "
               "probes):\n| threshold, margin | 1y | 2y | 3y | 4y |\n|---|---|---|---|---|\n";
  for (bool mirror : {false, true}) {
    const auto samples = cgt::childSamples(faces, mirror);
    for (double t : {0.50, 0.53, 0.56}) {
      for (double m : {0.05, 0.06, 0.08, 0.10}) {
        std::cout << "| " << (mirror ? "mirror " : "plain ") << std::setprecision(2) << t << ", "
                  << m << " |";
        for (int gap = 1; gap <= 4; ++gap) {
          cgt::RegisterOptions o;
          o.gap_min = o.gap_max = gap;
          o.match.threshold = t;
          o.match.margin = m;
          o.match.protect_margin = 0;
          const auto id = cgt::identify(samples, o);
          std::cout << " " << id.named_right << " / " << id.named_wrong << " of " << id.probes
                    << " |";
        }
        std::cout << "\n";
      }
    }
  }
  std::cout << "\n";
}

void printAdults(faces::FaceEngine& engine, const faces::MatchOptions& match) {
  std::cout << "Adults (testdata/identities, 8 people x 5 crops; each crop a probe against the "
               "others):\n| descriptor | TAR@FAR1% | TAR@FAR0.1% | rank-1 | named right / wrong | "
               "flagged per pair |\n|---|---|---|---|---|---|\n";
  for (bool mirror : {false, true}) {
    const auto samples = cgt::adultSamples(engine, mirror);
    const auto v = cgt::verify(samples, 0, 0);
    for (auto refs : {cgt::References::kOne, cgt::References::kSeveral}) {
      cgt::RegisterOptions o;
      o.gap_min = o.gap_max = 0;
      o.references = refs;
      o.match = match;
      const auto id = cgt::identify(samples, o);
      std::cout << "| " << (mirror ? "mirror-averaged" : "plain") << ", "
                << (refs == cgt::References::kOne ? "one reference" : "several references")
                << " | " << percent(v.tar_far_1) << " | " << percent(v.tar_far_01) << " | "
                << percent(double(id.rank1) / id.probes) << " | " << id.named_right << " / "
                << id.named_wrong << " of " << id.probes << " | " << percent(id.pairFlagRate())
                << " |\n";
    }
  }
  std::cout << "\n";
}

// With CG_CHILDREN_CACHE=FILE, the faces are read from FILE when it exists (written there
// otherwise), so that the rules can be explored without running the engine again. The file
// holds descriptors of the shared children: keep it in the build folder, never in the project.
std::vector<cgt::ChildFace> cachedChildren(faces::FaceEngine& engine) {
  const char* cache = std::getenv("CG_CHILDREN_CACHE");
  const auto photos = cgt::childPhotos();
  if (cache && std::filesystem::exists(cache)) {
    std::ifstream in(cache, std::ios::binary);
    std::vector<cgt::ChildFace> faces;
    for (const auto& photo : photos) {
      cgt::ChildFace f{photo};
      in.read(reinterpret_cast<char*>(&f.found), sizeof f.found);
      in.read(reinterpret_cast<char*>(&f.face_px), sizeof f.face_px);
      in.read(reinterpret_cast<char*>(&f.landmark_error), sizeof f.landmark_error);
      in.read(reinterpret_cast<char*>(f.descriptor.data()), sizeof f.descriptor);
      in.read(reinterpret_cast<char*>(f.mirrored.data()), sizeof f.mirrored);
      in.read(reinterpret_cast<char*>(f.product.data()), sizeof f.product);
      faces.push_back(f);
    }
    if (in) return faces;
  }
  auto faces = cgt::describeChildren(engine);
  if (cache) {
    std::ofstream out(cache, std::ios::binary);
    for (const auto& f : faces) {
      out.write(reinterpret_cast<const char*>(&f.found), sizeof f.found);
      out.write(reinterpret_cast<const char*>(&f.face_px), sizeof f.face_px);
      out.write(reinterpret_cast<const char*>(&f.landmark_error), sizeof f.landmark_error);
      out.write(reinterpret_cast<const char*>(f.descriptor.data()), sizeof f.descriptor);
      out.write(reinterpret_cast<const char*>(f.mirrored.data()), sizeof f.mirrored);
      out.write(reinterpret_cast<const char*>(f.product.data()), sizeof f.product);
    }
  }
  return faces;
}

}  // namespace

void evaluateChildren() {
  if (!cgt::haveSharedTestdata()) {
    std::cout << "children-eval: ../shared/testdata not found; nothing to measure\n";
    return;
  }
  faces::FaceEngine& engine = cgt::ssdEngine();
  const auto faces = cachedChildren(engine);
  printDetection(faces);
  faces::MatchOptions match;  // the product's defaults
  std::cout << "Match: named within " << match.threshold << " and " << match.margin
            << " nearer than anyone else; protect within " << match.protect_threshold
            << " and within " << match.protect_margin << " of the best match.\n\n";
  printVariants(faces,
                {{"plain, one reference", false, cgt::References::kOne, cgt::Combine::kNearest},
                 {"mirror-averaged, one reference", true, cgt::References::kOne,
                  cgt::Combine::kNearest},
                 {"plain, several (nearest)", false, cgt::References::kSeveral,
                  cgt::Combine::kNearest},
                 {"plain, several (mean)", false, cgt::References::kSeveral, cgt::Combine::kMean},
                 {"mirror-averaged, several (nearest)", true, cgt::References::kSeveral,
                  cgt::Combine::kNearest},
                 {"mirror-averaged, several (mean)", true, cgt::References::kSeveral,
                  cgt::Combine::kMean}},
                match);
  std::cout << "Protect rules, plain descriptor, one reference per child:\n";
  printProtectRules(faces, false, cgt::References::kOne, match);
  std::cout << "Protect rules, mirror-averaged descriptor, one reference per child:\n";
  printProtectRules(faces, true, cgt::References::kOne, match);
  std::cout << "Protect rules, plain descriptor, several references per child:\n";
  printProtectRules(faces, false, cgt::References::kSeveral, match);
  std::cout << "Protect rules, mirror-averaged descriptor, several references per child:\n";
  printProtectRules(faces, true, cgt::References::kSeveral, match);
  printStrictTest(faces);
  printAdults(engine, match);
}

}  // namespace consentguard::bench
