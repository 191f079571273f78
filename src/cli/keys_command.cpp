// consentguard keys create --db DB --name NAME --channels LIST
// Prints the new API key once, as the last line: it is stored only as a hash.
#include <Poco/StringTokenizer.h>

#include <iostream>

#include "commands.h"
#include "consentguard/audit/audited_register.h"
#include "consentguard/common/text.h"
#include "consentguard/policy/policy_config.h"
#include "consentguard/service/api_keys.h"
#include "register_access.h"

namespace consentguard::cli {

int runKeys(const Args& input) {
  Args args = input;
  const std::string usage =
      "Usage: consentguard keys create --db DB --name NAME [--channels website,newsletter] "
      "[--register] [--config FILE]\n"
      "  --register: the key may also manage the register (people, consent, devices)\n";
  if (args.empty() || args[0] != "create") {
    std::cerr << usage;
    return kExitUsage;
  }
  args.erase(args.begin());
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
