#include "consentguard/register/csv_reader.h"

namespace consentguard::reg {
namespace {

Error badCsv(int line, const std::string& what) {
  return makeError("bad_csv", "Line " + std::to_string(line) + ": " + what +
                                  " Nothing was imported; correct the file and import it again.");
}

// The length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8.
size_t utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t length = 0;
  std::uint32_t code = 0;
  if ((c & 0xE0) == 0xC0) {
    length = 2;
    code = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    length = 3;
    code = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    length = 4;
    code = c & 0x07;
  } else
    return 0;
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  const bool overlong = (length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
                        (length == 4 && code < 0x10000);
  if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

Status checkUtf8(std::string_view text) {
  int line = 1;
  for (size_t i = 0; i < text.size();) {
    const size_t n = utf8SequenceLength(text, i);
    if (n == 0) {
      return badCsv(line, "the text is not in UTF-8 (save the file as \"CSV UTF-8\").");
    }
    if (text[i] == '\n') ++line;
    i += n;
  }
  return okStatus();
}

}  // namespace

Result<std::vector<CsvRecord>> readCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (Status s = checkUtf8(text); !s) return s.error();

  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  bool inQuotes = false, fieldWasQuoted = false, recordHasContent = false;
  int line = 1;
  record.line = 1;
  const auto endField = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    fieldWasQuoted = false;
  };
  const auto endRecord = [&] {
    if (recordHasContent) records.push_back(std::move(record));
    record = CsvRecord{};
    recordHasContent = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inQuotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        inQuotes = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || fieldWasQuoted) {
        return badCsv(line,
                      "a double quote appears in the middle of a field (put the whole "
                      "field in quotes and double the quote: \"\").");
      }
      inQuotes = fieldWasQuoted = recordHasContent = true;
    } else if (c == ',') {
      endField();
      recordHasContent = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;  // the \n ends the record
    } else if (c == '\n' || c == '\r') {
      if (recordHasContent || !field.empty()) endField();
      endRecord();
      ++line;
      record.line = line;
    } else {
      if (fieldWasQuoted) {
        return badCsv(line, "there is text after the closing quote of a field.");
      }
      field += c;
      recordHasContent = true;
    }
  }
  if (inQuotes) return badCsv(record.line, "a quoted field is never closed (a \" is missing).");
  if (recordHasContent || !field.empty()) endField();
  endRecord();
  return records;
}

}  // namespace consentguard::reg
