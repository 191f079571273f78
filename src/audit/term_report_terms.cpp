// School terms for choosing the termly report's period, with Easter worked out for the split
// between the spring and summer terms.
#include <cstdio>

#include "consentguard/audit/term_report.h"
#include "consentguard/common/dates.h"

namespace consentguard::audit {
namespace {

std::string isoDate(int year, int month, int day) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
  return text;
}

// The day after an ISO date.
std::string dayAfter(const std::string& iso) {
  using namespace std::chrono;
  const year_month_day date{year{std::stoi(iso.substr(0, 4))},
                            month{static_cast<unsigned>(std::stoi(iso.substr(5, 2)))},
                            day{static_cast<unsigned>(std::stoi(iso.substr(8, 2)))}};
  const year_month_day next{sys_days{date} + days{1}};
  return isoDate(static_cast<int>(next.year()), static_cast<int>(static_cast<unsigned>(next.month())),
                 static_cast<int>(static_cast<unsigned>(next.day())));
}

SchoolTerm term(const std::string& season, int year) {
  const std::string y = std::to_string(year);
  if (season == "autumn") return {"autumn-" + y, "Autumn term " + y, y + "-09-01", y + "-12-31"};
  if (season == "spring") return {"spring-" + y, "Spring term " + y, y + "-01-01", easterSunday(year)};
  return {"summer-" + y, "Summer term " + y, dayAfter(easterSunday(year)), y + "-08-31"};
}

}  // namespace

// The "anonymous Gregorian" computus (Meeus, Astronomical Algorithms).
std::string easterSunday(int year) {
  const int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return isoDate(year, month, day);
}

SchoolTerm termContaining(const std::string& iso_date) {
  const int year = std::stoi(iso_date.substr(0, 4));
  if (iso_date.substr(5) >= "09-01") return term("autumn", year);
  if (iso_date <= easterSunday(year)) return term("spring", year);
  return term("summer", year);
}

SchoolTerm termBefore(const SchoolTerm& t) {
  const int year = std::stoi(t.from.substr(0, 4));
  if (t.key.rfind("autumn", 0) == 0) return term("summer", year);
  if (t.key.rfind("summer", 0) == 0) return term("spring", year);
  return term("autumn", year - 1);
}

std::optional<SchoolTerm> termNamed(const std::string& key) {
  const size_t dash = key.find('-');
  if (dash == std::string::npos || key.size() != dash + 5) return std::nullopt;
  const std::string season = key.substr(0, dash), year = key.substr(dash + 1);
  if (season != "autumn" && season != "spring" && season != "summer") return std::nullopt;
  for (char c : year) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  if (year < "1900") return std::nullopt;
  return term(season, std::stoi(year));
}

}  // namespace consentguard::audit
