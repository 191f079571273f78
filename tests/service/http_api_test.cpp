// The REST API driven over HTTP on a loopback port, as the website CMS uses it: submit, ask,
// fetch the published copy; and the bad requests: no key, a wrong key, the wrong channel, an
// empty body, a non-image, an oversized body, a malformed id. Every answer is also checked
// against the service's own OpenAPI document.
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "check/check_fixture.h"
#include "consentguard/audit/term_report.h"
#include "consentguard/common/dates.h"
#include "consentguard/image/sanitiser.h"
#include "consentguard/register/register_store.h"
#include "consentguard/service/api_keys.h"
#include "service/openapi_check.h"
#include "service/server_process.h"
#include "support/https_client.h"

namespace consentguard::testing {
namespace {

using namespace std::chrono_literals;
using Poco::Net::HTTPRequest;

struct Reply {
  int status = 0;
  std::string body;
  std::string location;
  std::string content_type;

  Poco::JSON::Object::Ptr json() const {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
  }
  std::string errorCode() const {
    return json()->getObject("error")->getValue<std::string>("code");
  }
};

class HttpApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CG_REQUIRE_SHARED_TESTDATA();
    dir_ = scratchDir(std::string("api-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    data_ = dir_ / "data";
    fs::create_directories(data_);
    installEnrolledRegister(data_ / "consentguard.db");
    {
      auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
      ASSERT_TRUE(db.ok());
      website_key_ = *service::createApiKey(**db, "website CMS", {"website"});
    }
    const fs::path config = dir_ / "consentguard.properties";
    std::ofstream(config) << "policy.device_check = false\nservice.max_upload_mb = 1\n"
                             "folders.scan_seconds = 0.2\n";
    port_ = freePort();
    server_ = std::make_unique<ServerProcess>(config, data_, dir_ / "serve.log", port_);
    ASSERT_TRUE(trustServiceCertificate(data_)) << "the service made no certificate";
    for (int i = 0; i < 600 && send("GET", "/api/v1/health").status != 200; ++i) {
      std::this_thread::sleep_for(100ms);
    }
  }

  // The document's template for a request path: "/api/v1/photos/abc/published" is
  // "/photos/{id}/published".
  static std::string pathTemplate(const std::string& path) {
    std::string p = path.substr(0, path.find('?'));
    p = p.substr(std::string("/api/v1").size());
    std::vector<std::string> parts;
    for (size_t start = 1; start <= p.size();) {
      const size_t slash = std::min(p.find('/', start), p.size());
      parts.push_back(p.substr(start, slash - start));
      start = slash + 1;
    }
    // Every second segment of /photos/ID/..., /people/ID/consent/CHANNEL, /devices/ID is a value.
    const std::vector<std::string> names = {"", "{id}", "", "{channel}"};
    std::string result;
    for (size_t i = 0; i < parts.size(); ++i) {
      result += "/" + (i < names.size() && !names[i].empty() ? names[i] : parts[i]);
    }
    return result;
  }

  Reply request(const std::string& method, const std::string& path, const std::string& key = "",
                const std::string& body = "", bool sendBody = false, bool documented = true) {
    Reply reply = send(method, path, key, body, sendBody);
    if (documented && reply.status != 0) {
      if (!openapi_)
        openapi_ = std::make_unique<OpenApiCheck>(send("GET", "/api/v1/openapi.json").body);
      const std::string problem =
          openapi_->check(method, pathTemplate(path), reply.status, reply.body);
      EXPECT_EQ(problem, "") << "the answer to " << method << " " << path
                             << " does not match the OpenAPI document: " << reply.body;
    }
    return reply;
  }

  Reply send(const std::string& method, const std::string& path, const std::string& key = "",
             const std::string& body = "", bool sendBody = false) {
    Reply reply;
    try {
      auto https = serviceSession(port_);
      Poco::Net::HTTPSClientSession& session = *https;
      session.setTimeout(Poco::Timespan(30, 0));
      HTTPRequest req(method, path, HTTPRequest::HTTP_1_1);
      if (!key.empty()) req.set("Authorization", "Bearer " + key);
      if (sendBody || !body.empty())
        req.setContentLength(static_cast<std::streamsize>(body.size()));
      session.sendRequest(req) << body;
      Poco::Net::HTTPResponse res;
      std::istream& in = session.receiveResponse(res);
      Poco::StreamCopier::copyToString(in, reply.body);
      reply.status = res.getStatus();
      reply.location = res.get("Location", "");
      reply.content_type = res.getContentType();
    } catch (const Poco::Exception& e) {
      reply.body = e.displayText();
    }
    return reply;
  }

  std::string fileText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  Reply waitUntilChecked(const std::string& id) {
    Reply reply;
    for (int i = 0; i < 1200; ++i) {
      reply = request("GET", "/api/v1/photos/" + id, website_key_);
      if (reply.status != 200 || reply.json()->getValue<std::string>("status") == "done") break;
      std::this_thread::sleep_for(100ms);
    }
    return reply;
  }

  fs::path dir_, data_;
  int port_ = 0;
  std::string website_key_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<OpenApiCheck> openapi_;
};

TEST_F(HttpApiTest, APhotoIsSubmittedCheckedAndFetchedOnceApproved) {
  const std::string photo = fileText(probePhoto("amy"));
  const Reply accepted =
      request("POST", "/api/v1/photos?channel=website&caption=Sports%20day&file_name=a.png",
              website_key_, photo);
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string id = accepted.json()->getValue<std::string>("id");
  EXPECT_EQ(accepted.location, "/api/v1/photos/" + id);

  const Reply again = request("POST", "/api/v1/photos?channel=website", website_key_, photo);
  EXPECT_EQ(again.json()->getValue<std::string>("id"), id) << "the same bytes are the same job";

  const Reply checked = waitUntilChecked(id);
  ASSERT_EQ(checked.status, 200) << checked.body;
  auto json = checked.json();
  EXPECT_EQ(json->getValue<std::string>("verdict"), "publish");
  auto face = json->getArray("faces")->getObject(0);
  EXPECT_EQ(face->getValue<std::string>("person"), "P001");
  EXPECT_FALSE(face->has("descriptor"));
  EXPECT_FALSE(json->has("metadata"));

  const Reply published = request("GET", "/api/v1/photos/" + id + "/published", website_key_);
  ASSERT_EQ(published.status, 200);
  EXPECT_EQ(published.content_type, "image/png");
  const std::vector<std::uint8_t> bytes(published.body.begin(), published.body.end());
  EXPECT_TRUE(image::verifyClean(bytes).ok());
  EXPECT_EQ(server_->kill(SIGTERM), 0);
}

TEST_F(HttpApiTest, AWithdrawalTakesDownTheConsentedPupilsPublishedPhoto) {
  std::string mis;
  {
    auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
    mis = *service::createApiKey(**db, "MIS link", {}, /*manages_register=*/true);
  }
  // Amy and Sheldon (consent) are each published on the website.
  std::map<std::string, std::string> ids;
  for (const std::string person : {"amy", "sheldon"}) {
    const Reply accepted = request("POST", "/api/v1/photos?channel=website&file_name=" + person +
                                               ".png",
                                   website_key_, fileText(probePhoto(person)));
    ASSERT_EQ(accepted.status, 202) << accepted.body;
    ids[person] = accepted.json()->getValue<std::string>("id");
    ASSERT_EQ(waitUntilChecked(ids[person]).json()->getValue<std::string>("verdict"), "publish");
    ASSERT_EQ(request("GET", "/api/v1/photos/" + ids[person] + "/published", website_key_).status,
              200);
  }
  Reply list = request("GET", "/api/v1/takedowns?channel=website", website_key_);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json()->getArray("takedowns")->size(), 0u);

