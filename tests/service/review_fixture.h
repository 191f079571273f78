// For tests of the pages people use in a browser: a minimal browser (cookies, forms, the CSRF
// token) and a fixture that runs the real service with accounts and held photos.
#pragma once

#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include "check/check_fixture.h"
#include "consentguard/audit/audit_log.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/queue/job_queue.h"
#include "consentguard/register/register_store.h"
#include "consentguard/service/accounts.h"
#include "consentguard/service/api_keys.h"
#include "service/server_process.h"
#include "support/https_client.h"

namespace consentguard::testing {

using namespace std::chrono_literals;
using Poco::Net::HTTPRequest;

inline const std::string kPassword = "correct horse battery";

struct Page {
  int status = 0;
  std::string reason;  // the status line's words
  std::string body, location, content_type, content_range, strict_transport;
  std::vector<std::string> set_cookies;
};

// A minimal browser: keeps cookies, sends forms.
class Browser {
 public:
  explicit Browser(int port) : port_(port) {}

  Page get(const std::string& path) { return send("GET", path, ""); }
  // A request body as it is (an API client's upload).
  Page postBytes(const std::string& path, const std::string& bytes,
                 const std::string& content_type) {
    return send("POST", path, bytes, content_type);
  }
  Page post(const std::string& path, const std::map<std::string, std::string>& fields) {
    return postMulti(path, {fields.begin(), fields.end()});
  }
  // A form whose fields may repeat (ticked boxes of one name), in this order.
  Page postMulti(const std::string& path,
                 const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
      std::string encoded;
      Poco::URI::encode(value, "&=+?#/ ", encoded);
      body += (body.empty() ? "" : "&") + name + "=" + encoded;
    }
    return send("POST", path, body);
  }
  // Sends a file as a browser's upload form does (multipart/form-data), with other fields.
  Page upload(const std::string& path, const std::map<std::string, std::string>& fields,
              const std::string& file_field, const std::string& file_name,
              const std::string& bytes) {
    return uploadFiles(path, fields, file_field, {{file_name, bytes}});
  }
  // The same with several files in one field (an <input type="file" multiple>).
  Page uploadFiles(const std::string& path, const std::map<std::string, std::string>& fields,
                   const std::string& file_field,
                   const std::vector<std::pair<std::string, std::string>>& files) {
    const std::string boundary = "----consentguard-test-boundary";
    std::string body;
    for (const auto& [name, value] : fields) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
              "\"\r\n\r\n" + value + "\r\n";
    }
    for (const auto& [file_name, bytes] : files) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file_field +
              "\"; filename=\"" + file_name +
              "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return send("POST", path, body, "multipart/form-data; boundary=" + boundary);
  }
  // The CSRF token in a page's forms.
  static std::string csrfIn(const std::string& html) {
    const std::string field = "name=\"csrf\" value=\"";
    const size_t start = html.find(field);
    if (start == std::string::npos) return "";
    const size_t from = start + field.size();
    return html.substr(from, html.find('"', from) - from);
  }
  Page signIn(const std::string& name, const std::string& password) {
    const Page form = get("/login");
    return post("/login",
                {{"username", name}, {"password", password}, {"csrf", csrfIn(form.body)}});
  }
  std::map<std::string, std::string> cookies;
  std::map<std::string, std::string> headers;  // sent with every request

 private:
  Page send(const std::string& method, const std::string& path, const std::string& body,
            const std::string& content_type = "application/x-www-form-urlencoded") {
    Page page;
    auto https = serviceSession(port_);
    Poco::Net::HTTPSClientSession& session = *https;
    session.setTimeout(Poco::Timespan(60, 0));
    HTTPRequest req(method, path, HTTPRequest::HTTP_1_1);
    std::string cookieHeader;
    for (const auto& [name, value] : cookies) {
      cookieHeader += (cookieHeader.empty() ? "" : "; ") + name + "=" + value;
    }
    if (!cookieHeader.empty()) req.set("Cookie", cookieHeader);
    for (const auto& [name, value] : headers) req.set(name, value);
    if (method == "POST") {
      req.setContentType(content_type);
      req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    std::istream& in = session.receiveResponse(res);
    Poco::StreamCopier::copyToString(in, page.body);
    page.status = res.getStatus();
    page.reason = res.getReason();
    page.location = res.get("Location", "");
    page.content_type = res.getContentType();
    page.content_range = res.get("Content-Range", "");
    page.strict_transport = res.get("Strict-Transport-Security", "");
    for (const auto& [name, value] : res) {
      if (Poco::icompare(name, "Set-Cookie") != 0) continue;
      page.set_cookies.push_back(value);
      const auto eq = value.find('='), semi = value.find(';');
      const std::string cookieName = value.substr(0, eq);
      const std::string cookieValue = value.substr(eq + 1, semi - eq - 1);
      if (cookieValue.empty()) {
        cookies.erase(cookieName);
      } else {
        cookies[cookieName] = cookieValue;
      }
    }
    return page;
  }
  int port_;
};

