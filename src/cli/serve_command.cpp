// consentguard serve [--config FILE] [--data DIR] [--models DIR]
#include <iostream>

#include "commands.h"
#include "consentguard/service/service_app.h"

namespace consentguard::cli {

int runServe(const Args& input) {
  Args args = input;
  service::SettingsOverrides overrides;
  overrides.config = takeOption(args, "--config");
  overrides.data = takeOption(args, "--data");
  overrides.models = takeOption(args, "--models");
  if (!args.empty()) {
    std::cerr << "Usage: consentguard serve [--config FILE] [--data DIR] [--models DIR]\n";
    return kExitUsage;
  }
  service::ServiceApp app(overrides);
  char name[] = "consentguard";
  char* argv[] = {name, nullptr};
  return app.run(1, argv);
}

}  // namespace consentguard::cli
