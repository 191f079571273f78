#include "http_util.h"

#include <Poco/JSON/Parser.h>

namespace consentguard::service {

using Poco::Net::HTTPResponse;

void sendJson(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
              const Poco::JSON::Object& body) {
  response.setStatusAndReason(status);
  response.setContentType("application/json");
  std::ostringstream text;
  body.stringify(text);
  response.sendBuffer(text.str().data(), text.str().size());
}

void sendError(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
               const std::string& code, const std::string& message) {
  Poco::JSON::Object error, root;
  error.set("code", code);
  error.set("message", message);
  root.set("error", error);
  sendJson(response, status, root);
}

void drain(std::istream& in, std::uint64_t cap) {
  char buffer[65536];
  std::uint64_t dropped = 0;
  while (dropped < cap && (in.read(buffer, sizeof buffer) || in.gcount() > 0)) {
    dropped += static_cast<std::uint64_t>(in.gcount());
  }
}

Result<ThreadDatabase*> threadDatabase(const ServiceSettings& settings) {
  thread_local ThreadDatabase local;
  if (!local.queue) {
    auto queue = queue::JobQueue::open(settings.folders.database(), settings.folders.store());
    if (!queue) return queue.error();
    auto store = reg::RegisterStore::open(settings.folders.database(), dataKeyFile(settings));
    if (!store) return store.error();
    local.queue = std::move(queue.value());
    local.store = std::move(store.value());
  }
  return &local;
}

Result<Poco::JSON::Object::Ptr> parseJsonObject(std::string_view body) {
  const auto bad = [](const std::string& what) {
    return makeError("bad_json", "The request body must be a JSON object: " + what + ".");
  };
  if (body.size() > kMaxJsonBytes) return bad("it is too long");
  try {
    Poco::JSON::Parser parser;
    auto value = parser.parse(std::string(body));
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) return bad("it is not an object");
    return value.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return bad(e.message().empty() ? "it cannot be read" : e.message());
  }
}

}  // namespace consentguard::service
