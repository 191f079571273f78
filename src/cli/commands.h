// The subcommands of the consentguard program. Each takes its own arguments (after the
// subcommand's name) and returns the process exit status:
//   0 success; 3 the input was refused (bad file); 4 a model or set-up problem; 64 bad usage.
#pragma once

#include <string>
#include <vector>

namespace consentguard::cli {

constexpr int kExitOk = 0;
constexpr int kExitBadInput = 3;
constexpr int kExitSetupProblem = 4;
constexpr int kExitUsage = 64;

using Args = std::vector<std::string>;

int runFaces(const Args& args);
int runModels(const Args& args);

// Takes "--name VALUE" out of args; returns "" when absent.
std::string takeOption(Args& args, const std::string& name);
// Takes "--name" out of args; returns whether it was there.
bool takeFlag(Args& args, const std::string& name);

}  // namespace consentguard::cli
