// The school's time zone (service.time_zone, such as Europe/London): times are stored in UTC and
// shown to people in the school's local time, in words ("Fri 4 Dec 2026, 09:15").
#pragma once

#include <string>

#include "consentguard/common/result.h"

namespace consentguard {

// Makes `name` (an IANA zone such as "Europe/London", or "UTC") this process's local time zone,
// for localtime() and SQLite's 'localtime'. Call once at start, before any thread. Errors:
// "bad_time_zone" (not a zone this server knows).
Status useTimeZone(const std::string& name);
// Whether `name` is a zone this server knows (a file under /usr/share/zoneinfo).
bool knownTimeZone(const std::string& name);

// "2026-12-04T09:15:00Z" (also with fractions of a second, or a space for the T) as local time
// in words: "Fri 4 Dec 2026, 09:15". Text that is not such a time is returned as it is.
std::string localTimeWords(const std::string& iso_utc);

}  // namespace consentguard
