// The REST API under /api/v1, for the website CMS and other tools, served by Poco's HTTPServer:
//   GET  /api/v1/health
//   POST /api/v1/photos?channel=CH[&caption=..&alt_text=..&file_name=..]   body: the image
//   GET  /api/v1/photos/{id}
//   GET  /api/v1/photos/{id}/published
//   GET  /api/v1/openapi.json             this API as an OpenAPI 3 document
// Every route but /health needs "Authorization: Bearer KEY" with a key for the photo's channel.
// The image's type is sniffed from its bytes; every error is {"error":{"code","message"}}.
// The factory is shared by Poco's request threads; each thread keeps its own database
// connections.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "consentguard/service/service_settings.h"

namespace consentguard::service {

// The OpenAPI 3 document of this API (src/api/openapi.json, built in).
const char* openApiDocument();

class ApiHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiHandlerFactory(const ServiceSettings& settings) : settings_(settings) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  ServiceSettings settings_;
};

}  // namespace consentguard::service
