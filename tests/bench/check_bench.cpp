// `check` end to end on the group photos, as the service will run it for each submission:
// decode, metadata, faces, register lookups, policy, and (for a publishable photo) sanitise.
// The register is the test suite's (8 people, 4 reference photos each, tests/check). Figures
// only; nothing asserts.
#include "bench_timing.h"
#include "check/check_fixture.h"
#include "consentguard/check/photo_check.h"

namespace consentguard::bench {

namespace cgt = consentguard::testing;

void benchCheck(int runs) {
  const auto dir = cgt::scratchDir("bench-check");
  auto store = reg::RegisterStore::open(cgt::enrolledRegisterCopy(dir));
  if (!store) {
    std::cerr << "  check: the register could not be made: " << store.error().detail << "\n";
    return;
  }
  policy::PolicyConfig config;
  config.device_check = false;
  faces::FaceEngine& engine = cgt::checkEngine();
  const std::string detector = engine.detector().name();
  check::PhotoChecker checker(engine, **store, config, {}, cgt::kTestDate);
  std::cout << "check end to end (" << detector << ", 8 people enrolled, median and best of "
            << runs << ")\n";
  const std::vector<std::pair<std::string, std::string>> photos = {
      {"groups/bbt1.jpg", "website"},
      {"groups/bbt2.jpg", "newsletter"},
      {"identities/amy/amy5.png", "website"}};
  for (const auto& [photo, channel] : photos) {
    auto bytes = image::readFileBytes(cgt::testdata(photo));
    if (!bytes) continue;
    const check::CheckRequest request{*bytes, channel, photo, "", ""};
    std::string outcome;
    const Timing t = measure(runs, [&] {
      auto result = checker.check(request);
      outcome = result ? policy::verdictName(result->decision.verdict) + ", " +
                             std::to_string(result->faces.size()) + " faces"
                       : result.error().code;
    });
    print(photo + " (" + channel + ")", t, outcome);
  }
}

}  // namespace consentguard::bench