  // Amy's parent withdraws website consent; Sheldon goes on the no-photo list.
  ASSERT_EQ(request("PUT", "/api/v1/people/P001/consent/website", mis, R"({"granted":false})")
                .status,
            200);
  ASSERT_EQ(request("PUT", "/api/v1/people/P007/no-photo", mis, R"({"no_photo":true})").status,
            200);
  list = request("GET", "/api/v1/takedowns?channel=website", website_key_);
  ASSERT_EQ(list.status, 200) << list.body;
  auto takedowns = list.json()->getArray("takedowns");
  ASSERT_EQ(takedowns->size(), 2u) << list.body;
  std::map<std::string, std::pair<std::int64_t, std::string>> byPhoto;
  for (size_t i = 0; i < takedowns->size(); ++i) {
    auto t = takedowns->getObject(i);
    EXPECT_EQ(t->getValue<std::string>("channel"), "website");
    EXPECT_FALSE(t->getValue<std::string>("since").empty());
    byPhoto[t->getValue<std::string>("photo")] = {t->getValue<std::int64_t>("id"),
                                                  t->getValue<std::string>("reason")};
  }
  EXPECT_EQ(byPhoto[ids["amy"]].second, "consent_withdrawn");
  EXPECT_EQ(byPhoto[ids["sheldon"]].second, "no_photo");
  for (const std::string name : {"Amy", "Fowler", "P001", "Sheldon", "P007"}) {
    EXPECT_EQ(list.body.find(name), std::string::npos) << "the CMS is never told who: " << name;
  }
  // Both are gone from /published from now on.
  for (const auto& [person, id] : ids) {
    const Reply gone = request("GET", "/api/v1/photos/" + id + "/published", website_key_);
    EXPECT_EQ(gone.status, 410) << person;
    EXPECT_EQ(gone.errorCode(), "taken_down");
  }
  // Another channel's key is refused the list; a key for it sees none of these.
  EXPECT_EQ(request("GET", "/api/v1/takedowns?channel=newsletter", website_key_).status, 403);