// The service running in its own process with the enrolled register, four accounts (sam.slt,
// olive.office, dee.dsl, ada.admin, all with kPassword) and a website API key. A test may
// change the register before the service starts by overriding prepareRegister.
class ReviewServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CG_REQUIRE_SHARED_TESTDATA();
    dir_ = scratchDir(std::string("web-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    data_ = dir_ / "data";
    fs::create_directories(data_);
    installEnrolledRegister(data_ / "consentguard.db");
    {
      auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
      ASSERT_TRUE(db.ok());
      service::Accounts accounts(**db);
      ASSERT_TRUE(accounts.create("sam.slt", service::Role::kSlt, kPassword, "test").ok());
      ASSERT_TRUE(accounts.create("olive.office", service::Role::kOffice, kPassword, "test").ok());
      ASSERT_TRUE(accounts.create("dee.dsl", service::Role::kDsl, kPassword, "test").ok());
      ASSERT_TRUE(accounts.create("ada.admin", service::Role::kAdmin, kPassword, "test").ok());
      key_ = *service::createApiKey(**db, "cms", {"website"});
      prepareRegister(**db);
    }
    const fs::path config = dir_ / "consentguard.properties";
    std::ofstream(config) << configText();
    port_ = freePort();
    server_ = std::make_unique<ServerProcess>(config, data_, dir_ / "serve.log", port_);
    ASSERT_TRUE(trustServiceCertificate(data_)) << "the service made no certificate";
    for (int i = 0; i < 600; ++i) {
      try {
        if (Browser(port_).get("/login").status == 200) break;
      } catch (const Poco::Exception&) {
      }
      std::this_thread::sleep_for(100ms);
    }
  }

  virtual void prepareRegister(reg::Database&) {}
  virtual std::string configText() {
    return "policy.device_check = false\nfolders.scan_seconds = 0.2\n";
  }

  // Submits a photo for a channel and waits until it is checked; returns its id.
  std::string submitAndWait(const std::vector<std::uint8_t>& bytes, const std::string& name,
                            const std::string& channel = "website") {
    auto q = queue::JobQueue::open(data_ / "consentguard.db", data_ / "store");
    EXPECT_TRUE(q.ok());
    auto job = (*q)->submit(bytes, {channel, "", "", name, "api", "key:cms"});
    EXPECT_TRUE(job.ok());
    waitUntilChecked(job->id);
    return job->id;
  }

  void waitUntilChecked(const std::string& id) {
    for (int i = 0; i < 1200; ++i) {
      auto now = jobOf(id);
      if (now && now->state == queue::JobState::kDone) return;
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "photo " << id << " was not checked in time";
  }

  // Penny has no biometric consent, so her face is unknown and the photo is held for SLT.
  std::string heldPhoto() {
    const std::string id = submitAndWait(*image::readFileBytes(probePhoto("penny")), "penny.jpg");
    EXPECT_EQ(verdictOf(id), "review");
    return id;
  }

  std::optional<queue::Job> jobOf(const std::string& id) {
    auto q = queue::JobQueue::open(data_ / "consentguard.db", data_ / "store");
    auto job = (*q)->find(id);
    return job.ok() ? *job : std::nullopt;
  }

  std::string verdictOf(const std::string& id) {
    auto job = jobOf(id);
    return job ? job->verdict : "";
  }

  std::vector<std::string> auditActions() {
    auto db = reg::openRegisterDatabase(data_ / "consentguard.db");
    std::vector<std::string> actions;
    auto entries = audit::AuditLog(**db).entries();
    EXPECT_TRUE(entries.ok());
    if (!entries) return actions;
    for (const auto& e : *entries) actions.push_back(e.action);
    return actions;
  }

  fs::path dir_, data_;  // the service's data folder
  int port_ = 0;
  std::string key_;
  std::unique_ptr<ServerProcess> server_;
};

}  // namespace consentguard::testing
