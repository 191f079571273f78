// The service's HTTPS (Poco NetSSL over Debian's OpenSSL): the school's certificate
// (service.tls.certificate and .key) or, without one, a self-signed certificate made at first
// start in DATA/tls/; TLS 1.2 at least. And the plain-HTTP port (service.http_redirect_port),
// which never serves a page: GET and HEAD are redirected to https://, anything else refused.
// Thread-safe once made.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <filesystem>
#include <string>

#include "consentguard/common/result.h"
#include "consentguard/service/service_settings.h"

namespace consentguard::service {

struct TlsSetup {
  Poco::Net::Context::Ptr context;
  std::filesystem::path certificate;
  std::string fingerprint;  // SHA-256, "AB:CD:..."
  bool made_here = false;   // self-signed, in DATA/tls/ (this start made it, or an earlier one)
  bool made_now = false;
};

// Errors: "tls_certificate" (missing, unreadable, or a key that is not the certificate's).
Result<TlsSetup> prepareTls(const ServiceSettings& settings);

// For the plain-HTTP port.
class RedirectToHttpsFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit RedirectToHttpsFactory(int https_port) : https_port_(https_port) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  int https_port_;
};

}  // namespace consentguard::service
