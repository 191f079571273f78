// Writing a file that others may pick up the moment it appears (an outbox, a web folder), and
// reading one whole. Free functions; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "consentguard/common/result.h"

namespace consentguard {

// Writes `bytes` to a temporary file beside `out`, flushes it to disk, then puts it in place:
// with link() when not overwriting (atomic, and it cannot replace a file that appeared
// meanwhile), with rename() when overwriting. A reader never sees a partial file.
// Errors: "output_exists" (not overwriting and `out` exists), "write_failed".
Status writeFileAtomically(const std::filesystem::path& out, const std::vector<std::uint8_t>& bytes,
                           bool overwrite);

}  // namespace consentguard
