// consentguard serve [--config FILE] [--port N] [--data DIR] [--models DIR]
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
  const std::string port = takeOption(args, "--port");
  if (!port.empty()) {
    overrides.port = port.find_first_not_of("0123456789") == std::string::npos && port.size() < 6
                         ? std::stoi(port)
                         : -1;
  }
  if (!args.empty() || overrides.port < 0) {
    std::cerr
        << "Usage: consentguard serve [--config FILE] [--port N] [--data DIR] [--models DIR]\n";
    return kExitUsage;
  }
  service::ServiceApp app(overrides);
  char name[] = "consentguard";
  char* argv[] = {name, nullptr};
  return app.run(1, argv);
}

}  // namespace consentguard::cli
