#include "http_util.h"

namespace consentguard::service {

using Poco::Net::HTTPResponse;

void sendJson(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
              const Poco::JSON::Object& body) {
  response.setStatus(status);
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
    auto store = reg::RegisterStore::open(settings.folders.database());
    if (!store) return store.error();
    local.queue = std::move(queue.value());
    local.store = std::move(store.value());
  }
  return &local;
}

}  // namespace consentguard::service
