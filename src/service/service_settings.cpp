#include "consentguard/service/service_settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "consentguard/common/local_time.h"

namespace consentguard::service {
namespace {

Error badSetting(const std::string& key, const std::string& what) {
  return makeError("bad_config", "The setting " + key + " " + what +
                                     " Correct config/consentguard.properties and start again.");
}

Status checkNotifySettings(const NotifySettings& n) {
  if (!n.enabled()) return okStatus();
  if (n.smtp_port < 1 || n.smtp_port > 65535) {
    return badSetting("notify.smtp.port", "must be from 1 to 65535.");
  }
  if (n.tls != "starttls" && n.tls != "none") {
    return badSetting("notify.smtp.tls", "must be starttls or none.");
  }
  // Passwords and messages about pupils never cross the network unencrypted.
  const bool local =
      n.smtp_host == "localhost" || n.smtp_host == "127.0.0.1" || n.smtp_host == "::1";
  if (n.tls == "none" && !local) {
    return badSetting("notify.smtp.tls",
                      "may be none only for a mail server on this machine (localhost): mail "
                      "about pupils must not cross the network unencrypted.");
  }
  if (n.from.find('@') == std::string::npos) {
    return badSetting("notify.from",
                      "must be the address the mail comes from, such as "
                      "consentguard@school.example.");
  }
  if (n.digest_minutes < 1 || n.digest_minutes > 10080) {
    return badSetting("notify.digest_minutes", "must be from 1 to 10080 (a week).");
  }
  if (n.poll_seconds < 0.1 || n.poll_seconds > 3600) {
    return badSetting("notify.poll_seconds", "must be from 0.1 to 3600.");
  }
  if (!n.ca_file.empty() && !std::filesystem::exists(n.ca_file)) {
    return badSetting("notify.smtp.ca_file", "names a file that does not exist.");
  }
  return okStatus();
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
      for (const std::string prefix : {"service", "folders", "engine", "notify"}) {
        Poco::Util::AbstractConfiguration::Keys keys;
        std::vector<std::string> names;
        config->keys(prefix, keys);
        for (const auto& key : keys) names.push_back(prefix + "." + key);
        if (prefix == "service") {  // service.tls.* is a level deeper
          names.erase(std::remove(names.begin(), names.end(), "service.tls"), names.end());
          Poco::Util::AbstractConfiguration::Keys tls;
          config->keys("service.tls", tls);
          for (const auto& key : tls) names.push_back("service.tls." + key);
        }
        if (prefix == "notify") {  // notify.smtp.* is a level deeper
          names.erase(std::remove(names.begin(), names.end(), "notify.smtp"), names.end());
          Poco::Util::AbstractConfiguration::Keys smtp;
          config->keys("notify.smtp", smtp);
          for (const auto& key : smtp) names.push_back("notify.smtp." + key);
        }
        for (const auto& name : names) {
          static const std::vector<std::string> known = {
              "service.data",          "service.workers",
              "service.listen",        "service.port",
              "service.max_upload_mb", "service.max_requests",
              "service.max_video_upload_mb", "service.tls.certificate",
              "service.tls.key",       "service.http_redirect_port",
              "service.data_key",
              "service.school_name",   "service.retention_days",
              "service.takedown_days", "service.time_zone",
              "folders.settle_seconds",
              "folders.scan_seconds",  "engine.detector",
              "notify.smtp.host",      "notify.smtp.port",
              "notify.smtp.tls",       "notify.smtp.user",
              "notify.smtp.password",  "notify.smtp.ca_file",
              "notify.from",           "notify.base_url",
              "notify.digest_minutes", "notify.poll_seconds"};
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
      settings.tls_certificate = config->getString("service.tls.certificate", "");
      settings.tls_key = config->getString("service.tls.key", "");
      settings.data_key = config->getString("service.data_key", "");
      settings.http_redirect_port =
          config->getInt("service.http_redirect_port", settings.http_redirect_port);
      settings.max_upload_bytes =
          static_cast<std::uint64_t>(config->getInt(
              "service.max_upload_mb", static_cast<int>(settings.max_upload_bytes >> 20)))
          << 20;
      settings.max_video_upload_bytes =
          static_cast<std::uint64_t>(config->getInt(
              "service.max_video_upload_mb",
              static_cast<int>(settings.max_video_upload_bytes >> 20)))
          << 20;
      settings.max_requests = config->getInt("service.max_requests", settings.max_requests);
      settings.school_name = config->getString("service.school_name", settings.school_name);
      settings.retention_days = config->getInt("service.retention_days", settings.retention_days);
      settings.takedown_days = config->getInt("service.takedown_days", settings.takedown_days);
      settings.time_zone = config->getString("service.time_zone", settings.time_zone);
      NotifySettings& n = settings.notify;
      n.smtp_host = config->getString("notify.smtp.host", n.smtp_host);
      n.smtp_port = config->getInt("notify.smtp.port", n.smtp_port);
      n.tls = config->getString("notify.smtp.tls", n.tls);
      n.user = config->getString("notify.smtp.user", n.user);
      n.password = config->getString("notify.smtp.password", n.password);
      n.ca_file = config->getString("notify.smtp.ca_file", n.ca_file);
      n.from = config->getString("notify.from", n.from);
      n.base_url = config->getString("notify.base_url", n.base_url);
      n.digest_minutes = config->getInt("notify.digest_minutes", n.digest_minutes);
      n.poll_seconds = config->getDouble("notify.poll_seconds", n.poll_seconds);
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
  if (settings.tls_certificate.empty() != settings.tls_key.empty()) {
    return badSetting(settings.tls_certificate.empty() ? "service.tls.certificate"
                                                       : "service.tls.key",
                      "is needed as well: give both the certificate and its key, or neither "
                      "(then Consent Guard makes its own).");
  }
  if (settings.http_redirect_port < 0 || settings.http_redirect_port > 65535 ||
      (settings.http_redirect_port != 0 && settings.http_redirect_port == settings.port)) {
    return badSetting("service.http_redirect_port",
                      "must be 0 (off) or a port from 1 to 65535 other than service.port.");
  }
  if (settings.max_video_upload_bytes < (1ull << 20) ||
      settings.max_video_upload_bytes > (1024ull << 20)) {
    return badSetting("service.max_video_upload_mb", "must be from 1 to 1024.");
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
  if (!knownTimeZone(settings.time_zone)) {
    return badSetting("service.time_zone",
                      "is not a time zone this server knows: use a name such as Europe/London "
                      "(see /usr/share/zoneinfo).");
  }
  if (settings.retention_days < 0 || settings.retention_days > 36500) {
    return badSetting("service.retention_days", "must be from 0 (keep for ever) to 36500.");
  }
  if (settings.scan_seconds < 0.1 || settings.scan_seconds > 60) {
    return badSetting("folders.scan_seconds", "must be from 0.1 to 60.");
  }
  if (Status s = checkNotifySettings(settings.notify); !s) return s.error();
  return settings;
}

}  // namespace consentguard::service
