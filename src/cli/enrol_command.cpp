// consentguard enrol --db DB --person ID [--models DIR] [--detector NAME] IMAGE...
// Stores a face template per reference photo, only for a person with biometric consent. Each
// photo must pass the reference checks (one face, big enough, sharp, facing the camera), and
// the template keeps the day the photo was taken (its own date, else today): an old one stops
// permitting after policy.template_max_age_months.
#include <algorithm>
#include <iostream>

#include "commands.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/common/dates.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"
#include "engine_options.h"
#include "register_access.h"

namespace consentguard::cli {
namespace {

// The day the photo was taken, from its EXIF date ("2026:09:14 10:02:11"); empty when it has
// none, or one in the future (a wrong camera clock must not make a template look young).
std::string photoDate(const std::string& file) {
  auto bytes = image::readFileBytes(file);
  if (!bytes) return "";
  auto metadata = image::readMetadata(*bytes);
  if (!metadata || metadata->date_taken.size() < 10) return "";
  std::string date = metadata->date_taken.substr(0, 10);
  std::replace(date.begin(), date.end(), ':', '-');
  return isIsoDate(date) && date <= todayIso() ? date : "";
}

}  // namespace

int runEnrol(const Args& input) {
  Args args = input;
  const std::string person = takeOption(args, "--person");
  auto options = takeEngineOptions(args);
  if (!options) return reportError(options.error(), engineOptionsExit(options.error()));
  const faces::ModelPaths models = faces::locateModels(takeOption(args, "--models"));
  auto store = openRegister(args);
  if (person.empty() || args.empty() || (!store && store.error().code == "usage")) {
    std::cerr << "Usage: consentguard enrol --db DB --person ID [--models DIR] IMAGE...\n";
    return kExitUsage;
  }
  if (!store) return reportError(store.error(), kExitSetupProblem);

  // Refuse before looking at any face: without consent no template may even be computed.
  auto found = (*store)->findPerson(person);
  if (!found) return reportError(found.error(), kExitSetupProblem);
  if (!*found) return reportError(reg::unknownPerson(person), kExitBadInput);
  if ((*found)->biometric != reg::Biometric::kGiven) {
    return reportError(makeError("no_biometric_consent",
                                 (*found)->displayName() +
                                     " has no biometric consent, so no face template can be "
                                     "stored. Their photos will go to a senior leader instead."),
                       kExitBadInput);
  }
  auto engine = faces::FaceEngine::create(models, *options);
  if (!engine) return reportError(engine.error(), kExitSetupProblem);

  int enrolled = 0, refused = 0;
  for (const auto& file : args) {
    const std::string name = std::filesystem::path(file).filename().string();
    auto image = image::loadImage(file);
    Result<faces::Descriptor> descriptor =
        image ? (*engine)->describeReference(image->rgb) : Result<faces::Descriptor>(image.error());
    if (!descriptor) {
      ++refused;
      std::cout << name << ": not enrolled. " << descriptor.error().message << "\n";
      continue;
    }
    const std::vector<float> values(descriptor->begin(), descriptor->end());
    const std::string taken = photoDate(file);
    if (Status s = (*store)->addTemplate(person, values, name, (*engine)->pipelineVersion(), taken);
        !s) {
      return reportError(s.error(),
                         s.error().code == "database" ? kExitSetupProblem : kExitBadInput);
    }
    ++enrolled;
    std::cout << name << ": enrolled"
              << (taken.empty() ? "" : " (the photo was taken on " + taken + ")") << ".\n";
  }
  std::cout << enrolled << " of " << args.size() << " photo(s) enrolled for "
            << (*found)->displayName() << ".\n";
  return refused == 0 ? kExitOk : kExitBadInput;
}

}  // namespace consentguard::cli
