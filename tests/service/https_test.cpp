// The service speaks HTTPS only: a client that checks the certificate against the fingerprint
// in the log signs in, and its cookies are Secure, with HSTS; a client that does not trust the
// certificate, or offers only TLS 1.1, gets nothing; the plain-HTTP port only redirects and
// takes no form; a key that is not the certificate's stops the service with a clear message.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/SSLException.h>

#include <regex>

#include "consentguard/service/tls_certificate.h"
#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

std::string fileText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class HttpsTest : public ReviewServiceTest {
 protected:
  std::string configText() override {
    plain_port_ = freePort();
    return "policy.device_check = false\nservice.http_redirect_port = " +
           std::to_string(plain_port_) + "\n";
  }

  // A plain-HTTP request to `port`.
  Page plain(int port, const std::string& method, const std::string& path,
             const std::string& body = "") {
    Page page;
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPRequest::HTTP_1_1);
    request.setHost("127.0.0.1", static_cast<Poco::UInt16>(port));
    if (!body.empty()) {
      request.setContentType("application/x-www-form-urlencoded");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), page.body);
    page.status = response.getStatus();
    page.location = response.get("Location", "");
    page.set_cookies.push_back(response.get("Set-Cookie", ""));
    return page;
  }

  int plain_port_ = 0;
};

TEST_F(HttpsTest, AClientThatChecksTheFingerprintSignsInWithSecureCookies) {
  // The fingerprint people are told to check is in the log, and is what the port presents.
  std::smatch found;
  const std::string log = fileText(dir_ / "serve.log");
  ASSERT_TRUE(std::regex_search(log, found, std::regex("SHA-256 fingerprint is ([0-9A-F:]{95})")))
      << log;
  EXPECT_EQ(presentedFingerprint(port_), found[1].str());
  auto made = service::certificateFingerprint(data_ / "tls" / "consentguard.crt");
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(*made, found[1].str());
  EXPECT_EQ(fs::status(data_ / "tls" / "consentguard.key").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);

  Browser browser(port_);  // trusts exactly that certificate
  const Page signedIn = browser.signIn("sam.slt", kPassword);
  ASSERT_EQ(signedIn.status, 303) << signedIn.body;
  bool secureSession = false;
  for (const auto& c : signedIn.set_cookies) {
    if (c.rfind("cg_session=", 0) == 0) secureSession = c.find("; Secure") != std::string::npos;
  }
  EXPECT_TRUE(secureSession);
  EXPECT_EQ(signedIn.strict_transport, "max-age=31536000");
  const Page review = browser.get("/review");
  EXPECT_EQ(review.status, 200);
  EXPECT_EQ(review.strict_transport, "max-age=31536000");
}

TEST_F(HttpsTest, NothingIsServedToAClientThatDoesNotTrustItOrOffersOnlyOldTls) {
  // The system's CAs only: the self-signed certificate is not trusted, so no request is sent.
  Poco::Net::Context::Ptr systemOnly = new Poco::Net::Context(
      Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_STRICT, 9, true);
  Poco::Net::HTTPSClientSession untrusting("127.0.0.1", static_cast<Poco::UInt16>(port_),
                                           systemOnly);
  Poco::Net::HTTPRequest request("GET", "/login", Poco::Net::HTTPRequest::HTTP_1_1);
  EXPECT_THROW(untrusting.sendRequest(request), Poco::Exception);

  // TLS 1.1 and older only: refused in the handshake.
  Poco::Net::Context::Ptr old = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "",
                                                       "", Poco::Net::Context::VERIFY_NONE);
  old->disableProtocols(Poco::Net::Context::PROTO_TLSV1_2 | Poco::Net::Context::PROTO_TLSV1_3);
  Poco::Net::HTTPSClientSession oldTls("127.0.0.1", static_cast<Poco::UInt16>(port_), old);
  EXPECT_THROW(oldTls.sendRequest(request), Poco::Exception);

  // Plain HTTP to the HTTPS port gets no page.
  EXPECT_THROW(
      {
        const Page page = plain(port_, "GET", "/login");
        if (page.body.find("password") == std::string::npos) throw Poco::Exception("no page");
      },
      Poco::Exception);
}

TEST_F(HttpsTest, ThePlainPortOnlyRedirectsAndTakesNoForm) {
  const Page login = plain(plain_port_, "GET", "/login?next=%2Freview");
  EXPECT_EQ(login.status, 301);
  EXPECT_EQ(login.location, "https://127.0.0.1:" + std::to_string(port_) + "/login?next=%2Freview");
  EXPECT_EQ(login.body.find("password"), std::string::npos) << "no page over plain HTTP";
  const Page posted =
      plain(plain_port_, "POST", "/login", "username=sam.slt&password=correct+horse+battery");
  EXPECT_EQ(posted.status, 403);
  EXPECT_EQ(posted.location, "");
  EXPECT_EQ(posted.set_cookies.front(), "") << "no session over plain HTTP";
  EXPECT_NE(posted.body.find("HTTPS only"), std::string::npos);
  const Page api = plain(plain_port_, "POST", "/api/v1/photos?channel=website", "x");
  EXPECT_EQ(api.status, 403);
  EXPECT_EQ(jobOf(queue::jobIdFor("website", std::vector<std::uint8_t>{'x'})), std::nullopt);
}

TEST(HttpsSetup, AKeyThatIsNotTheCertificatesStopsTheServiceWithAClearMessage) {
  const fs::path dir = scratchDir("https-wrong-key");
  auto first = service::makeSelfSignedCertificate(dir, "school", "localhost");
  auto second = service::makeSelfSignedCertificate(dir, "other", "localhost");
  ASSERT_TRUE(first.ok() && second.ok());
  std::ofstream(dir / "consentguard.properties")
      << "service.tls.certificate = " << first->certificate.string()
      << "\nservice.tls.key = " << second->key.string() << "\n";
  ServerProcess server(dir / "consentguard.properties", dir / "data", dir / "serve.log",
                       freePort());
  std::string log;
  for (int i = 0; i < 300 && log.find("is not the key") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    log = fileText(dir / "serve.log");
  }
  EXPECT_NE(log.find("is not the key of the certificate " + first->certificate.string()),
            std::string::npos)
      << log;
  EXPECT_EQ(server.kill(SIGTERM), 78) << "EX_CONFIG";
}

}  // namespace
}  // namespace consentguard::testing
