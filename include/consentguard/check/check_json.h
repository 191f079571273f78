// The JSON form of a check's result, the same for `consentguard check --json` and for the
// service's job records: verdict, reasons, faces (boxes and outcomes, never descriptors) and
// what the metadata said. Free function; thread-safe.
#pragma once

#include <Poco/JSON/Object.h>

#include "consentguard/check/photo_check.h"

namespace consentguard::check {

// {"verdict", "reasons":[{"code","message"}], "faces":[{"box","person","role","distance",
// "status"}], "metadata":{...}} (metadata only when the photo could be read).
Poco::JSON::Object::Ptr resultJson(const CheckResult& result);

// A video's: {"verdict", "reasons", "people":[{"person","role","status","likely_match","box",
// "best_ms","seen":[[from,to],...]}], "seconds", "frames_sampled", "rotation"}.
Poco::JSON::Object::Ptr videoResultJson(const VideoCheckResult& result);

// A face box as {"x","y","w","h"} in the upright photo's pixels.
Poco::JSON::Object::Ptr boxJson(const cv::Rect& box);

}  // namespace consentguard::check
