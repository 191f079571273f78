// consentguard audit verify|list: checks the audit trail's chain of hashes, and shows entries.
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "consentguard/audit/audit_log.h"
#include "consentguard/register/register_store.h"

namespace consentguard::cli {
namespace {

constexpr int kExitProblemsFound = 1;

constexpr const char* kUsage =
    "Usage:\n"
    "  consentguard audit verify --db DB [--head HASH]\n"
    "      Checks that no entry of the audit trail has been changed, deleted or replaced.\n"
    "      --head: a fingerprint noted earlier, which must still be in the trail.\n"
    "  consentguard audit list --db DB [--action ACTION] [--limit N]\n"
    "      Prints the entries, oldest first (with --limit, only the newest N).\n";

int usage() {
  std::cerr << kUsage;
  return kExitUsage;
}

// The register's database, which must already exist: verifying a new empty file proves nothing.
Result<std::unique_ptr<reg::Database>> openExisting(const std::string& db) {
  if (db.empty()) {
    return makeError("usage",
                     "Say which register to use with --db FILE (for example "
                     "var/consentguard.db).");
  }
  if (!std::filesystem::is_regular_file(db)) {
    return makeError("not_found",
                     "There is no register at " + db + ". Check the path given with --db.");
  }
  return reg::openRegisterDatabase(db);
}

bool trailHasHash(const std::vector<audit::AuditEntry>& entries, const std::string& hash) {
  for (const auto& e : entries) {
    if (e.hash == hash) return true;
  }
  return false;
}

void printProblems(const std::vector<audit::AuditProblem>& problems) {
  std::cout << "PROBLEMS FOUND (" << problems.size() << "):\n";
  for (const auto& p : problems) std::cout << "  - " << p.message << "\n";
  std::cout << "The audit trail has been altered outside Consent Guard. Keep a copy of the "
               "database file as it is now, and tell the DSL and whoever looks after the "
               "server.\n";
}

int verify(reg::Database& db, const std::string& notedHead) {
  audit::AuditLog log(db);
  auto report = log.verify();
  if (!report) return reportError(report.error(), kExitSetupProblem);
  if (!notedHead.empty()) {
    auto all = log.entries();
    if (!all) return reportError(all.error(), kExitSetupProblem);
    if (!trailHasHash(*all, notedHead)) {
      report->problems.push_back(
          {0, "The fingerprint you noted (" + notedHead +
                  ") is not in the trail: entries up to the time you noted it have been "
                  "changed or removed."});
    }
  }
  std::cout << "The audit trail has " << report->entries << " entries.\n"
            << "Fingerprint of the newest entry: "
            << (report->head_hash.empty() ? "(none yet)" : report->head_hash) << "\n"
            << "Write this fingerprint down somewhere away from the server (on paper, or in an "
               "email to a governor). If the trail is ever rewritten, it will not match; "
               "check it with --head.\n";
  if (report->intact()) {
    std::cout << "No problems: no entry has been changed, deleted or replaced.\n";
    return kExitOk;
  }
  printProblems(report->problems);
  return kExitProblemsFound;
}

int list(reg::Database& db, const std::string& action, const std::string& limit) {
  if (!limit.empty() &&
      (limit.size() > 9 || limit.find_first_not_of("0123456789") != std::string::npos)) {
    std::cerr << "--limit must be a whole number.\n";
    return usage();
  }
  auto entries = audit::AuditLog(db).entries(action, limit.empty() ? 0 : std::stoll(limit));
  if (!entries) return reportError(entries.error(), kExitSetupProblem);
  for (const auto& e : *entries) {
    std::cout << e.seq << "  " << e.at << "  " << e.actor << "  " << e.action << "  "
              << (e.subject.empty() ? "-" : e.subject) << "  " << e.details << "\n";
  }
  if (entries->empty()) std::cout << "No entries.\n";
  return kExitOk;
}

}  // namespace

int runAudit(const Args& input) {
  Args args = input;
  if (args.empty() || args[0] == "help" || args[0] == "--help") {
    std::cout << kUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string action = args[0];
  args.erase(args.begin());
  const std::string path = takeOption(args, "--db"), head = takeOption(args, "--head");
  const std::string only = takeOption(args, "--action"), limit = takeOption(args, "--limit");
  if ((action != "verify" && action != "list") || !args.empty()) return usage();
  if (action == "verify" && !(only.empty() && limit.empty())) return usage();
  if (action == "list" && !head.empty()) return usage();
  auto db = openExisting(path);
  if (!db) {
    const Error& e = db.error();
    return reportError(e, e.code == "usage"       ? kExitUsage
                          : e.code == "not_found" ? kExitBadInput
                                                  : kExitSetupProblem);
  }
  return action == "verify" ? verify(**db, head) : list(**db, only, limit);
}

}  // namespace consentguard::cli