  // The CMS removes Amy's photo and says so: the list no longer has it; asking again is fine.
  const std::string done = "/api/v1/takedowns/" + std::to_string(byPhoto[ids["amy"]].first) +
                           "/done";
  const Reply marked = request("POST", done, website_key_, "", true);
  EXPECT_EQ(marked.status, 200) << marked.body;
  EXPECT_EQ(request("POST", done, website_key_, "", true).status, 200);
  list = request("GET", "/api/v1/takedowns", website_key_);
  ASSERT_EQ(list.json()->getArray("takedowns")->size(), 1u) << list.body;
  EXPECT_EQ(list.json()->getArray("takedowns")->getObject(0)->getValue<std::string>("photo"),
            ids["sheldon"]);
  EXPECT_EQ(request("GET", "/api/v1/photos/" + ids["amy"] + "/published", website_key_).status,
            410);
  EXPECT_EQ(request("POST", "/api/v1/takedowns/999999/done", website_key_, "", true).status, 404);

  // Amy's consent given again raises no new takedown for a photo already taken down.
  ASSERT_EQ(request("PUT", "/api/v1/people/P001/consent/website", mis, R"({"granted":true})")
                .status,
            200);
  ASSERT_EQ(request("PUT", "/api/v1/people/P001/consent/website", mis, R"({"granted":false})")
                .status,
            200);
  EXPECT_EQ(request("GET", "/api/v1/takedowns", website_key_).json()->getArray("takedowns")->size(),
            1u);

