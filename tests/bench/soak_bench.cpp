// Load and soak of the running service on loopback (a benchmark: figures only, nothing
// asserts): API clients submitting photos and polling their status, and signed-in page
// sessions browsing the review queue, all at once for MINUTES while the workers check photos.
// Every loop is bounded by the clock. Prints the errors (any answer not the one expected, and
// any connection that failed), p50, p99 and max latency for the API and the pages, photos
// checked per minute, and the service's memory (resident and its peak, from /proc/PID/status)
// when it has started, after the first photo, each minute and at the end, with a summary.
// `consentguard_bench 1 --soak [MINUTES] [API_CLIENTS] [PAGE_SESSIONS]` (10, 200, 50);
// scripts/soak runs it.
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "check/check_fixture.h"
#include "consentguard/queue/job_queue.h"
#include "consentguard/register/register_store.h"
#include "consentguard/service/accounts.h"
#include "consentguard/service/api_keys.h"
#include "service/server_process.h"
#include "support/https_client.h"

namespace consentguard::bench {
namespace {

namespace cgt = consentguard::testing;
using Clock = std::chrono::steady_clock;

struct Answer {
  int status = 0;  // 0: the connection failed
  std::string body, cookie;
  double ms = 0;
};

Answer request(int port, const std::string& method, const std::string& path,
               const std::map<std::string, std::string>& headers, const std::string& body = "",
               const std::string& content_type = "") {
  Answer answer;
  const auto start = Clock::now();
  try {
    auto session = cgt::serviceSession(port);
    session->setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPRequest::HTTP_1_1);
    for (const auto& [name, value] : headers) req.set(name, value);
    if (!content_type.empty()) req.setContentType(content_type);
    if (method == "POST") req.setContentLength(static_cast<std::streamsize>(body.size()));
    session->sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    Poco::StreamCopier::copyToString(session->receiveResponse(res), answer.body);
    answer.status = res.getStatus();
    for (const auto& [name, value] : res) {
      if (name == "Set-Cookie" && value.rfind("cg_", 0) == 0) {
        answer.cookie += (answer.cookie.empty() ? "" : "; ") + value.substr(0, value.find(';'));
      }
    }
  } catch (const Poco::Exception&) {
    answer.status = 0;
  }
  answer.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return answer;
}

// The service's resident memory now (VmRSS) and the most it has held since it started (VmHWM).
struct Memory {
  long rss_kb = -1, peak_kb = -1;
};

Memory memoryOf(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  Memory memory;
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) memory.rss_kb = std::stol(line.substr(6));
    if (line.rfind("VmHWM:", 0) == 0) memory.peak_kb = std::stol(line.substr(6));
  }
  return memory;
}

std::string megabytes(long kb) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(0) << kb / 1024.0 << " MB";
  return out.str();
}

// One line as the soak goes, flushed so that a person watching sees it when it is measured.
void printMemory(const std::string& when, const Memory& memory) {
  std::cout << "  service memory " << when << ": " << megabytes(memory.rss_kb) << " resident"
            << " (the most so far " << megabytes(memory.peak_kb) << ")" << std::endl;
}

// Distinct photos (each a new job): 3,500 codings of the face crops, more than two workers
// check in ten minutes, so that the workers are busy throughout.
std::vector<std::string> soakPhotos() {
  std::vector<std::string> photos;
  for (const char* person : {"amy", "howard", "leonard", "penny", "sheldon", "raj", "bernadette"}) {
    for (int i = 1; i <= 5; ++i) {
      const cv::Mat crop = cv::imread(cgt::testdata(std::string("identities/") + person + "/" +
                                                    person + std::to_string(i) + ".png")
                                          .string());
      if (crop.empty()) continue;
      cv::Mat mirrored;
      cv::flip(crop, mirrored, 1);
      for (const cv::Mat* picture : {&crop, static_cast<const cv::Mat*>(&mirrored)}) {
        for (int quality = 50; quality < 100; ++quality) {
          std::vector<uchar> jpeg;
          cv::imencode(".jpg", *picture, jpeg, {cv::IMWRITE_JPEG_QUALITY, quality});
          photos.emplace_back(jpeg.begin(), jpeg.end());
        }
      }
    }
  }
  return photos;
}

