#include "consentguard/service/https.h"

#include <Poco/Net/DNS.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLException.h>

#include "consentguard/service/tls_certificate.h"

namespace consentguard::service {
namespace {

namespace fs = std::filesystem;
using Poco::Net::HTTPResponse;

class RedirectToHttps : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RedirectToHttps(int https_port) : https_port_(https_port) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    // The host the person typed, without its port; never anything else from the request.
    std::string host = request.getHost();
    if (!host.empty() && host.front() == '[') {
      host = host.substr(0, host.find(']') + 1);  // an IPv6 address
    } else {
      host = host.substr(0, host.find(':'));
    }
    const bool valid = !host.empty() && host.find_first_not_of(
                                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789.-[]:") == std::string::npos;
    if (!valid) host = "localhost";
    const std::string target = "https://" + host + ":" + std::to_string(https_port_);
    std::string uri = request.getURI();
    if (uri.empty() || uri[0] != '/') uri = "/";
    response.set("Cache-Control", "no-store");
    response.setContentType("text/plain; charset=utf-8");
    if (request.getMethod() == "GET" || request.getMethod() == "HEAD") {
      response.set("Location", target + uri);
      response.setStatusAndReason(HTTPResponse::HTTP_MOVED_PERMANENTLY);
      response.send() << "Consent Guard is at " << target << "/\n";
      return;
    }
    // A form or an upload sent in the clear is not taken, and not passed on.
    response.setStatusAndReason(HTTPResponse::HTTP_FORBIDDEN);
    response.send() << "Consent Guard takes requests over HTTPS only: use " << target << "/\n";
  }

 private:
  int https_port_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* RedirectToHttpsFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
  return new RedirectToHttps(https_port_);
}

Result<TlsSetup> prepareTls(const ServiceSettings& settings) {
  TlsSetup setup;
  fs::path key = settings.tls_key;
  setup.certificate = settings.tls_certificate;
  if (setup.certificate.empty()) {
    const fs::path dir = settings.folders.root / "tls";
    setup.certificate = dir / "consentguard.crt";
    key = dir / "consentguard.key";
    setup.made_here = true;
    std::error_code ec;
    if (!fs::exists(setup.certificate, ec) || !fs::exists(key, ec)) {
      fs::create_directories(dir, ec);
      fs::permissions(dir, fs::perms::owner_all, ec);
      std::string host = "localhost";
      try {
        host = Poco::Net::DNS::hostName();
      } catch (const Poco::Exception&) {
      }
      auto made = makeSelfSignedCertificate(dir, "consentguard", host);
      if (!made) return made.error();
      setup.made_now = true;
    }
  }
  auto fingerprint = certificateFingerprint(setup.certificate);
  if (!fingerprint) return fingerprint.error();
  // A key that is not the certificate's would fail every connection later, silently.
  if (Status s = checkKeyIsCertificates(setup.certificate, key); !s) return s.error();
  setup.fingerprint = *fingerprint;
  try {
    setup.context = new Poco::Net::Context(
        Poco::Net::Context::TLS_SERVER_USE, key.string(), setup.certificate.string(), "",
        Poco::Net::Context::VERIFY_NONE, 9, false, "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES:!SHA1");
    setup.context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    setup.context->preferServerCiphers();
  } catch (const Poco::Exception& e) {
    return makeError("tls_certificate",
                     "The secure connection cannot be set up with the certificate " +
                         setup.certificate.string() + " and the key " + key.string() +
                         ". Check that both are PEM files the service may read and that the key "
                         "is this certificate's.",
                     e.displayText());
  }
  return setup;
}

}  // namespace consentguard::service
