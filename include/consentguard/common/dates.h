// Calendar dates as ISO 8601 strings ("2026-11-23"), which SQLite stores and compares as text
// in date order. Free functions; thread-safe.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

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

// The date `months` calendar months before `isoDate` (a valid date), clamped to the month's
// last day: monthsBefore("2027-03-31", 1) is "2027-02-28".
inline std::string monthsBefore(const std::string& isoDate, int months) {
  using namespace std::chrono;
  const year_month_day date{year{std::stoi(isoDate.substr(0, 4))},
                            month{static_cast<unsigned>(std::stoi(isoDate.substr(5, 2)))},
                            day{static_cast<unsigned>(std::stoi(isoDate.substr(8, 2)))}};
  year_month ym = year_month{date.year(), date.month()} - std::chrono::months{months};
  const auto last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
  const day d = std::min(date.day(), last);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ym.year()),
                static_cast<unsigned>(ym.month()), static_cast<unsigned>(d));
  return buffer;
}

// When someone is seen in a video, for people to read: "0:03 to 0:05, 0:10" (minutes and
// seconds from the start), from [from, to] stretches in seconds.
inline std::string timesSeen(const std::vector<std::pair<double, double>>& stretches) {
  const auto clock = [](double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%d:%02d", static_cast<int>(seconds) / 60,
                  static_cast<int>(seconds) % 60);
    return std::string(text);
  };
  std::string text;
  for (const auto& [from, to] : stretches) {
    text += (text.empty() ? "" : ", ") + clock(from) +
            (clock(to) != clock(from) ? " to " + clock(to) : "");
  }
  return text;
}

}  // namespace consentguard
