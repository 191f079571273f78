// The tests' side of the service's HTTPS (service/https.h): a client context that trusts
// exactly the certificate the service under test made in its data folder (tls/consentguard.crt)
// and nothing else, TLS 1.2 at least, with the host name checked, as a careful CMS would.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>

#include <filesystem>
#include <memory>
#include <string>

namespace consentguard::testing {

// Waits (up to a minute) for the service started on `data` to make its certificate, then makes
// it the one serviceSession trusts. False when it never appeared.
bool trustServiceCertificate(const std::filesystem::path& data);

// The context trustServiceCertificate made (null before).
Poco::Net::Context::Ptr serviceClientContext();

// A session to the service on this machine's `port`, trusting only its certificate.
std::unique_ptr<Poco::Net::HTTPSClientSession> serviceSession(int port);

// The SHA-256 fingerprint ("AB:CD:...") of the certificate the server on `port` presents,
// read without trusting it; empty when there is no TLS there.
std::string presentedFingerprint(int port);

}  // namespace consentguard::testing
