#include "engine_options.h"

#include "consentguard/service/service_settings.h"

namespace consentguard::cli {

Result<faces::EngineOptions> takeEngineOptions(Args& args, const std::string& configFile) {
  const std::string named = takeOption(args, "--detector");
  const bool hog = takeFlag(args, "--hog");  // the older spelling of --detector hog
  service::SettingsOverrides overrides;
  overrides.config = configFile;
  auto settings = service::loadServiceSettings(overrides);
  if (!settings) return settings.error();
  faces::EngineOptions options = settings->engine;
  if (!named.empty() || hog) {
    auto kinds = faces::parseDetectorList(named.empty() ? "hog" : named);
    if (!kinds) return kinds.error();
    options.detector.kinds = kinds.value();
  }
  return options;
}

}  // namespace consentguard::cli
