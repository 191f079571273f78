// Small text helpers for values typed by people or written by cameras. ASCII only: letters
// outside ASCII are left as they are. Free functions; thread-safe.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace consentguard {

inline std::string toLowerAscii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Without leading and trailing spaces, tabs and line breaks.
inline std::string trimSpace(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
}

}  // namespace consentguard