class Recorder {
 public:
  void add(bool ok, double ms, const std::string& what) {
    std::lock_guard lock(mutex_);
    latencies_.push_back(ms);
    if (!ok) ++errors_[what];
  }
  void print(const std::string& name) {
    std::lock_guard lock(mutex_);
    std::sort(latencies_.begin(), latencies_.end());
    const auto at = [&](double q) {
      return latencies_.empty() ? 0.0
                                : latencies_[static_cast<size_t>(q * (latencies_.size() - 1))];
    };
    long errors = 0;
    for (const auto& [what, n] : errors_) errors += n;
    std::cout << std::fixed << std::setprecision(1) << "  " << name << ": " << latencies_.size()
              << " requests, " << errors << " errors; p50 " << at(0.5) << " ms, p99 " << at(0.99)
              << " ms, max " << (latencies_.empty() ? 0.0 : latencies_.back()) << " ms\n";
    for (const auto& [what, n] : errors_) std::cout << "    " << n << " x " << what << "\n";
  }

 private:
  std::mutex mutex_;
  std::vector<double> latencies_;
  std::map<std::string, long> errors_;
};

}  // namespace

void benchSoak(double minutes, int api_clients, int page_sessions) {
  const auto dir = cgt::scratchDir("bench-soak");
  const auto data = dir / "data";
  std::filesystem::create_directories(data);
  cgt::installEnrolledRegister(data / "consentguard.db");
  std::string key;
  {
    auto db = reg::openRegisterDatabase(data / "consentguard.db");
    key = *service::createApiKey(**db, "soak", {"website"});
    service::Accounts accounts(**db);
    (void)accounts.create("soak.slt", service::Role::kSlt, "soak test password 1", "bench");
  }
  std::ofstream(dir / "cg.properties") << "policy.device_check = false\nservice.workers = 2\n";
  const int port = cgt::freePort();
  cgt::ServerProcess server(dir / "cg.properties", data, dir / "serve.log", port);
  if (!cgt::trustServiceCertificate(data)) {
    std::cerr << "the service made no certificate\n";
    return;
  }
  const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + key}};
  while (request(port, "GET", "/api/v1/health", auth).status != 200) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  // The workers load their models before the service answers: this is the models and the
  // service's own start, before any photo.
  const Memory started = memoryOf(server.pid());
  std::cout << "Soak: " << minutes << " min, " << api_clients << " API clients and "
            << page_sessions << " page sessions over HTTPS on loopback, 2 workers" << std::endl;
  printMemory("once started, before any photo", started);
  const auto photos = soakPhotos();
  // Warm up: the workers have loaded their models once a first photo is checked.
  {
    const Answer first =
        request(port, "POST", "/api/v1/photos?channel=website", auth, photos.back(), "image/jpeg");
    const std::string id = first.body.substr(first.body.find("\"id\":\"") + 6, 32);
    for (int i = 0; i < 600; ++i) {
      if (request(port, "GET", "/api/v1/photos/" + id, auth).body.find("\"status\":\"done\"") !=
          std::string::npos) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  const Memory memoryStart = memoryOf(server.pid());
  printMemory("at the start, after the first photo", memoryStart);
  const auto deadline = Clock::now() + std::chrono::duration<double, std::ratio<60>>(minutes);
  std::atomic<size_t> nextPhoto{0};
  Recorder api, pages;

  std::vector<std::thread> threads;
  // The service's memory each minute: whether it levels off (caches, allocator arenas) or keeps
  // climbing (a leak).
  std::vector<Memory> memoryByMinute;
  threads.emplace_back([&] {
    auto next = Clock::now() + std::chrono::minutes(1);
    while (Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      if (Clock::now() < next) continue;
      memoryByMinute.push_back(memoryOf(server.pid()));
      printMemory("after " + std::to_string(memoryByMinute.size()) + " min",
                  memoryByMinute.back());
      next += std::chrono::minutes(1);
    }
  });
  for (int c = 0; c < api_clients; ++c) {
    threads.emplace_back([&, c] {
      std::mt19937 random(static_cast<unsigned>(c));
      std::vector<std::string> mine;
      while (Clock::now() < deadline) {
        // One submission in ten requests; the rest ask about this client's photos.
        if (mine.empty() || random() % 10 == 0) {
          const std::string& photo = photos[nextPhoto++ % photos.size()];
          const Answer a =
              request(port, "POST", "/api/v1/photos?channel=website", auth, photo, "image/jpeg");
          api.add(a.status == 202, a.ms, "POST /photos answered " + std::to_string(a.status));
          if (a.status == 202) {
            try {
              mine.push_back(Poco::JSON::Parser()
                                 .parse(a.body)
                                 .extract<Poco::JSON::Object::Ptr>()
                                 ->getValue<std::string>("id"));
            } catch (const Poco::Exception&) {
              api.add(false, 0, "POST /photos answer not JSON");
            }
          }
        } else {
          const Answer a =
              request(port, "GET", "/api/v1/photos/" + mine[random() % mine.size()], auth);
          api.add(a.status == 200, a.ms, "GET /photos/{id} answered " + std::to_string(a.status));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500 + random() % 1000));
      }
    });
  }
  for (int s = 0; s < page_sessions; ++s) {
    threads.emplace_back([&, s] {
      std::mt19937 random(static_cast<unsigned>(1000 + s));
      // Sign in as a browser does: the form's own token first; again whenever signed out.
      std::map<std::string, std::string> cookie;
      const auto signIn = [&] {
        const Answer form = request(port, "GET", "/login", {});
        pages.add(form.status == 200, form.ms,
                  "GET /login answered " + std::to_string(form.status));
        const std::string field = "name=\"csrf\" value=\"";
        const size_t at = form.body.find(field);
        const std::string csrf =
            at == std::string::npos
                ? ""
                : form.body.substr(at + field.size(),
                                   form.body.find('"', at + field.size()) - at - field.size());
        const Answer in = request(port, "POST", "/login", {{"Cookie", form.cookie}},
                                  "username=soak.slt&password=soak+test+password+1&csrf=" + csrf,
                                  "application/x-www-form-urlencoded");
        pages.add(in.status == 303, in.ms, "sign-in answered " + std::to_string(in.status));
        cookie = {{"Cookie", in.cookie}};
      };
      signIn();
      while (Clock::now() < deadline) {
        const Answer list = request(port, "GET", "/review", cookie);
        if (list.status == 303) signIn();
        pages.add(list.status == 200, list.ms,
                  "GET /review answered " + std::to_string(list.status));
        // Open one of the held photos listed, and its picture.
        const size_t link = list.body.find("href=\"/review/", random() % (list.body.size() + 1));
        if (link != std::string::npos) {
          const std::string path = list.body.substr(link + 6, 8 + 32);
          const Answer photo = request(port, "GET", path, cookie);
          pages.add(photo.status == 200, photo.ms,
                    "GET /review/{id} answered " + std::to_string(photo.status));
          const Answer picture = request(port, "GET", path + "/image", cookie);
          pages.add(picture.status == 200, picture.ms,
                    "GET /review/{id}/image answered " + std::to_string(picture.status));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1000 + random() % 2000));
      }
    });
  }
  for (auto& t : threads) t.join();
  const Memory memoryEnd = memoryOf(server.pid());
  printMemory("at the end", memoryEnd);
  auto queue = queue::JobQueue::open(data / "consentguard.db", data / "store");
  const auto countOf = [&](queue::JobState state) {
    if (!queue) return -1;
    auto n = queue.value()->count(state);
    return n ? *n : -1;
  };
  const int done = countOf(queue::JobState::kDone), waiting = countOf(queue::JobState::kQueued);
  server.kill(SIGTERM);
  std::cout << "Soak results: " << minutes << " min, " << api_clients << " API clients, "
            << page_sessions << " page sessions, 2 workers\n";
  api.print("API (POST /photos, GET /photos/{id})");
  pages.print("pages (sign-in, /review, a held photo and its picture)");
  std::cout << std::fixed << std::setprecision(1) << "  photos checked: " << done << " ("
            << done / minutes << " per minute); still queued at the end: " << waiting << "\n";
  // Growth over the second half tells a leak (still climbing) from caches filling (level).
  const Memory& halfway =
      memoryByMinute.empty() ? memoryStart : memoryByMinute[(memoryByMinute.size() - 1) / 2];
  std::cout << "  service memory: " << megabytes(started.rss_kb) << " once started, "
            << megabytes(memoryStart.rss_kb) << " after the first photo, "
            << megabytes(memoryEnd.rss_kb) << " at the end; the most it held "
            << megabytes(memoryEnd.peak_kb) << "\n"
            << "  growth: " << megabytes(memoryEnd.rss_kb - memoryStart.rss_kb)
            << " from the start to the end, " << megabytes(memoryEnd.rss_kb - halfway.rss_kb)
            << " in the second half\n"
            << "  each minute (MB resident):";
  for (const Memory& m : memoryByMinute) std::cout << " " << m.rss_kb / 1024;
  std::cout << "\n";
}

}  // namespace consentguard::bench
