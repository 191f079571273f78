// The subcommands of the consentguard program. Each takes its own arguments (after the
// subcommand's name) and returns the process exit status:
//   0 success; 3 the input was refused (bad file); 4 a model or set-up problem; 64 bad usage.
// `check` is the exception: 0 publish, 1 review, 2 block, 3 and over for errors; and
// `audit verify` returns 1 when it finds the audit trail altered.
#pragma once

#include <string>
#include <vector>

#include "consentguard/common/result.h"

namespace consentguard::cli {

constexpr int kExitOk = 0;
constexpr int kExitBadInput = 3;
constexpr int kExitSetupProblem = 4;
constexpr int kExitUsage = 64;

using Args = std::vector<std::string>;

int runFaces(const Args& args);
int runModels(const Args& args);
int runSanitize(const Args& args);
int runRegister(const Args& args);
int runEnrol(const Args& args);
int runCheck(const Args& args);
int runServe(const Args& args);
int runKeys(const Args& args);
int runUsers(const Args& args);
int runAudit(const Args& args);
int runReport(const Args& args);
int runCalibrate(const Args& args);
int runTakedowns(const Args& args);
int runBackup(const Args& args);
int runRestore(const Args& args);

// Takes "--name VALUE" out of args; returns "" when absent.
std::string takeOption(Args& args, const std::string& name);
// Takes "--name" out of args; returns whether it was there.
bool takeFlag(Args& args, const std::string& name);

// Prints an Error (as {"error":{"code","message"}} with asJson, else its message) on stdout and
// its technical detail on stderr; returns status.
int reportError(const Error& error, bool asJson, int status);
inline int reportError(const Error& error, int status) { return reportError(error, false, status); }

}  // namespace consentguard::cli
