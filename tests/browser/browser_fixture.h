// For the tests that drive the pages in a real browser (Debian's headless Chromium, with
// playwright-core from tests/browser/node_modules): where the scripts and Chromium are, a skip
// (or, under CI=true, a failure) when they are missing, and a fixture that talks to a running
// `consentguard serve` over HTTPS with an API key. Each test starts its own service.
#pragma once

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "check/check_fixture.h"
#include "service/server_process.h"
#include "support/https_client.h"

namespace consentguard::testing {

using namespace std::chrono_literals;

inline fs::path browserDir() { return fs::path(CG_SOURCE_DIR) / "tests" / "browser"; }
inline fs::path screenshotDir() { return fs::path(CG_BINARY_DIR) / "browser-screenshots"; }

inline std::string chromiumPath() {
  const char* path = std::getenv("CG_CHROMIUM");
  return path && *path ? path : "/usr/bin/chromium";
}

// What the browser tests need that is missing, in words; empty when all is there.
inline std::string missingBrowserPieces() {
  if (std::system("command -v node >/dev/null 2>&1") != 0) return "node is not installed";
  if (!fs::exists(chromiumPath())) {
    return chromiumPath() + " not found (apt-get install chromium; scripts/setup installs it)";
  }
  if (!fs::exists(browserDir() / "node_modules" / "playwright-core" / "package.json")) {
    return "tests/browser/node_modules/playwright-core not found (npm ci --prefix tests/browser; "
           "scripts/setup runs it)";
  }
  return "";
}

#define CG_REQUIRE_BROWSER()                                                                   \
  do {                                                                                         \
    const std::string missing = missingBrowserPieces();                                        \
    if (!missing.empty()) {                                                                    \
      if (runningInCi()) FAIL() << "CI=true but " << missing;                                  \
      GTEST_SKIP() << "SKIPPED: browser tests need Chromium and playwright-core: " << missing; \
    }                                                                                          \
  } while (0)

// Runs a shell command, echoing its output into the test's log line by line; returns the exit
// status.
inline int runEchoed(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> line{};
  while (fgets(line.data(), line.size(), pipe)) std::cout << line.data() << std::flush;
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string fileText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Files in `folder` whose name starts with `stem`.
inline std::vector<fs::path> filesStartingWith(const fs::path& folder, const std::string& stem) {
  std::vector<fs::path> found;
  if (!fs::is_directory(folder)) return found;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().filename().string().rfind(stem, 0) == 0) found.push_back(entry.path());
  }
  std::sort(found.begin(), found.end());
  return found;
}

class BrowserServiceTest : public ::testing::Test {
 protected:
  struct Reply {
    int status = 0;
    std::string body;
    Poco::JSON::Object::Ptr json() const {
      return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    }
  };

  Reply send(const std::string& method, const std::string& path, const std::string& body = "") {
    Reply reply;
    try {
      auto https = serviceSession(port_);
      Poco::Net::HTTPSClientSession& session = *https;
      session.setTimeout(Poco::Timespan(30, 0));
      Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPRequest::HTTP_1_1);
      if (!key_.empty()) request.set("Authorization", "Bearer " + key_);
      if (!body.empty()) request.setContentLength(static_cast<std::streamsize>(body.size()));
      session.sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      Poco::StreamCopier::copyToString(session.receiveResponse(response), reply.body);
      reply.status = response.getStatus();
    } catch (const Poco::Exception& e) {
      reply.body = e.displayText();
    }
    return reply;
  }

  // Submits a photo over the API and waits for its verdict; returns the job id.
  std::string submit(const fs::path& photo, const std::string& channel,
                     const std::string& fileName) {
    const Reply accepted = send(
        "POST", "/api/v1/photos?channel=" + channel + "&file_name=" + fileName, fileText(photo));
    EXPECT_EQ(accepted.status, 202) << accepted.body;
    if (accepted.status != 202) return "";
    const std::string id = accepted.json()->getValue<std::string>("id");
    Reply checked;
    for (int i = 0; i < 1200; ++i) {
      checked = send("GET", "/api/v1/photos/" + id);
      if (checked.status != 200 || checked.json()->getValue<std::string>("status") == "done") break;
      std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(checked.status, 200) << checked.body;
    std::cout << "[fixture] " << fileName << " on " << channel << ": " << checked.body << "\n";
    return id;
  }

  std::string verdictOf(const std::string& id) {
    const Reply reply = send("GET", "/api/v1/photos/" + id);
    return reply.status == 200 ? reply.json()->getValue<std::string>("verdict") : reply.body;
  }

  // Makes an account with `consentguard users create`, which reads the password from stdin.
  void createUser(const std::string& name, const std::string& role, const std::string& password) {
    const fs::path file = dir_ / (name + ".password");
    std::ofstream(file) << password << "\n";
    const ProgramRun run =
        runConsentguard("users create --db " + shellQuoted(data_ / "consentguard.db") + " --name " +
                        name + " --role " + role + " < " + shellQuoted(file));
    ASSERT_EQ(run.status, 0) << "consentguard users create: " << run.out;
  }

  // Waits up to a minute for a decision's file to appear.
  std::vector<fs::path> waitForFiles(const fs::path& folder, const std::string& stem) {
    std::vector<fs::path> files;
    for (int i = 0; i < 600 && (files = filesStartingWith(folder, stem)).empty(); ++i) {
      std::this_thread::sleep_for(100ms);
    }
    return files;
  }

  // A scratch folder with the enrolled test register in data/.
  void makeDataFolder(const std::string& name) {
    dir_ = scratchDir(name);
    data_ = dir_ / "data";
    fs::create_directories(data_);
    installEnrolledRegister(data_ / "consentguard.db");
  }

  // Makes an API key for `channels` (comma-separated) with `consentguard keys create`.
  void makeApiKey(const std::string& channels) {
    const ProgramRun key =
        runConsentguard("keys create --db " + shellQuoted(data_ / "consentguard.db") +
                        " --name browser-test --channels " + channels);
    ASSERT_EQ(key.status, 0) << key.out;
    key_ = key.out.substr(0, key.out.find_last_not_of(" \n") + 1);  // the key is the last line
    key_ = key_.substr(key_.find_last_of('\n') + 1);
  }

  // Starts `consentguard serve` with these settings and waits until it answers.
  std::unique_ptr<ServerProcess> startService(const std::string& settings) {
    const fs::path config = dir_ / "consentguard.properties";
    std::ofstream(config) << settings;
    port_ = freePort();
    auto server = std::make_unique<ServerProcess>(config, data_, dir_ / "serve.log", port_);
    EXPECT_TRUE(trustServiceCertificate(data_)) << "the service made no certificate";
    for (int i = 0; i < 600 && send("GET", "/api/v1/health").status != 200; ++i) {
      std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(send("GET", "/api/v1/health").status, 200) << fileText(dir_ / "serve.log");
    return server;
  }

  // Runs a script in tests/browser with these environment variables; its exit status.
  static int runScript(const std::string& script,
                       const std::vector<std::pair<const char*, std::string>>& env) {
    for (const auto& [name, value] : env) setenv(name, value.c_str(), 1);
    const int status = runEchoed("cd " + shellQuoted(browserDir()) + " && node " + script);
    for (const auto& [name, value] : env) unsetenv(name);
    return status;
  }

  fs::path dir_, data_;
  int port_ = 0;
  std::string key_;
};

}  // namespace consentguard::testing