  // Raised and done are in the audit trail, by whom.
  auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
  ASSERT_TRUE(db.ok());
  auto stmt = (*db)->prepare("SELECT actor || ' ' || action FROM audit_log WHERE action LIKE "
                             "'takedown%' ORDER BY seq");
  ASSERT_TRUE(stmt.ok());
  auto actions = stmt->collect([](const reg::Statement& r) { return r.text(0); });
  ASSERT_TRUE(actions.ok());
  EXPECT_EQ(*actions, (std::vector<std::string>{"service takedown_raised",
                                                "service takedown_raised",
                                                "key:website CMS takedown_done"}));
  // And in the termly report.
  auto report = audit::buildTermReport(**db, todayIso(), todayIso());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->takedowns_raised, 2);
  EXPECT_EQ(report->takedowns_done, 1);
  EXPECT_NE(audit::reportCsv(*report).find("takedowns_done,1"), std::string::npos);
  EXPECT_EQ(server_->kill(SIGTERM), 0);
}

TEST_F(HttpApiTest, TheOpenApiDocumentIsServedAndCatchesAWrongAnswer) {
  const Reply document = send("GET", "/api/v1/openapi.json");
  ASSERT_EQ(document.status, 200);
  const OpenApiCheck openapi(document.body);
  EXPECT_EQ(openapi.check("GET", "/health", 200, send("GET", "/api/v1/health").body), "");
  // The check itself can fail: a missing field, a wrong type, an undocumented status.
  EXPECT_NE(openapi.check("GET", "/health", 200, R"({"status":"ok"})"), "");
  EXPECT_NE(openapi.check("POST", "/photos", 202, R"({"id":7,"status":"queued"})"), "");
  EXPECT_NE(openapi.check("GET", "/photos/{id}", 500, "{}"), "");
  EXPECT_NE(openapi.check("GET", "/photos/{id}", 200,
                          R"({"id":"x","channel":"website","file_name":"a","submitted_at":"t",)"
                          R"("status":"sleeping"})"),
            "");
}

TEST_F(HttpApiTest, TheRegisterIsManagedWithARegisterKeyOnly) {
  std::string admin;
  {
    auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
    admin = *service::createApiKey(**db, "MIS link", {}, /*manages_register=*/true);
  }
  const Reply refused = request("GET", "/api/v1/people", website_key_);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.errorCode(), "not_a_register_key");

  const Reply people = request("GET", "/api/v1/people", admin);
  ASSERT_EQ(people.status, 200) << people.body;
  EXPECT_EQ(people.json()->getArray("people")->size(), 8u);
  const Reply amy = request("GET", "/api/v1/people/P001", admin);
  ASSERT_EQ(amy.status, 200);
  EXPECT_EQ(amy.json()->getObject("consent")->getObject("website")->getValue<std::string>("status"),
            "granted");
  EXPECT_FALSE(amy.json()->has("no_photo_note"));

  const Reply added = request("PUT", "/api/v1/people/P100", admin,
                              R"({"role":"pupil","given_name":"Zoë","family_name":"Núñez"})");
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(added.json()->getValue<std::string>("given_name"), "Zoë");
  const Reply withdrawn =
      request("PUT", "/api/v1/people/P001/consent/website", admin, R"({"granted":false})");
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(
      withdrawn.json()->getObject("consent")->getObject("website")->getValue<std::string>("status"),
      "withdrawn");
  EXPECT_EQ(withdrawn.json()->getValue<int>("held_photos_rechecked"), 0);
  const Reply noPhoto = request("PUT", "/api/v1/people/P002/no-photo", admin,
                                R"({"no_photo":true,"note":"Court order"})");
  ASSERT_EQ(noPhoto.status, 200) << noPhoto.body;
  EXPECT_TRUE(noPhoto.json()->getValue<bool>("no_photo"));
  EXPECT_EQ(noPhoto.body.find("Court order"), std::string::npos) << "the note is restricted";

  // Bad requests.
  EXPECT_EQ(request("PUT", "/api/v1/people/P001/consent/website", admin, "{granted").errorCode(),
            "bad_json");
  EXPECT_EQ(request("PUT", "/api/v1/people/P001/consent/website", admin, R"({"granted":"yes"})")
                .errorCode(),
            "bad_value");
  EXPECT_EQ(request("PUT", "/api/v1/people/P001/consent/instagram", admin, R"({"granted":true})")
                .errorCode(),
            "unknown_channel");
  EXPECT_EQ(request("GET", "/api/v1/people/NOBODY", admin).status, 404);
  EXPECT_EQ(request("PUT", "/api/v1/people/NOBODY/no-photo", admin, R"({"no_photo":true})").status,
            404);

  // Devices.
  const Reply device = request("POST", "/api/v1/devices", admin,
                               R"({"make":"Canon","model":"Canon EOS 2000D","serial":"123"})");
  ASSERT_EQ(device.status, 201) << device.body;
  EXPECT_EQ(request("POST", "/api/v1/devices", admin,
                    R"({"make":"Canon","model":"Canon EOS 2000D","serial":"123"})")
                .status,
            409);
  EXPECT_EQ(request("POST", "/api/v1/devices", admin, R"({"make":"Canon"})").status, 400);
  EXPECT_EQ(request("GET", "/api/v1/devices", admin).json()->getArray("devices")->size(), 1u);
  const std::string id = std::to_string(device.json()->getValue<int>("id"));
  EXPECT_EQ(request("DELETE", "/api/v1/devices/" + id, admin).status, 204);
  EXPECT_EQ(request("DELETE", "/api/v1/devices/" + id, admin).status, 404);
}

