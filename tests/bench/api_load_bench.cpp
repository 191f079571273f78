// The service under load, over its REST API: CLIENTS threads submit photos at once (the 40
// identity crops and 8 re-encoded group photos, so that every submission is a new job) while
// another client keeps asking GET /photos/{id}. Prints photos checked per minute and the p50/p99
// latency of GET /photos/{id} while the workers are busy: the API must stay responsive.
// Figures only; nothing asserts. `consentguard_bench N --api-load [CLIENTS]`.
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <opencv2/imgcodecs.hpp>
#include <thread>

#include "bench_timing.h"
#include "check/check_fixture.h"
#include "consentguard/register/register_store.h"
#include "consentguard/service/api_keys.h"
#include "service/server_process.h"
#include "support/https_client.h"

namespace consentguard::bench {
namespace {

namespace cgt = consentguard::testing;
using Clock = std::chrono::steady_clock;

struct Http {
  int status = 0;
  std::string body;
};

Http call(int port, const std::string& method, const std::string& path, const std::string& key,
          const std::string& body = "") {
  Http reply;
  try {
    auto https = cgt::serviceSession(port);
    Poco::Net::HTTPSClientSession& session = *https;
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPRequest::HTTP_1_1);
    request.set("Authorization", "Bearer " + key);
    if (!body.empty()) request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), reply.body);
    reply.status = response.getStatus();
  } catch (const Poco::Exception&) {
  }
  return reply;
}

std::vector<std::string> benchPhotos() {
  std::vector<std::string> photos;
  for (const char* person :
       {"amy", "bernadette", "howard", "leonard", "penny", "raj", "sheldon", "stuart"}) {
    for (int i = 1; i <= 5; ++i) {
      std::ifstream in(cgt::testdata(std::string("identities/") + person + "/" + person +
                                     std::to_string(i) + ".png"),
                       std::ios::binary);
      photos.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  const cv::Mat group = cv::imread(cgt::testdata("groups/bbt1.jpg").string());
  for (int quality = 85; quality < 93; ++quality) {
    std::vector<std::uint8_t> jpeg;
    cv::imencode(".jpg", group, jpeg, {cv::IMWRITE_JPEG_QUALITY, quality});
    photos.emplace_back(jpeg.begin(), jpeg.end());
  }
  return photos;
}

}  // namespace

std::vector<std::vector<std::uint8_t>> realPhotoJpegs();  // real_photos_bench.cpp

namespace {

void runLoad(const std::vector<std::string>& photos, int clients, const std::string& what) {
  const auto dir = cgt::scratchDir("bench-api");
  const auto data = dir / "data";
  std::filesystem::create_directories(data);
  cgt::installEnrolledRegister(data / "consentguard.db");
  std::string key;
  {
    auto db = reg::openRegisterDatabase(data / "consentguard.db");
    key = *service::createApiKey(**db, "bench", {"website"});
  }
  std::ofstream(dir / "cg.properties") << "policy.device_check = false\nservice.workers = 2\n";
  const int port = cgt::freePort();
  cgt::ServerProcess server(dir / "cg.properties", data, dir / "serve.log", port);
  if (!cgt::trustServiceCertificate(data)) {
    std::cerr << "the service made no certificate\n";
    return;
  }
  while (call(port, "GET", "/api/v1/health", key).status != 200) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  std::vector<std::string> ids(photos.size());
  std::atomic<size_t> next{0};
  const auto start = Clock::now();
  std::vector<std::thread> submitters;
  for (int c = 0; c < clients; ++c) {
    submitters.emplace_back([&] {
      for (size_t i = next++; i < photos.size(); i = next++) {
        const Http reply = call(port, "POST", "/api/v1/photos?channel=website", key, photos[i]);
        Poco::JSON::Parser parser;
        if (reply.status == 202) {
          ids[i] = parser.parse(reply.body)
                       .extract<Poco::JSON::Object::Ptr>()
                       ->getValue<std::string>("id");
        }
      }
    });
  }
  for (auto& t : submitters) t.join();
  const double submitSeconds = std::chrono::duration<double>(Clock::now() - start).count();

  // Ask about every photo in turn, timing each answer, until all are checked.
  std::vector<double> latencies;
  size_t done = 0;
  while (done < ids.size()) {
    done = 0;
    for (const auto& id : ids) {
      const auto asked = Clock::now();
      const Http reply = call(port, "GET", "/api/v1/photos/" + id, key);
      latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - asked).count());
      if (reply.body.find("\"status\":\"done\"") != std::string::npos) ++done;
      // About 100 requests a second: a busy CMS, without taking the workers' CPU.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  server.kill(SIGTERM);
  std::sort(latencies.begin(), latencies.end());
  const auto at = [&](double q) {
    return latencies[static_cast<size_t>(q * (latencies.size() - 1))];
  };
  std::cout << "API under load: " << photos.size() << " photos (" << what << ") from "
            << clients << " clients, 2 workers\n"
            << std::fixed << std::setprecision(1) << "  all submitted (202) in     "
            << submitSeconds << " s\n  all checked in             " << seconds
            << " s: " << photos.size() * 60.0 / seconds
            << " photos per minute\n  GET /photos/{id} while busy: p50 " << at(0.5) << " ms, p99 "
            << at(0.99) << " ms, max " << latencies.back() << " ms (" << latencies.size()
            << " requests)\n";
}

}  // namespace

void benchApiLoad(int clients) { runLoad(benchPhotos(), clients, "40 face crops, 8 group photos"); }

// `count` real photos through the service with 2 workers: the real photos of
// real_photos_bench.cpp, each encoded again at another JPEG quality, so that every one is a new
// job (a sports day's photos are all different).
void benchThroughput(int count) {
  const auto real = realPhotoJpegs();
  std::vector<std::string> photos;
  for (int n = 0; photos.size() < static_cast<size_t>(count); ++n) {
    const auto& jpeg = real[static_cast<size_t>(n) % real.size()];
    const cv::Mat image = cv::imdecode(jpeg, cv::IMREAD_COLOR);
    std::vector<std::uint8_t> again;
    cv::imencode(".jpg", image, again,
                 {cv::IMWRITE_JPEG_QUALITY, 95 - static_cast<int>(n / real.size()) % 20});
    photos.emplace_back(again.begin(), again.end());
  }
  runLoad(photos, 8, "the real photos, each a new job");
}

}  // namespace consentguard::bench
