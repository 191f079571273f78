// `consentguard check` on many files at once: today's folder before the newsletter goes out.
// One checker (so the models are loaded once) checks each file in turn; each gets a line, and
// a summary says how many may be published, need a senior leader, or are blocked.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "consentguard/check/photo_check.h"

namespace consentguard::cli {

struct BatchRequest {
  std::string channel;
  std::string caption;  // for every file, as for one
  std::string alt_text;
  std::string out_dir;   // where clean copies of the publishable ones go; empty for none
  bool as_json = false;  // one JSON object a line (JSON Lines), the summary last
};

// Checks `files` in order. A file that cannot be read or decoded is blocked, with its own line
// and the reason, and the batch goes on; only a problem of the system itself (the database, a
// clean copy that cannot be saved) stops it. Returns the exit status: the most severe verdict
// (0 all may be published, 1 some need a senior leader, 2 some are blocked), or 4 when stopped.
int checkMany(check::PhotoChecker& checker, const std::vector<std::filesystem::path>& files,
              const BatchRequest& request);

}  // namespace consentguard::cli
