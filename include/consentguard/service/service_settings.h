// Everything the service needs to start, from config/consentguard.properties (the `service.*`
// `folders.*`, `engine.*` and `notify.*` keys; the `policy.*` keys are the policy's) and the command line, which wins.
// Value type; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "consentguard/common/result.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/faces/models.h"
#include "consentguard/policy/policy_config.h"
#include "consentguard/register/data_key.h"
#include "consentguard/service/data_folders.h"
#include "consentguard/service/notifier.h"

namespace consentguard::service {

struct ServiceSettings {
  DataFolders folders{"var"};
  policy::PolicyConfig policy;
  faces::ModelPaths models;
  faces::EngineOptions engine;  // engine.detector: which face detectors run (default ssd)
  int workers = 2;            // photos checked at once; each worker loads its own models
  double settle_seconds = 3;  // a file must be unchanged this long before it is taken
  double scan_seconds = 1;    // how often the inboxes are looked at
  std::string listen = "127.0.0.1";  // the API's address; 0.0.0.0 for every network
  int port = 8470;                   // HTTPS: the pages and the API
  // The school's certificate and key (PEM), or both empty for one made at first start in
  // DATA/tls/ (its fingerprint is logged at every start).
  std::filesystem::path tls_certificate, tls_key;
  int http_redirect_port = 0;  // plain HTTP that only redirects to HTTPS; 0: off
  // The key file that seals the templates and reference photos (register/data_key.h); empty:
  // DATA/keys/data.key. Made at first start when missing; keep a copy apart from the backups.
  std::filesystem::path data_key;
  std::uint64_t max_upload_bytes = 64ull << 20;         // a photo
  std::uint64_t max_video_upload_bytes = 512ull << 20;  // a video (MP4, MOV, M4V)
  int max_requests = 16;  // requests handled at once; more wait in a short queue
  std::string school_name = "The school";  // on the termly report
  int retention_days = 365;  // a finished photo's files are deleted after this; 0 keeps them
  int takedown_days = 2;     // a takedown not done after this is overdue: shown to the DSL
  // The school's time zone: the pages, messages and the report's dates are in it.
  std::string time_zone = "Europe/London";
  NotifySettings notify;     // notify.*: email, off until notify.smtp.host is set
};

// The data key file the settings name (data_key, else the default beside the database).
inline std::filesystem::path dataKeyFile(const ServiceSettings& settings) {
  return settings.data_key.empty() ? reg::defaultDataKeyPath(settings.folders.database())
                                   : settings.data_key;
}

struct SettingsOverrides {
  std::filesystem::path config;  // --config
  std::filesystem::path data;    // --data
  std::filesystem::path models;  // --models
  int port = 0;                  // --port; 0 keeps the file's
};

// Errors: "bad_config", "config_not_found".
Result<ServiceSettings> loadServiceSettings(const SettingsOverrides& overrides);

}  // namespace consentguard::service
