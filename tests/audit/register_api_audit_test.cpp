// Register changes made through the REST API are written to the audit trail by the key that
// made them ("key:NAME"), in the same transaction as the change; the no-photo note stays out.
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "check/check_fixture.h"
#include "consentguard/audit/audit_log.h"
#include "consentguard/register/csv_import.h"
#include "consentguard/service/api_keys.h"
#include "service/server_process.h"
#include "support/https_client.h"

namespace consentguard::testing {
namespace {

int send(int port, const std::string& method, const std::string& path, const std::string& key,
         const std::string& body) {
  try {
    auto https = serviceSession(port);
    Poco::Net::HTTPSClientSession& session = *https;
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPRequest::HTTP_1_1);
    if (!key.empty()) request.set("Authorization", "Bearer " + key);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response).ignore(1 << 20);
    return response.getStatus();
  } catch (const Poco::Exception&) {
    return 0;
  }
}

TEST(RegisterApiAudit, ChangesThroughTheApiAreRecordedWithTheKeysName) {
  const fs::path dir = scratchDir("register-api-audit"), data = dir / "data";
  std::string key;
  {
    auto store = reg::RegisterStore::open(data / "consentguard.db");
    ASSERT_TRUE(store.ok());
    reg::ImportOptions options;
    options.today = kTestDate;
    ASSERT_TRUE(reg::importRegisterCsv(**store, registerCsv(), options).ok());
    key = *service::createApiKey((*store)->database(), "MIS link", {}, true);
  }
  std::ofstream(dir / "consentguard.properties") << "policy.device_check = false\n";
  const int port = freePort();
  ServerProcess server(dir / "consentguard.properties", data, dir / "serve.log", port);
  ASSERT_TRUE(trustServiceCertificate(data)) << "the service made no certificate";
  for (int i = 0; i < 600 && send(port, "GET", "/api/v1/health", "", "") != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(send(port, "PUT", "/api/v1/people/P001/consent/website", key, R"({"granted":false})"),
            200);
  EXPECT_EQ(send(port, "PUT", "/api/v1/people/P002/no-photo", key,
                 R"({"no_photo":true,"note":"Court order 7731"})"),
            200);
  EXPECT_EQ(send(port, "POST", "/api/v1/devices", key, R"({"make":"Canon","model":"EOS"})"), 201);
  EXPECT_EQ(send(port, "PUT", "/api/v1/people/NOBODY/no-photo", key, R"({"no_photo":true})"), 404);

  auto db = reg::openRegisterDatabase(data / "consentguard.db");
  ASSERT_TRUE(db.ok());
  audit::AuditLog log(**db);
  auto entries = log.entries();
  ASSERT_TRUE(entries.ok());
  std::vector<std::string> seen;
  for (const auto& e : *entries) {
    if (e.actor == "key:MIS link") seen.push_back(e.action + " " + e.subject + " " + e.details);
    EXPECT_EQ(e.details.find("7731"), std::string::npos);
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{
                R"(consent_changed P001 {"channel":"website","old":{"status":"granted",)"
                R"("expires_on":""},"new":{"status":"withdrawn","expires_on":""}})",
                R"(no_photo_changed P002 {"old":false,"new":true,"note":"note changed"})",
                R"(device_added 1 {"make":"Canon","model":"EOS","serial":"","description":""})"}));
  EXPECT_TRUE(log.verify()->intact());
}

}  // namespace
}  // namespace consentguard::testing
