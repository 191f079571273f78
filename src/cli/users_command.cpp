// consentguard users create|roles --db DB --name NAME --role ROLE[,ROLE...]
// consentguard users password --db DB --name NAME
// consentguard users disable|enable --db DB --name NAME
// consentguard users email --db DB --name NAME --email ADDRESS
// consentguard users list --db DB
// The password is read from standard input (one line), never from the command line, where
// other users of the server could see it.
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "commands.h"
#include "consentguard/register/register_store.h"
#include "consentguard/service/accounts.h"
#include "register_access.h"

namespace consentguard::cli {
namespace {

std::string readPassword() {
  if (isatty(STDIN_FILENO))
    std::cerr << "Password (at least " << service::Accounts::kMinPasswordLength << " characters): ";
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

int runUsers(const Args& input) {
  Args args = input;
  const std::string usage =
      "Usage: consentguard users create --db DB --name NAME --role ROLE[,ROLE...]\n"
      "       consentguard users roles --db DB --name NAME --role ROLE[,ROLE...]\n"
      "         (roles: office, slt, dsl, admin; one account may hold several, as slt,dsl,admin)\n"
      "       consentguard users password|disable|enable --db DB --name NAME\n"
      "       consentguard users email --db DB --name NAME --email ADDRESS   (\"\" removes it)\n"
      "       consentguard users list --db DB\n"
      "  The password is read from standard input.\n";
  if (args.empty()) {
    std::cerr << usage;
    return kExitUsage;
  }
  const std::string action = args[0];
  args.erase(args.begin());
  const std::string db = takeOption(args, "--db"), name = takeOption(args, "--name"),
                    roleText = takeOption(args, "--role");
  const bool hasEmail = std::find(args.begin(), args.end(), "--email") != args.end();
  const std::string email = takeOption(args, "--email");
  const bool known = action == "create" || action == "password" || action == "disable" ||
                     action == "enable" || action == "list" || action == "email" || action == "roles";
  if (!known || db.empty() || (action != "list" && name.empty()) ||
      (action == "create" || action == "roles") != !roleText.empty() || (action == "email") != hasEmail ||
      !args.empty()) {
    std::cerr << usage;
    return kExitUsage;
  }
  auto database = reg::openRegisterDatabase(db);
  if (!database) return reportError(database.error(), kExitSetupProblem);
  service::Accounts accounts(**database);
  if (action == "list") {
    auto all = accounts.list();
    if (!all) return reportError(all.error(), kExitSetupProblem);
    for (const auto& a : *all) {
      std::cout << a.name << "\t" << a.roles.names() << "\t"
                << (a.email.empty() ? "(no email)" : a.email)
                << (a.disabled ? "\tswitched off" : "") << "\n";
    }
    return kExitOk;
  }
  Status done = okStatus();
  if (action == "create" || action == "roles") {
    auto roles = service::Roles::parse(roleText);
    if (!roles) {
      std::cerr << "Error: '" << roleText
                << "' is not a list of roles: use office, slt, dsl or admin, separated by commas.\n";
      return kExitUsage;
    }
    done = action == "roles" ? accounts.setRoles(name, *roles, cliActor())
                             : accounts.create(name, *roles, readPassword(), cliActor());
  } else if (action == "email") {
    done = accounts.setEmail(name, email, cliActor());
  } else if (action == "password") {
    done = accounts.setPassword(name, readPassword(), cliActor());
  } else {
    done = accounts.setDisabled(name, action == "disable", cliActor());
  }
  if (!done) return reportError(done.error(), kExitBadInput);
  std::cout << "Account " << name << ": "
            << (action == "create"     ? "created"
                : action == "roles"    ? "roles are now " + roleText
                : action == "password" ? "password changed"
                : action == "email"    ? (email.empty() ? "email address removed"
                                                        : "email address set to " + email)
                                       : action + "d")
            << ".\n";
  return kExitOk;
}

}  // namespace consentguard::cli
