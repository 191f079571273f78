// A flat JSON object built field by field, values escaped by jsonString: the details of an
// audit entry. Not thread-safe (a value type).
#pragma once

#include <cstdint>
#include <string>

#include "consentguard/common/text.h"

namespace consentguard {

class FlatJson {
 public:
  FlatJson& text(const std::string& key, const std::string& value) {
    return raw(key, jsonString(value));
  }
  FlatJson& flag(const std::string& key, bool value) { return raw(key, value ? "true" : "false"); }
  FlatJson& number(const std::string& key, std::int64_t value) {
    return raw(key, std::to_string(value));
  }
  FlatJson& raw(const std::string& key, const std::string& json) {
    body_ += (body_.empty() ? "" : ",") + jsonString(key) + ":" + json;
    return *this;
  }
  std::string str() const { return "{" + body_ + "}"; }

 private:
  std::string body_;
};

}  // namespace consentguard
