// libFuzzer harness: a JSON request body of the register API (PUT consent, PUT no-photo, POST
// devices), through the same parseJsonObject, then read the way the routes read their fields.
// Every input must give an object or a "bad_json" error, and reading a field of the wrong type
// must be refused, never crash.
#include <Poco/Exception.h>

#include <cstdint>
#include <string_view>

#include "http_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  auto body = consentguard::service::parseJsonObject(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!body) return 0;
  try {
    const auto& object = *body;
    if (object->has("granted") && object->get("granted").isBoolean()) {
      (void)object->getValue<bool>("granted");
    }
    (void)object->optValue<std::string>("expires_on", "");
    (void)object->optValue<std::string>("note", "");
    (void)object->optValue<std::string>("make", "");
    (void)object->optValue<std::string>("model", "");
    (void)object->optValue<std::string>("serial", "");
  } catch (const Poco::Exception&) {
    // A field of the wrong type: the API answers 400.
  }
  return 0;
}
