// `consentguard serve`: the long-running service, a Poco ServerApplication. It makes the data
// folders, completes any job a crash left half-written, then runs the inbox scanner and the
// photo workers until SIGTERM or SIGINT, when it stops taking new files and lets each worker
// finish the photo in hand (a photo interrupted by anything harder is checked again at the next
// start).
#pragma once

#include <Poco/Util/ServerApplication.h>

#include "consentguard/service/service_settings.h"

namespace consentguard::service {

class ServiceApp : public Poco::Util::ServerApplication {
 public:
  explicit ServiceApp(SettingsOverrides overrides) : overrides_(std::move(overrides)) {}

 protected:
  int main(const std::vector<std::string>& args) override;

 private:
  SettingsOverrides overrides_;
};

}  // namespace consentguard::service
