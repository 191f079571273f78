#include "consentguard/service/service_settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <algorithm>
#include <vector>

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
      for (const std::string prefix : {"service", "folders", "engine"}) {
        Poco::Util::AbstractConfiguration::Keys keys;
        config->keys(prefix, keys);
        for (const auto& key : keys) {
          const std::string name = prefix + "." + key;
          static const std::vector<std::string> known = {
              "service.data",        "service.workers",        "service.listen",
              "service.port",        "service.max_upload_mb",  "service.max_requests",
              "service.school_name", "service.retention_days", "service.takedown_days", "folders.settle_seconds",
              "folders.scan_seconds", "engine.detector"};
          if (std::find(known.begin(), known.end(), name) == known.end()) {
            return badSetting(name, "is not one Consent Guard knows (a typing mistake?).");
          }
        }
      }
      settings.folders.root = config->getString("service.data", "var");
      settings.workers = config->getInt("service.workers", settings.workers);
      settings.settle_seconds =
          config->getDouble("folders.settle_seconds", settings.settle_seconds);
      settings.scan_seconds = config->getDouble("folders.scan_seconds", settings.scan_seconds);
      settings.listen = config->getString("service.listen", settings.listen);
      settings.port = config->getInt("service.port", settings.port);
      settings.max_upload_bytes =
          static_cast<std::uint64_t>(config->getInt(
              "service.max_upload_mb", static_cast<int>(settings.max_upload_bytes >> 20)))
          << 20;
      settings.max_requests = config->getInt("service.max_requests", settings.max_requests);
      settings.school_name = config->getString("service.school_name", settings.school_name);
      settings.retention_days = config->getInt("service.retention_days", settings.retention_days);
      settings.takedown_days = config->getInt("service.takedown_days", settings.takedown_days);
      if (config->has("engine.detector")) {
        auto kinds = faces::parseDetectorList(config->getString("engine.detector"));
        if (!kinds) return badSetting("engine.detector", kinds.error().message);
        settings.engine.detector.kinds = kinds.value();
      }
    } catch (const Poco::Exception& e) {
      return makeError("bad_config",
                       "The configuration file " + file.string() +
                           " has a setting that is not a number where one is needed. Correct "
                           "it and start again.",
                       e.displayText());
    }
  }
  if (!overrides.data.empty()) settings.folders.root = overrides.data;
  if (overrides.port != 0) settings.port = overrides.port;
  if (settings.port < 1 || settings.port > 65535) {
    return badSetting("service.port", "must be from 1 to 65535.");
  }
  if (settings.max_upload_bytes < (1ull << 20) || settings.max_upload_bytes > (1024ull << 20)) {
    return badSetting("service.max_upload_mb", "must be from 1 to 1024.");
  }
  if (settings.max_requests < 1 || settings.max_requests > 256) {
    return badSetting("service.max_requests", "must be from 1 to 256.");
  }
  settings.models = faces::locateModels(overrides.models);
  if (settings.workers < 1 || settings.workers > 16) {
    return badSetting("service.workers", "must be from 1 to 16.");
  }
  if (settings.settle_seconds < 0.2 || settings.settle_seconds > 600) {
    return badSetting("folders.settle_seconds", "must be from 0.2 to 600.");
  }
  if (settings.takedown_days < 1 || settings.takedown_days > 365) {
    return badSetting("service.takedown_days", "must be from 1 to 365.");
  }
  if (settings.retention_days < 0 || settings.retention_days > 36500) {
    return badSetting("service.retention_days", "must be from 0 (keep for ever) to 36500.");
  }
  if (settings.scan_seconds < 0.1 || settings.scan_seconds > 60) {
    return badSetting("folders.scan_seconds", "must be from 0.1 to 60.");
  }
  return settings;
}

}  // namespace consentguard::service
