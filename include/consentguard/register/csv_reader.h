// Splits CSV text (RFC 4180: comma-separated, fields optionally in double quotes, "" for a
// quote inside one, line breaks allowed inside quotes, CRLF or LF) into records. A UTF-8 byte
// order mark is skipped; text that is not valid UTF-8 is refused, as is a quote left open.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "consentguard/common/result.h"

namespace consentguard::reg {

struct CsvRecord {
  int line = 0;  // the line number (from 1) on which the record starts, as an editor shows it
  std::vector<std::string> fields;
};

// Blank lines are skipped. Errors name the line: "bad_csv".
Result<std::vector<CsvRecord>> readCsv(std::string_view text);

}  // namespace consentguard::reg
