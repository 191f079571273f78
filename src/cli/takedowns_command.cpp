// consentguard takedowns list --db DB [--channel CH] | done --db DB --id N
// The published photos that must come down (queue/takedowns.h), for the office: which photo,
// where, why and since when; and marking one done once it has been removed.
#include <algorithm>
#include <iostream>

#include "commands.h"
#include "consentguard/queue/takedowns.h"
#include "consentguard/register/register_store.h"
#include "register_access.h"

namespace consentguard::cli {
namespace {

constexpr const char* kUsage =
    "Usage:\n"
    "  consentguard takedowns list --db DB [--channel CH]\n"
    "      The published photos that must be removed from a channel, oldest first.\n"
    "  consentguard takedowns done --db DB --id N\n"
    "      Marks one done, once the photo has been removed.\n";

std::string reasonText(const std::string& reason) {
  if (reason == "no_photo") return "a pupil in it is now on the no-photo list";
  if (reason == "consent_expired") return "a pupil's consent for this channel has expired";
  return "a pupil's consent for this channel was withdrawn";
}

}  // namespace

int runTakedowns(const Args& input) {
  Args args = input;
  const std::string action = args.empty() ? "" : args[0];
  if (!args.empty()) args.erase(args.begin());
  const std::string db = takeOption(args, "--db"), channel = takeOption(args, "--channel"),
                    id = takeOption(args, "--id");
  const bool idOk = !id.empty() && id.size() < 10 &&
                    std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (db.empty() || !args.empty() || (action != "list" && action != "done") ||
      (action == "done") != idOk) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  auto database = reg::openRegisterDatabase(db);
  if (!database) return reportError(database.error(), kExitSetupProblem);
  if (action == "done") {
    if (Status s = queue::markTakedownDone(**database, std::stoll(id), cliActor()); !s) {
      return reportError(s.error(), s.error().code == "not_found" ? kExitBadInput
                                                                  : kExitSetupProblem);
    }
    std::cout << "Takedown " << id << " is marked done.\n";
    return kExitOk;
  }
  auto open = queue::openTakedowns(**database, channel);
  if (!open) return reportError(open.error(), kExitSetupProblem);
  if (open->empty()) {
    std::cout << "Nothing needs taking down.\n";
    return kExitOk;
  }
  for (const auto& t : *open) {
    std::cout << t.id << "  " << t.channel << "  " << t.file_name << " (photo " << t.photo
              << ")  since " << t.since << ": " << reasonText(t.reason) << "\n";
  }
  std::cout << open->size()
            << " photo(s) to remove from the channels named. When one is removed, run: "
               "consentguard takedowns done --db "
            << db << " --id N\n";
  return kExitOk;
}

}  // namespace consentguard::cli
