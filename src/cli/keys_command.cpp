// consentguard keys create --db DB --name NAME --channels LIST
// Prints the new API key once, as the last line: it is stored only as a hash.
#include <Poco/StringTokenizer.h>

#include <algorithm>
#include <iostream>

#include "commands.h"
#include "consentguard/audit/audited_register.h"
#include "consentguard/common/text.h"
#include "consentguard/policy/policy_config.h"
#include "consentguard/service/api_keys.h"
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

}  // namespace

int runKeys(const Args& input) {
  Args args = input;
  const std::string usage =
      "Usage: consentguard keys create --db DB --name NAME [--channels website,newsletter] "
      "[--register] [--config FILE]\n"
      "  --register: the key may also manage the register (people, consent, devices)\n"
      "       consentguard keys list --db DB\n"
      "       consentguard keys revoke --db DB --id N\n";
  if (args.empty() || (args[0] != "create" && args[0] != "list" && args[0] != "revoke")) {
    std::cerr << usage;
    return kExitUsage;
  }
  const std::string action = args[0];
  args.erase(args.begin());
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
