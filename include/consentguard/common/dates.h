// Calendar dates as ISO 8601 strings ("2026-11-23"), which SQLite stores and compares as text
// in date order. Free functions; thread-safe.
#pragma once

#include <chrono>
#include <ctime>
#include <string>

namespace consentguard {

// A real calendar date in the form YYYY-MM-DD (2027-02-29 is not).
inline bool isIsoDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const std::chrono::year_month_day date{
      std::chrono::year{std::stoi(text.substr(0, 4))},
      std::chrono::month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
      std::chrono::day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
  return date.ok();
}

// Today's date on this server's local calendar (the school's day).
inline std::string todayIso() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buffer[11];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &local);
  return buffer;
}

}  // namespace consentguard
