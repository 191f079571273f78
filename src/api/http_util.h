// Pieces shared by the API's request handlers: JSON answers and errors, draining a refused
// upload, and the database connections each request thread keeps for itself.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <istream>
#include <string_view>
#include <memory>

#include "consentguard/queue/job_queue.h"
#include "consentguard/register/register_store.h"
#include "consentguard/service/service_settings.h"

namespace consentguard::service {

void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const Poco::JSON::Object& body);

void sendError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
               const std::string& code, const std::string& message);

// Reads and drops what is left of a request's body (up to `cap` bytes), so that a client still
// sending something we refuse gets our answer rather than a broken connection.
void drain(std::istream& in, std::uint64_t cap);

// A request body that must be one JSON object (the register API's PUT and POST bodies), at
// most kMaxJsonBytes. Errors: "bad_json", with what is wrong.
constexpr size_t kMaxJsonBytes = 64 * 1024;
Result<Poco::JSON::Object::Ptr> parseJsonObject(std::string_view body);

// One set of connections per request thread: SQLite connections are not shared between threads.
struct ThreadDatabase {
  std::unique_ptr<queue::JobQueue> queue;
  std::unique_ptr<reg::RegisterStore> store;
};
Result<ThreadDatabase*> threadDatabase(const ServiceSettings& settings);

}  // namespace consentguard::service
