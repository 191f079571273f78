// consentguard report: the termly report to governors, as a printable HTML page or a CSV.
#include <iostream>

#include "commands.h"
#include "consentguard/audit/term_report.h"
#include "consentguard/common/dates.h"
#include "consentguard/common/files.h"
#include "consentguard/policy/policy_config.h"
#include "engine_options.h"
#include "consentguard/register/register_store.h"

namespace consentguard::cli {
namespace {

constexpr const char* kUsage =
    "Usage: consentguard report --db DB --from YYYY-MM-DD --to YYYY-MM-DD [--csv] [--out FILE]\n"
    "                           [--school NAME] [--config FILE]\n"
    "  The termly report to governors for the period (both dates included): photos by channel\n"
    "  and outcome, reasons, SLT overrides and rejections, incidents (only confirmed ones:\n"
    "  a possible one counts once the DSL confirms it), and the pupils to photograph again\n"
    "  (their face templates are too old). HTML unless --csv; on standard output unless --out.\n";

int usage() {
  std::cerr << kUsage;
  return kExitUsage;
}

int write(const std::string& text, const std::string& out) {
  if (out.empty()) {
    std::cout << text;
    return kExitOk;
  }
  if (Status s = writeFileAtomically(out, {text.begin(), text.end()}, true); !s) {
    return reportError(s.error(), kExitSetupProblem);
  }
  std::cout << "Report written to " << out << ".\n";
  return kExitOk;
}

}  // namespace

int runReport(const Args& input) {
  Args args = input;
  if (!args.empty() && (args[0] == "help" || args[0] == "--help")) {
    std::cout << kUsage;
    return kExitOk;
  }
  const std::string db = takeOption(args, "--db"), from = takeOption(args, "--from"),
                    to = takeOption(args, "--to"), out = takeOption(args, "--out"),
                    school = takeOption(args, "--school"),
                    configFile = takeOption(args, "--config");
  const bool csv = takeFlag(args, "--csv");
  auto engine = takeEngineOptions(args, configFile);
  if (!engine) return reportError(engine.error(), engineOptionsExit(engine.error()));
  if (db.empty() || from.empty() || to.empty() || !args.empty()) return usage();
  if (!std::filesystem::is_regular_file(db)) {
    return reportError(makeError("not_found", "There is no register at " + db +
                                                  ". Check the path given with --db."),
                       kExitBadInput);
  }
  auto database = reg::openRegisterDatabase(db);
  if (!database) return reportError(database.error(), kExitSetupProblem);
  auto config = policy::loadPolicy(configFile);
  if (!config) return reportError(config.error(), kExitSetupProblem);
  const audit::TemplatePolicy templates{monthsBefore(todayIso(), config->template_max_age_months),
                                        faces::pipelineVersion(engine->detector)};
  auto report = audit::buildTermReport(**database, from, to, templates);
  if (!report) {
    return reportError(report.error(),
                       report.error().code == "bad_date" ? kExitUsage : kExitSetupProblem);
  }
  return write(csv ? audit::reportCsv(*report)
                   : audit::reportHtml(*report, school.empty() ? "Our school" : school),
               out);
}

}  // namespace consentguard::cli
