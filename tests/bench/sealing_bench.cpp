// What sealing the templates at rest costs (issue 14): every check reads all templates, so the
// register of a large school (1,000 pupils with 5 templates each) is read the previous way
// (the rows and their 512-byte blobs, as before schema 13) and the way it is now
// (RegisterStore::templates, which opens each sealed value, and keeps them opened while the
// register is unchanged), in one run. Figures only.
#include <random>

#include "bench_timing.h"
#include "consentguard/register/register_store.h"
#include "support/test_support.h"

namespace consentguard::bench {

namespace cgt = consentguard::testing;

void benchSealing(int runs, int people) {
  const auto dir = cgt::scratchDir("bench-sealing");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto store = reg::RegisterStore::open(dir / "consentguard.db");
  if (!store) {
    std::cerr << "  sealing: the register could not be made: " << store.error().message << "\n";
    return;
  }
  std::mt19937 random(7);
  std::normal_distribution<float> value(0, 0.1f);
  {
    reg::Database::Transaction tx((*store)->database());
    for (int p = 0; p < people; ++p) {
      reg::Person person;
      person.id = "P" + std::to_string(p);
      person.given_name = "Pupil";
      person.family_name = std::to_string(p);
      (void)(*store)->savePerson(person);
      (void)(*store)->setBiometric(person.id, reg::Biometric::kGiven, "2026-09-01");
      for (int t = 0; t < 5; ++t) {
        std::vector<float> descriptor(128);
        for (float& v : descriptor) v = value(random);
        (void)(*store)->addTemplate(person.id, descriptor, "bench.png", "ssd-1", "2026-09-01");
      }
    }
    (void)tx.commit();
  }
  const int count = *(*store)->templateCount("P0") * people;
  std::cout << "templates read per check (" << people << " people, " << count
            << " templates; median and best of " << runs << ")\n";
  const Timing rows = measure(runs, [&] {
    auto stmt = (*store)->database().prepare(
        "SELECT t.person_id, t.descriptor, t.pipeline, t.photo_date, t.source FROM templates t "
        "JOIN people p ON p.id = t.person_id WHERE p.biometric = 'given' ORDER BY t.id");
    auto read = stmt->collect(
        [](const reg::Statement& row) { return std::make_pair(row.text(0), row.blob(1)); });
    if (!read || static_cast<int>(read->size()) != count) std::cerr << "  short read\n";
  });
  print("before: the rows, unsealed (512 B)", rows);
  const auto readAll = [&] {
    auto templates = (*store)->templates();
    if (!templates || static_cast<int>(templates->size()) != count) {
      std::cerr << "  templates() failed\n";
    }
  };
  const auto ratio = [&](const Timing& t) {
    std::ostringstream note;
    note << std::fixed << std::setprecision(2) << t.median_ms / rows.median_ms
         << "x the rows alone";
    return note.str();
  };
  // As after any change to the register: every template is opened again.
  const Timing changed = measure(runs, [&] {
    (void)(*store)->database().execute("UPDATE register_version SET version = version + 1");
    readAll();
  });
  std::ostringstream each;
  each << "; " << std::fixed << std::setprecision(1)
       << 1000 * (changed.median_ms - rows.median_ms) / count << " us to open each";
  print("now: templates() after a change", changed, ratio(changed) + each.str());
  // Check after check with the register unchanged: the opened templates are kept.
  const Timing unchanged = measure(runs, readAll);
  print("now: templates(), register unchanged", unchanged, ratio(unchanged));
}

}  // namespace consentguard::bench