TEST_F(HttpApiTest, ABlockedPhotoIsNeverHandedOut) {
  const Reply accepted = request("POST", "/api/v1/photos?channel=website", website_key_,
                                 fileText(probePhoto("howard")));
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string id = accepted.json()->getValue<std::string>("id");
  const Reply checked = waitUntilChecked(id);
  EXPECT_EQ(checked.json()->getValue<std::string>("verdict"), "block");
  EXPECT_EQ(checked.json()->getArray("reasons")->getObject(0)->getValue<std::string>("code"),
            "no_photo");
  const Reply published = request("GET", "/api/v1/photos/" + id + "/published", website_key_);
  EXPECT_EQ(published.status, 409);
  EXPECT_EQ(published.errorCode(), "not_published");
}

TEST_F(HttpApiTest, BadRequestsGetAClearJsonError) {
  const std::string photo = fileText(probePhoto("amy"));
  struct Case {
    Reply reply;
    int status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {request("POST", "/api/v1/photos?channel=website", "", photo), 401, "no_key"},
      {request("POST", "/api/v1/photos?channel=website", std::string(64, 'a'), photo), 401,
       "bad_key"},
      {request("POST", "/api/v1/photos?channel=social_media", website_key_, photo), 403,
       "wrong_channel"},
      {request("POST", "/api/v1/photos?channel=instagram", website_key_, photo), 400,
       "unknown_channel"},
      {request("POST", "/api/v1/photos?channel=website", website_key_, "", true), 400, "empty"},
      {request("POST", "/api/v1/photos?channel=website", website_key_, "<html>not a photo</html>"),
       415, "not_an_image"},
      {request("POST", "/api/v1/photos?channel=website", website_key_, std::string(2 << 20, 'x')),
       413, "too_large"},
      {request("GET", "/api/v1/photos/not-an-id", website_key_), 400, "bad_id"},
      {request("GET", "/api/v1/photos/0123456789abcdef0123456789abcdef", website_key_), 404,
       "not_found"},
      {request("DELETE", "/api/v1/photos", website_key_, "", false, /*documented=*/false), 404,
       "not_found"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.reply.status, c.status) << c.reply.body;
    if (c.reply.status == c.status) {
      EXPECT_EQ(c.reply.errorCode(), c.code) << c.reply.body;
      EXPECT_FALSE(c.reply.json()->getObject("error")->getValue<std::string>("message").empty());
    }
  }
  // Nothing refused was queued.
  EXPECT_EQ(request("GET", "/api/v1/health").json()->getObject("jobs")->getValue<int>("queued") +
                request("GET", "/api/v1/health").json()->getObject("jobs")->getValue<int>("done"),
            0);
}

}  // namespace
}  // namespace consentguard::testing
