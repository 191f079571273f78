// consentguard: the command-line entry point. Process-wide settings are made here, once.
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <iostream>

#include "commands.h"
#include "consentguard/faces/allocator.h"

namespace consentguard::cli {

std::string takeOption(Args& args, const std::string& name) {
  auto it = std::find(args.begin(), args.end(), name);
  if (it == args.end() || std::next(it) == args.end()) return {};
  std::string value = *std::next(it);
  args.erase(it, it + 2);
  return value;
}

bool takeFlag(Args& args, const std::string& name) {
  auto it = std::find(args.begin(), args.end(), name);
  if (it == args.end()) return false;
  args.erase(it);
  return true;
}

int reportError(const Error& error, bool asJson, int status) {
  if (asJson) {
    Poco::JSON::Object root, json;
    json.set("code", error.code);
    json.set("message", error.message);
    root.set("error", json);
    root.stringify(std::cout);
    std::cout << "\n";
  } else {
    std::cout << error.message << "\n";
  }
  if (!error.detail.empty()) std::cerr << "detail: " << error.code << ": " << error.detail << "\n";
  return status;
}

namespace {

void printUsage() {
  std::cerr
      << "Usage:\n"
         "  consentguard faces [--json] [--timings] [--detector NAME] [--models DIR] IMAGE\n"
         "      Finds every face in IMAGE and prints its box, score and descriptor.\n"
         "  consentguard faces [--json] [options as above] FILE-OR-FOLDER...\n"
         "      Many files (folders looked through, hidden and half-copied files left out):\n"
         "      one line a file (--json: one object a line) and a summary. Exit 0, or 3 if\n"
         "      a file could not be read (the others are still looked at).\n"
         "  consentguard models check [--models DIR]\n"
         "      Says which models are present and loadable, and how to fetch missing ones.\n"
         "  consentguard models convert --manifest JSON --weights BIN --out DAT\n"
         "      Converts face-api's recognition network into dlib's format (set-up).\n"
         "  consentguard check --db DB --channel CH [--caption TEXT] [--alt TEXT]\n"
         "                     [--name FILENAME] [--out DIR] [--config FILE] [--json] IMAGE\n"
         "      Decides whether IMAGE may be published on CH: exit 0 publish, 1 review,\n"
         "      2 block, 3 and over for errors. With --out, writes the cleaned copy.\n"
         "  consentguard check --db DB --channel CH [options as above, not --name]\n"
         "                     FILE-OR-FOLDER...\n"
         "      Checks many photos and videos at once (today's folder before the\n"
         "      newsletter; folders looked through, hidden and half-copied files left out):\n"
         "      one line a file (--json: one object a line, with \"file\") and a summary of\n"
         "      how many to publish, review and block. A file that cannot be read is\n"
         "      blocked and the rest are still checked. Exit 0 if all may be published,\n"
         "      else 1 if some need review, 2 if some are blocked; 3 nothing to check,\n"
         "      4 a set-up or database problem (which stops the batch).\n"
         "  consentguard serve [--config FILE] [--data DIR] [--models DIR]\n"
         "      Runs the service: photos dropped into DIR/inbox/<channel>/ (default var/)\n"
         "      come out in outbox/, held/ or rejected/. Stops cleanly on SIGTERM.\n"
         "  consentguard keys create --db DB --name NAME --channels LIST | list | revoke --id N\n"
         "      Makes an API key for the CMS, for those channels; prints it once.\n"
         "  consentguard users create|password|disable|enable|list --db DB [--name NAME]\n"
         "                [--role office|slt|dsl|admin]\n"
         "      Accounts for the review pages; the password is read from standard input.\n"
         "  consentguard sanitize IN OUT\n"
         "      Writes a copy of IN, turned upright, with all metadata removed.\n"
         "  consentguard enrol --db DB --person ID IMAGE...\n"
         "      Stores face templates of a person with biometric consent, from reference\n"
         "      photos that pass the checks (one sharp face, big enough, facing the camera).\n"
         "  consentguard calibrate --db DB [--config FILE]\n"
         "      How safe the register's templates are with the thresholds (leave one out).\n"
         "  consentguard register import|list|consent|biometric|no-photo|export|erase|device\n"
         "      Maintains the consent register; 'consentguard register help' for details.\n"
         "  consentguard audit verify --db DB [--head HASH]\n"
         "  consentguard audit list --db DB [--action ACTION] [--limit N]\n"
         "      Checks the audit trail has not been altered (exit 1 if it has); shows entries.\n"
         "  consentguard report --db DB --from YYYY-MM-DD --to YYYY-MM-DD [--csv] [--out FILE]\n"
         "      The termly report to governors: photos, reasons, SLT decisions, incidents.\n"
         "  consentguard takedowns list --db DB [--channel CH] | done --db DB --id N\n"
         "      Published photos that must come down after a withdrawal; mark one removed.\n"
         "  consentguard backup --to DIR [--config FILE] [--data DIR]\n"
         "      A consistent copy of the data folder and configuration, while the service runs.\n"
         "  consentguard restore --from DIR --data DIR [--config-to FILE]\n"
         "      Puts a backup back into an empty data folder, checked file by file.\n";
}

}  // namespace
}  // namespace consentguard::cli

int main(int argc, char** argv) {
  using namespace consentguard::cli;
  consentguard::faces::tuneAllocatorForDlib();
  Args args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    printUsage();
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "faces") return runFaces(args);
    if (command == "models") return runModels(args);
    if (command == "sanitize" || command == "sanitise") return runSanitize(args);
    if (command == "register") return runRegister(args);
    if (command == "enrol" || command == "enroll") return runEnrol(args);
    if (command == "check") return runCheck(args);
    if (command == "serve") return runServe(args);
    if (command == "keys") return runKeys(args);
    if (command == "users") return runUsers(args);
    if (command == "audit") return runAudit(args);
    if (command == "report") return runReport(args);
    if (command == "calibrate") return runCalibrate(args);
    if (command == "takedowns") return runTakedowns(args);
    if (command == "backup") return runBackup(args);
    if (command == "restore") return runRestore(args);
  } catch (const std::exception& e) {
    std::cerr << "consentguard: unexpected error: " << e.what() << "\n";
    return kExitSetupProblem;
  }
  std::cerr << "consentguard: unknown command '" << command << "'\n";
  printUsage();
  return kExitUsage;
}
