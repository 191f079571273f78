// Checks real API responses against the service's own OpenAPI document, so that the document
// stays true: a response whose status the document does not list, or whose JSON body lacks a
// required property or has the wrong type or a value outside an enum, is a test failure. Covers
// the subset of JSON Schema the document uses (type, nullable, required, properties, items,
// enum, additionalProperties, $ref).
#pragma once

#include <Poco/JSON/Object.h>

#include <string>

namespace consentguard::testing {

class OpenApiCheck {
 public:
  explicit OpenApiCheck(const std::string& document);

  // An empty string when the response conforms; otherwise what is wrong. `path` is the
  // document's template, e.g. "/photos/{id}".
  std::string check(const std::string& method, const std::string& path, int status,
                    const std::string& body) const;

 private:
  Poco::JSON::Object::Ptr resolve(Poco::JSON::Object::Ptr node) const;
  std::string validate(const Poco::Dynamic::Var& value, Poco::JSON::Object::Ptr schema,
                       const std::string& where) const;

  Poco::JSON::Object::Ptr document_;
};

}  // namespace consentguard::testing
