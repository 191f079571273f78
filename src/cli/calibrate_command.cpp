// consentguard calibrate --db DB [--config FILE] [--detector NAME]
// How safe this school's register is with the configured thresholds, from its own enrolled
// templates held out one at a time (faces/calibration.h). Prints a table for the DSL and the
// IT lead; changes nothing.
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "commands.h"
#include "consentguard/faces/calibration.h"
#include "consentguard/policy/policy_config.h"
#include "engine_options.h"
#include "register_access.h"

namespace consentguard::cli {
namespace {

std::string fixed(double value) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(2) << value;
  return out.str();
}

std::string spread(const std::vector<double>& sorted) {
  if (sorted.empty()) return "none";
  return "min " + fixed(sorted.front()) + ", median " + fixed(sorted[sorted.size() / 2]) +
         ", max " + fixed(sorted.back());
}

// The pairs of different people closer than the thresholds allow, named, with what to do.
void printTooClose(const faces::Calibration& c, const faces::CalibrationOptions& o,
                   const std::map<std::string, std::string>& names) {
  if (c.too_close.empty()) return;
  auto who = [&](const std::string& id) {
    auto it = names.find(id);
    return (it == names.end() ? id : it->second + " (" + id + ")");
  };
  std::cout << "\nWARNING: " << c.too_close.size()
            << " pair(s) of different people sit closer together than the thresholds allow ("
            << fixed(o.match_threshold + o.match_margin) << " with the margin, "
            << fixed(o.protect_threshold) << " to protect):\n";
  for (const auto& p : c.too_close) {
    std::cout << "  " << fixed(p.distance) << "  "
              << faces::tooCloseWarning(p, who(p.a), who(p.b), o) << "\n";
  }
  std::cout << faces::tooCloseAdvice()
            << " Enrol them with consentguard enrol --db DB --person ID PHOTO..., then run "
               "calibrate again.\n";
}

void printCalibration(const faces::Calibration& c, const faces::CalibrationOptions& o,
                      const std::map<std::string, std::string>& names) {
  auto who = [&](const std::string& id) {
    auto it = names.find(id);
    return id + (it == names.end() ? "" : " " + it->second);
  };
  const int photos = static_cast<int>(c.same.size());
  std::cout << "Thresholds: a face is named within " << fixed(o.match_threshold)
            << " (and " << fixed(o.match_margin)
            << " nearer than anyone else); it protects a pupil within "
            << fixed(o.protect_threshold) << " (policy.match.*).\n\n"
            << "Photos of the same person, each against the person's other photos: " << photos
            << "\n  distance " << spread(c.same) << "\n  not recognised (over "
            << fixed(o.match_threshold) << "): " << c.not_recognised
            << "\n  too near someone else to name (under the margin): " << c.ambiguous
            << "\n  named as someone else: " << c.named_wrongly << "\n";
  if (c.single_template_people > 0) {
    std::cout << "  (" << c.single_template_people
              << " person(s) have only one template, so they are not in this count)\n";
  }
  std::cout << "\nStrangers: each photo against everyone else, its own person left out: "
            << c.other.size() << "\n  distance to the nearest other person " << spread(c.other)
            << "\n  would be named as someone (" << fixed(o.match_threshold)
            << " or nearer): " << c.strangers_named
            << "\n  would be taken as possibly someone who must not appear ("
            << fixed(o.protect_threshold) << " or nearer): " << c.strangers_flagged << "\n\n"
            << "  distance  same person within  stranger within\n";
  for (double t = 0.40; t < 0.701; t += 0.05) {
    std::cout << "  " << std::setw(8) << fixed(t) << "  " << std::setw(11) << c.sameWithin(t)
              << "/" << std::left << std::setw(6) << photos << std::right << "  " << std::setw(8)
              << c.otherWithin(t) << "/" << c.other.size() << "\n";
  }
  if (!c.closest_pairs.empty()) {
    std::cout << "\nThe most alike different people (their nearest two photos):\n";
    for (const auto& p : c.closest_pairs) {
      std::cout << "  " << fixed(p.distance) << "  " << who(p.a) << " and " << who(p.b)
                << (p.distance <= o.protect_threshold ? "  <- within the protect threshold" : "")
                << "\n";
    }
  }
  printTooClose(c, o, names);
  std::cout << "\nWhat to do: a person not recognised from their own photos needs clearer "
               "reference photos (enrol new ones). Strangers within the protect threshold "
               "block photos for nothing; people within it of each other (siblings, "
               "lookalikes) are protected for each other, and their photos go to a senior "
               "leader more often.\n";
}

}  // namespace

int runCalibrate(const Args& input) {
  Args args = input;
  const std::string configFile = takeOption(args, "--config");
  auto engine = takeEngineOptions(args, configFile);
  if (!engine) return reportError(engine.error(), engineOptionsExit(engine.error()));
  auto store = openRegister(args);
  if (!args.empty() || (!store && store.error().code == "usage")) {
    std::cerr << "Usage: consentguard calibrate --db DB [--config FILE] [--detector NAME]\n"
                 "  How safe the register's face templates are with the configured thresholds:\n"
                 "  each enrolled photo held out in turn against the rest.\n";
    return kExitUsage;
  }
  if (!store) return reportError(store.error(), kExitSetupProblem);
  auto config = policy::loadPolicy(configFile);
  if (!config) return reportError(config.error(), kExitSetupProblem);
  auto stored = (*store)->templates();
  auto people = (*store)->people();
  if (!stored || !people) {
    return reportError(stored ? people.error() : stored.error(), kExitSetupProblem);
  }
  // Distances only compare within one pipeline: the others are counted, not mixed in.
  const std::string pipeline = faces::pipelineVersion(engine->detector);
  std::vector<faces::EnrolledTemplate> templates;
  int otherPipeline = 0;
  for (const auto& t : *stored) {
    if (t.pipeline != pipeline) {
      ++otherPipeline;
      continue;
    }
    faces::EnrolledTemplate e{t.person_id, {}, true};
    std::copy_n(t.descriptor.begin(), std::min(t.descriptor.size(), e.descriptor.size()),
                e.descriptor.begin());
    templates.push_back(std::move(e));
  }
  std::map<std::string, std::string> names;
  for (const auto& p : *people) names[p.id] = p.displayName();
  const faces::CalibrationOptions options{config->match_threshold, config->match_margin,
                                          config->protect_threshold};
  const faces::Calibration c = faces::calibrate(templates, options);
  std::cout << "Calibration: " << c.templates << " face template(s) of " << c.people
            << " people, made by this face engine (" << pipeline
            << "), each held out in turn against the rest.\n";
  if (otherPipeline > 0) {
    std::cout << otherPipeline
              << " template(s) made by an earlier face engine are left out: enrol those people "
                 "again (consentguard register list --stale).\n";
  }
  if (c.people < 2) {
    std::cout << "At least two people with templates are needed to measure anything.\n";
    return kExitOk;
  }
  std::cout << "\n";
  printCalibration(c, options, names);
  return kExitOk;
}

}  // namespace consentguard::cli
