// consentguard backup --to DIR [--config FILE] [--data DIR]
// consentguard restore --from DIR --data DIR [--config-to FILE]
// A backup may be taken while the service runs (service/backup.h); a restore goes into an
// empty data folder, with the service stopped.
#include <iostream>

#include "commands.h"
#include "consentguard/policy/policy_config.h"
#include "consentguard/service/backup.h"
#include "consentguard/register/register_store.h"
#include "consentguard/service/service_settings.h"

namespace consentguard::cli {

int runBackup(const Args& input) {
  Args args = input;
  service::SettingsOverrides overrides;
  overrides.config = takeOption(args, "--config");
  overrides.data = takeOption(args, "--data");
  const std::string to = takeOption(args, "--to");
  if (!args.empty() || to.empty()) {
    std::cerr << "Usage: consentguard backup --to DIR [--config FILE] [--data DIR]\n";
    return kExitUsage;
  }
  auto settings = service::loadServiceSettings(overrides);
  if (!settings) return reportError(settings.error(), kExitSetupProblem);
  auto report =
      service::backupDataFolder(settings->folders, policy::locateConfig(overrides.config), to);
  if (!report) return reportError(report.error(), kExitBadInput);
  std::cout << "Backed up " << settings->folders.root.string() << " to " << to << ": the database ("
            << report->jobs << " photos recorded) and " << report->files << " files ("
            << (report->bytes >> 20) << " MB).\n"
            << "Audit trail fingerprint at the time of the backup: " << report->audit_head
            << "\nKeep the backup somewhere only the school's administrators can read: it holds "
               "children's photos and the consent register.\n"
            << "The data key " << service::dataKeyFile(*settings).string()
            << " is not in the backup, so its face templates stay encrypted: keep a copy of the "
               "key apart from the backups (restore --data-key puts it back).\n";
  return kExitOk;
}

int runRestore(const Args& input) {
  Args args = input;
  const std::string from = takeOption(args, "--from");
  const std::string data = takeOption(args, "--data");
  const std::string configTo = takeOption(args, "--config-to");
  const std::string dataKey = takeOption(args, "--data-key");
  if (!args.empty() || from.empty() || data.empty()) {
    std::cerr << "Usage: consentguard restore --from DIR --data DIR [--config-to FILE] "
                 "[--data-key FILE]\n"
                 "  DIR for --data must be empty or not exist yet. Stop the service first.\n"
                 "  --data-key: the data key the backup's templates are sealed with, copied to "
                 "DIR/keys/data.key\n";
    return kExitUsage;
  }
  auto report = service::restoreDataFolder(from, service::DataFolders{data}, configTo);
  if (!report) return reportError(report.error(), kExitBadInput);
  std::cout << "Restored " << report->files << " files and the database (" << report->jobs
            << " photos recorded) into " << data << ". The audit trail verifies ("
            << report->audit_entries << " entries).\n";
  const service::DataFolders folders{data};
  const std::filesystem::path keyFile = reg::defaultDataKeyPath(folders.database());
  if (dataKey.empty()) {
    std::cout << "Put the data key the backup was taken with at " << keyFile.string()
              << " (or name it with service.data_key) before starting the service: without it "
                 "the face templates cannot be read.\n";
  } else {
    auto key = reg::DataKey::load(dataKey);
    if (!key) return reportError(key.error(), kExitBadInput);
    if (Status s = key->save(keyFile, false); !s) return reportError(s.error(), kExitBadInput);
    auto store = reg::RegisterStore::open(folders.database(), keyFile);
    if (!store) return reportError(store.error(), kExitBadInput);
    std::cout << "The data key is in " << keyFile.string() << " and opens the register's face "
              << "templates.\n";
  }
  if (report->config_restored) std::cout << "The configuration is in " << configTo << ".\n";
  std::cout << "Start the service with --data " << data << " (or set service.data).\n";
  return kExitOk;
}

}  // namespace consentguard::cli
