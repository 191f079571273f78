#include "consentguard/common/local_time.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace consentguard {

bool knownTimeZone(const std::string& name) {
  if (name == "UTC") return true;
  const bool plain = !name.empty() && name.size() < 64 && name.front() != '/' &&
                     name.find("..") == std::string::npos &&
                     name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                            "0123456789_+-/") == std::string::npos;
  std::error_code ec;
  return plain && std::filesystem::is_regular_file("/usr/share/zoneinfo/" + name, ec);
}

Status useTimeZone(const std::string& name) {
  if (!knownTimeZone(name)) {
    return makeError("bad_time_zone",
                     "'" + name.substr(0, 64) +
                         "' is not a time zone this server knows. Use a name such as "
                         "Europe/London (the list is in /usr/share/zoneinfo; Debian's tzdata "
                         "package installs it).");
  }
  setenv("TZ", name == "UTC" ? "UTC0" : (":" + name).c_str(), 1);
  tzset();
  return okStatus();
}

std::string localTimeWords(const std::string& iso) {
  if (iso.size() < 16 || (iso[10] != 'T' && iso[10] != ' ')) return iso;
  std::tm utc{};
  const std::string head = iso.substr(0, 10) + "T" + iso.substr(11, 5);
  const char* end = strptime(head.c_str(), "%Y-%m-%dT%H:%M", &utc);
  if (end == nullptr || *end != '\0') return iso;
  if (iso.size() >= 19 && iso[16] == ':') utc.tm_sec = std::atoi(iso.substr(17, 2).c_str());
  const std::time_t when = timegm(&utc);
  std::tm local{};
  if (localtime_r(&when, &local) == nullptr) return iso;
  char text[64];
  if (std::strftime(text, sizeof text, "%a %-d %b %Y, %H:%M", &local) == 0) return iso;
  return text;
}

}  // namespace consentguard
