#include "service/openapi_check.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace consentguard::testing {

OpenApiCheck::OpenApiCheck(const std::string& document) {
  Poco::JSON::Parser parser;
  document_ = parser.parse(document).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr OpenApiCheck::resolve(Poco::JSON::Object::Ptr node) const {
  while (node && node->has("$ref")) {
    std::string ref = node->getValue<std::string>("$ref");  // "#/components/schemas/Photo"
    Poco::JSON::Object::Ptr target = document_;
    size_t start = 2;
    while (target && start < ref.size()) {
      const size_t slash = ref.find('/', start);
      const std::string part =
          ref.substr(start, slash == std::string::npos ? slash : slash - start);
      target = target->getObject(part);
      start = slash == std::string::npos ? ref.size() : slash + 1;
    }
    node = target;
  }
  return node;
}

std::string OpenApiCheck::validate(const Poco::Dynamic::Var& value, Poco::JSON::Object::Ptr schema,
                                   const std::string& where) const {
  schema = resolve(schema);
  if (!schema) return where + ": schema not found";
  if (value.isEmpty()) {
    return schema->optValue<bool>("nullable", false) ? "" : where + ": null where not nullable";
  }
  const std::string type = schema->optValue<std::string>("type", "");
  if (schema->has("enum")) {
    auto allowed = schema->getArray("enum");
    bool found = false;
    for (size_t i = 0; i < allowed->size(); ++i) {
      if (!allowed->get(i).isEmpty() && allowed->get(i).toString() == value.toString())
        found = true;
    }
    if (!found) return where + ": '" + value.toString() + "' is not one of the documented values";
  }
  if (type == "object") {
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) return where + ": not an object";
    auto object = value.extract<Poco::JSON::Object::Ptr>();
    if (auto required = schema->getArray("required")) {
      for (size_t i = 0; i < required->size(); ++i) {
        if (!object->has(required->getElement<std::string>(i))) {
          return where + ": missing " + required->getElement<std::string>(i);
        }
      }
    }
    if (auto each = schema->getObject("additionalProperties")) {
      for (const auto& [name, member] : *object) {
        const std::string problem = validate(member, each, where + "." + name);
        if (!problem.empty()) return problem;
      }
    } else if (auto properties = schema->getObject("properties")) {
      for (const auto& [name, member] : *object) {
        if (!properties->has(name)) return where + ": undocumented property " + name;
        const std::string problem =
            validate(member, properties->getObject(name), where + "." + name);
        if (!problem.empty()) return problem;
      }
    }
  } else if (type == "array") {
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) return where + ": not an array";
    auto array = value.extract<Poco::JSON::Array::Ptr>();
    for (size_t i = 0; i < array->size(); ++i) {
      const std::string problem = validate(array->get(i), schema->getObject("items"),
                                           where + "[" + std::to_string(i) + "]");
      if (!problem.empty()) return problem;
    }
  } else if (type == "string") {
    if (!value.isString()) return where + ": not a string";
  } else if (type == "integer") {
    if (!value.isInteger()) return where + ": not an integer";
  } else if (type == "number") {
    if (!value.isNumeric()) return where + ": not a number";
  }
  return "";
}

std::string OpenApiCheck::check(const std::string& method, const std::string& path, int status,
                                const std::string& body) const {
  auto paths = document_->getObject("paths");
  auto item = paths ? paths->getObject(path) : nullptr;
  std::string lower = method;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  auto operation = item ? item->getObject(lower) : nullptr;
  if (!operation) return method + " " + path + " is not in the document";
  auto response = resolve(operation->getObject("responses")->getObject(std::to_string(status)));
  if (!response)
    return method + " " + path + ": status " + std::to_string(status) + " undocumented";
  auto content = response->getObject("content");
  auto json = content ? content->getObject("application/json") : nullptr;
  if (!json || !json->has("schema")) return "";
  Poco::JSON::Parser parser;
  Poco::Dynamic::Var parsed;
  try {
    parsed = parser.parse(body);
  } catch (const Poco::Exception& e) {
    return method + " " + path + ": body is not JSON: " + e.displayText();
  }
  return validate(parsed, json->getObject("schema"), method + " " + path);
}

}  // namespace consentguard::testing
