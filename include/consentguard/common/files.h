// Writing a file that others may pick up the moment it appears (an outbox, a web folder), and
// reading one whole, or its first bytes. Free functions; thread-safe.
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

// Up to the first `count` bytes of a file, to sniff what it is; empty when it cannot be read.
std::vector<std::uint8_t> readFileStart(const std::filesystem::path& file, std::size_t count);

}  // namespace consentguard
