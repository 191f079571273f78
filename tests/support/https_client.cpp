#include "support/https_client.h"

#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>

#include <chrono>
#include <mutex>
#include <thread>

namespace consentguard::testing {
namespace {

std::mutex mutex;
Poco::Net::Context::Ptr current;

void initialiseOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

}  // namespace

bool trustServiceCertificate(const std::filesystem::path& data) {
  initialiseOnce();
  const auto certificate = data / "tls" / "consentguard.crt";
  for (int i = 0; i < 600 && !std::filesystem::exists(data / "tls" / "consentguard.key"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // written in full
  if (!std::filesystem::exists(certificate)) return false;
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", certificate.string(),
                             Poco::Net::Context::VERIFY_STRICT, 9, false, "HIGH:!aNULL:!eNULL");
  context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  std::lock_guard lock(mutex);
  current = context;
  return true;
}

Poco::Net::Context::Ptr serviceClientContext() {
  std::lock_guard lock(mutex);
  return current;
}

std::unique_ptr<Poco::Net::HTTPSClientSession> serviceSession(int port) {
  return std::make_unique<Poco::Net::HTTPSClientSession>(
      "127.0.0.1", static_cast<Poco::UInt16>(port), serviceClientContext());
}

std::string presentedFingerprint(int port) {
  initialiseOnce();
  try {
    // Trusting nothing in advance: the certificate is read, then compared by the caller.
    Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_NONE);
    Poco::Net::SecureStreamSocket socket(
        Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), context);
    socket.completeHandshake();
    const Poco::Net::X509Certificate peer = socket.peerCertificate();
    const auto digest = peer.fingerprint("SHA256");
    std::string text;
    static const char* kHex = "0123456789ABCDEF";
    for (size_t i = 0; i < digest.size(); ++i) {
      if (i > 0) text += ':';
      text += kHex[digest[i] >> 4];
      text += kHex[digest[i] & 15];
    }
    return text;
  } catch (const Poco::Exception&) {
    return "";
  }
}

}  // namespace consentguard::testing
