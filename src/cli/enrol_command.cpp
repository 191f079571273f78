// consentguard enrol --db DB --person ID [--models DIR] [--detector NAME] IMAGE...
// Keeps each reference photo (cropped around the face, without metadata) and a face template
// made from it, only for a person with biometric consent (check/enrolment.h). Each photo must
// pass the reference checks (one face, big enough, sharp, facing the camera), and the template
// keeps the day the photo was taken (its own date, else today): an old one stops permitting
// after policy.template_max_age_months.
#include <iostream>

#include "commands.h"
#include "consentguard/check/enrolment.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/image/image_loader.h"
#include "engine_options.h"
#include "register_access.h"

namespace consentguard::cli {

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
    auto bytes = image::readFileBytes(file);
    Result<check::EnrolledPhoto> done =
        bytes ? check::enrolReferencePhoto(**store, **engine, person, *bytes, name, cliActor())
              : Result<check::EnrolledPhoto>(bytes.error());
    if (!done) {
      if (done.error().code == "database") return reportError(done.error(), kExitSetupProblem);
      ++refused;
      std::cout << name << ": not enrolled. " << done.error().message << "\n";
      continue;
    }
    ++enrolled;
    std::cout << name << ": enrolled (the photo was taken on " << done->photo_date << ").\n";
  }
  std::cout << enrolled << " of " << args.size() << " photo(s) enrolled for "
            << (*found)->displayName() << ".\n";
  return refused == 0 ? kExitOk : kExitBadInput;
}

}  // namespace consentguard::cli
