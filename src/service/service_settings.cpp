#include "consentguard/service/service_settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/PropertyFileConfiguration.h>

namespace consentguard::service {
namespace {

Error badSetting(const std::string& key, const std::string& what) {
  return makeError("bad_config", "The setting " + key + " " + what +
                                     " Correct config/consentguard.properties and start again.");
}

}  // namespace

Result<ServiceSettings> loadServiceSettings(const SettingsOverrides& overrides) {
  ServiceSettings settings;
  const std::filesystem::path file = policy::locateConfig(overrides.config);
  auto policy = file.empty() ? Result<policy::PolicyConfig>(policy::PolicyConfig{})
                             : policy::loadPolicyConfig(file);
  if (!policy) return policy.error();
  settings.policy = std::move(policy.value());
  if (!file.empty()) {
    try {
      Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config(
          new Poco::Util::PropertyFileConfiguration(file.string()));
      for (const std::string prefix : {"service", "folders"}) {
        Poco::Util::AbstractConfiguration::Keys keys;
        config->keys(prefix, keys);
        for (const auto& key : keys) {
          const std::string name = prefix + "." + key;
          if (name != "service.data" && name != "service.workers" &&
              name != "folders.settle_seconds" && name != "folders.scan_seconds") {
            return badSetting(name, "is not one Consent Guard knows (a typing mistake?).");
          }
        }
      }
      settings.folders.root = config->getString("service.data", "var");
      settings.workers = config->getInt("service.workers", settings.workers);
      settings.settle_seconds =
          config->getDouble("folders.settle_seconds", settings.settle_seconds);
      settings.scan_seconds = config->getDouble("folders.scan_seconds", settings.scan_seconds);
    } catch (const Poco::Exception& e) {
      return makeError("bad_config",
                       "The configuration file " + file.string() +
                           " has a setting that is not a number where one is needed. Correct "
                           "it and start again.",
                       e.displayText());
    }
  }
  if (!overrides.data.empty()) settings.folders.root = overrides.data;
  settings.models = faces::locateModels(overrides.models);
  if (settings.workers < 1 || settings.workers > 16) {
    return badSetting("service.workers", "must be from 1 to 16.");
  }
  if (settings.settle_seconds < 0.2 || settings.settle_seconds > 600) {
    return badSetting("folders.settle_seconds", "must be from 0.2 to 600.");
  }
  if (settings.scan_seconds < 0.1 || settings.scan_seconds > 60) {
    return badSetting("folders.scan_seconds", "must be from 0.1 to 60.");
  }
  return settings;
}

}  // namespace consentguard::service
