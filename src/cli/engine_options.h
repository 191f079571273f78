// The face engine's options for a command: engine.detector from the configuration file, which
// `--detector NAME` (ssd, mmod, hog, or a list such as ssd,hog) overrides.
#pragma once

#include "commands.h"
#include "consentguard/faces/face_engine.h"

namespace consentguard::cli {

// Takes --detector (and the older --hog) out of args. Errors: "bad_detector", "bad_config".
Result<faces::EngineOptions> takeEngineOptions(Args& args, const std::string& configFile = {});

// The exit status for takeEngineOptions' error: bad usage for a detector name, a set-up
// problem for the configuration file.
inline int engineOptionsExit(const Error& error) {
  return error.code == "bad_detector" ? kExitUsage : kExitSetupProblem;
}

}  // namespace consentguard::cli
