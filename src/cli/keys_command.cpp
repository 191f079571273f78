// consentguard keys create --db DB --name NAME --channels LIST
// Prints the new API key once, as the last line: it is stored only as a hash.
// consentguard keys data-key [--config FILE] [--data DIR]
// Makes the data key the configuration names if the register has none yet, else checks it.
// consentguard keys rotate-data-key --db DB [--data-key FILE]
// Re-seals the templates and reference photos with a new data key (register/data_key.h).
#include <Poco/StringTokenizer.h>

#include <algorithm>
#include <iostream>

#include "commands.h"
#include "consentguard/audit/audit_log.h"
#include "consentguard/audit/audited_register.h"
#include "consentguard/common/text.h"
#include "consentguard/policy/policy_config.h"
#include "consentguard/service/api_keys.h"
#include "consentguard/service/service_settings.h"
#include "register_access.h"

namespace consentguard::cli {
namespace {

int listOrRevoke(const std::string& action, Args args, const std::string& usage) {
  const std::string db = takeOption(args, "--db"), id = takeOption(args, "--id");
  const bool idOk =
      !id.empty() && id.size() < 10 &&
      std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); });
  if (db.empty() || !args.empty() || (action == "revoke") != idOk) {
    std::cerr << usage;
    return kExitUsage;
  }
  auto database = reg::openRegisterDatabase(db);
  if (!database) return reportError(database.error(), kExitSetupProblem);
  if (action == "revoke") {
    if (Status s = service::revokeApiKey(**database, std::stoll(id), cliActor()); !s) {
      return reportError(s.error(), kExitBadInput);
    }
    std::cout << "API key " << id << " revoked: it no longer works.\n";
    return kExitOk;
  }
  auto keys = service::listApiKeys(**database);
  if (!keys) return reportError(keys.error(), kExitSetupProblem);
  std::cout << "id\tname\tchannels\tmanages register\tcreated\tin use\n";
  for (const auto& k : *keys) {
    std::cout << k.id << "\t" << k.name << "\t" << k.channels << "\t"
              << (k.manages_register ? "yes" : "no") << "\t" << k.created_at << "\t"
              << (k.revoked ? "revoked" : "yes") << "\n";
  }
  return kExitOk;
}

// Makes the data key the configuration names, if the register has none yet, or checks it.
int setUpDataKey(Args args, const std::string& usage) {
  service::SettingsOverrides overrides;
  overrides.config = takeOption(args, "--config");
  overrides.data = takeOption(args, "--data");
  if (!args.empty()) {
    std::cerr << usage;
    return kExitUsage;
  }
  auto settings = service::loadServiceSettings(overrides);
  if (!settings) return reportError(settings.error(), kExitSetupProblem);
  if (Status s = settings->folders.create(settings->policy.channelNames()); !s) {
    return reportError(s.error(), kExitSetupProblem);
  }
  const std::filesystem::path file = service::dataKeyFile(*settings);
  std::error_code ec;
  const bool existed = std::filesystem::exists(file, ec);
  auto store = reg::RegisterStore::open(settings->folders.database(), file);
  if (!store) return reportError(store.error(), kExitSetupProblem);
  std::cout << (existed ? "The data key " : "Made the data key ") << file.string() << " (id "
            << (*store)->dataKeyId() << ")"
            << (existed ? " opens the register " : " for the register ")
            << settings->folders.database().string()
            << ". Keep a copy of it somewhere safe apart from the backups: without it the face "
               "templates and reference photos cannot be read.\n";
  return kExitOk;
}

int rotateDataKey(Args args, const std::string& usage) {
  if (std::find(args.begin(), args.end(), "--db") == args.end()) {
    std::cerr << usage;
    return kExitUsage;
  }
  auto store = openRegister(args);
  if (!store) return reportError(store.error(), kExitSetupProblem);
  if (!args.empty()) {
    std::cerr << usage;
    return kExitUsage;
  }
  const std::string before = (*store)->dataKeyId();
  // Not inside the audit entry's transaction: the new key file is put in place only after the
  // re-sealing has committed.
  auto after = (*store)->rotateDataKey();
  if (!after) return reportError(after.error(), kExitSetupProblem);
  if (Status s =
          audit::AuditLog((*store)->database())
              .append(cliActor(), "data_key_rotated", "data key",
                      "{\"from\":" + jsonString(before) + ",\"to\":" + jsonString(*after) + "}");
      !s) {
    reportError(s.error(), kExitSetupProblem);
  }
  std::cout << "The face templates and reference photos are now sealed with data key " << *after
            << " (it was " << before
            << "). Backups taken before now need the old key: take a new backup, and keep a copy "
               "of the new key file apart from it.\n";
  return kExitOk;
}

}  // namespace

int runKeys(const Args& input) {
  Args args = input;
  const std::string usage =
      "Usage: consentguard keys create --db DB --name NAME [--channels website,newsletter] "
      "[--register] [--config FILE]\n"
      "  --register: the key may also manage the register (people, consent, devices)\n"
      "       consentguard keys list --db DB\n"
      "       consentguard keys revoke --db DB --id N\n"
      "       consentguard keys data-key [--config FILE] [--data DIR]\n"
      "  makes the data key the configuration names (service.data_key), if the register has "
      "none yet, or checks that it opens the register\n"
      "       consentguard keys rotate-data-key --db DB [--data-key FILE]\n"
      "  re-encrypts the face templates and reference photos with a new data key\n";
  const std::vector<std::string> actions = {"create", "list", "revoke", "data-key",
                                            "rotate-data-key"};
  if (args.empty() || std::find(actions.begin(), actions.end(), args[0]) == actions.end()) {
    std::cerr << usage;
    return kExitUsage;
  }
  const std::string action = args[0];
  args.erase(args.begin());
  if (action == "data-key") return setUpDataKey(args, usage);
  if (action == "rotate-data-key") return rotateDataKey(args, usage);
  if (action != "create") return listOrRevoke(action, args, usage);
  const std::string name = takeOption(args, "--name"), list = takeOption(args, "--channels");
  const bool managesRegister = takeFlag(args, "--register");
  auto config = policy::loadPolicy(takeOption(args, "--config"));
  const std::string db = takeOption(args, "--db");
  if (name.empty() || (list.empty() && !managesRegister) || db.empty() || !args.empty()) {
    std::cerr << usage;
    return kExitUsage;
  }
  if (!config) return reportError(config.error(), kExitSetupProblem);
  Poco::StringTokenizer tokens(
      list, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  std::vector<std::string> channels(tokens.begin(), tokens.end());
  for (const auto& channel : channels) {
    if (!config->channel(channel)) {
      return reportError(policy::unknownChannel(channel, *config), kExitBadInput);
    }
  }
  auto database = reg::openRegisterDatabase(db);
  if (!database) return reportError(database.error(), kExitSetupProblem);
  std::string key;
  Status made = audit::recordChange(
      **database, cliActor(), "api_key_created", name, [&]() -> Result<std::string> {
        auto created = service::createApiKey(**database, name, channels, managesRegister);
        if (!created) return created.error();
        key = *created;  // the secret itself is never recorded
        return "{\"channels\":" + jsonString(list) +
               ",\"manages_register\":" + (managesRegister ? "true" : "false") + "}";
      });
  if (!made) return reportError(made.error(), kExitBadInput);
  std::cout << "API key for " << name << " (channels: " << (list.empty() ? "none" : list)
            << (managesRegister ? "; manages the register" : "")
            << "). Copy it now: it is not shown again.\n"
            << key << "\n";
  return kExitOk;
}

}  // namespace consentguard::cli
