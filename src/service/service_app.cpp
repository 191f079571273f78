#include "consentguard/service/service_app.h"

#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/PatternFormatter.h>
#include <malloc.h>
#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

#include "consentguard/common/local_time.h"
#include "consentguard/api/http_api.h"
#include "consentguard/register/register_store.h"
#include "consentguard/service/accounts.h"
#include "consentguard/service/first_run.h"
#include "consentguard/service/folder_intake.h"
#include "consentguard/service/https.h"
#include "consentguard/service/notifier.h"
#include "consentguard/service/outcome_writer.h"
#include "consentguard/service/photo_worker.h"

namespace consentguard::service {
namespace {

Poco::Logger& serviceLog() {
  Poco::AutoPtr<Poco::PatternFormatter> format(
      new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S %p %t"));
  Poco::AutoPtr<Poco::FormattingChannel> channel(
      new Poco::FormattingChannel(format, new Poco::ConsoleChannel));
  Poco::Logger& log = Poco::Logger::get("consentguard");
  log.setChannel(channel);
  return log;
}

// Jobs a crash interrupted: re-queue those being checked, complete those being written.
Status recover(const ServiceSettings& settings, Poco::Logger& log) {
  auto queue = queue::JobQueue::open(settings.folders.database(), settings.folders.store());
  if (!queue) return queue.error();
  auto finishing = (*queue)->recoverAfterRestart();
  if (!finishing) return finishing.error();
  for (const auto& job : *finishing) {
    if (Status s = completeOutcome(**queue, job, settings.policy.heic_jpeg_quality); !s) return s;
    log.information("job %s completed after a restart: %s -> %s", job.id, job.verdict,
                    job.output.string());
  }
  return okStatus();
}

// A new installation has nobody who can sign in to the pages: say how to make the first account.
// While there are no accounts: a one-time code for /setup, in the log for whoever installed it.
void offerFirstRunSetup(const ServiceSettings& settings, Poco::Logger& log) {
  auto db = reg::openRegisterDatabase(settings.folders.database());
  if (!db) return;
  auto code = issueSetupCode(**db);
  if (!code) {
    log.error("The set-up code could not be made: %s", code.error().detail);
    return;
  }
  if (!*code) return;
  log.warning(
      "Nobody can sign in yet. To make the first administrator, open https://%s:%d/setup and "
      "enter the set-up code %s (it works once; a restart makes a new one). Or on this server: "
      "consentguard users create --db %s --name NAME --role admin",
      settings.listen, settings.port, **code, settings.folders.database().string());
}

// The register's data key, before anything reads a template: made at the first start, and a
// missing or wrong key stops the service here, with the reason.
Status openDataKey(const ServiceSettings& settings, Poco::Logger& log) {
  const std::filesystem::path file = dataKeyFile(settings);
  std::error_code ec;
  const bool existed = std::filesystem::exists(file, ec);
  auto store = reg::RegisterStore::open(settings.folders.database(), file);
  if (!store) return store.error();
  if (!existed && std::filesystem::exists(file, ec)) {
    log.warning(
        "Made the data key %s, which encrypts the face templates and reference photos. Backups "
        "leave it out: keep a copy of it somewhere safe of its own, since without it the "
        "templates cannot be read.",
        file.string());
  }
  log.information("Face templates and reference photos are sealed with data key %s (%s).",
                  (*store)->dataKeyId(), file.string());
  return okStatus();
}

// Templates made by another face pipeline never permit a face: say whom to enrol again.
void warnAboutStaleTemplates(const ServiceSettings& settings, Poco::Logger& log) {
  auto store = reg::RegisterStore::open(settings.folders.database(), dataKeyFile(settings));
  if (!store) return;
  auto templates = (*store)->templates();
  if (!templates) return;
  const std::string current = faces::pipelineVersion(settings.engine.detector);
  std::set<std::string> people;
  for (const auto& t : *templates) {
    if (t.pipeline != current) people.insert(t.person_id);
  }
  if (people.empty()) return;
  log.warning(
      "%z people's face templates were made by an earlier version of the face engine, so their "
      "faces are sent to a senior leader instead of being recognised (a no-photo pupil is still "
      "blocked). Enrol them again from their reference photos: consentguard enrol --db %s "
      "--person ID PHOTO... (%s)",
      people.size(), settings.folders.database().string(), [&] {
        std::string ids;
        for (const auto& id : people) ids += (ids.empty() ? "" : ", ") + id;
        return ids;
      }());
}

// Runs the Notifier every notify.poll_seconds on a thread of its own, until stopped.
class NotifierThread {
 public:
  NotifierThread(const ServiceSettings& settings, Poco::Logger& log)
      : settings_(settings), log_(log), thread_([this] { run(); }) {}
  ~NotifierThread() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void run() {
    auto db = reg::openRegisterDatabase(settings_.folders.database());
    if (!db) {
      log_.error("Email is off: the database could not be opened (%s)", db.error().detail);
      return;
    }
    Notifier notifier(**db, settings_.notify, settings_.takedown_days);
    auto sender = makeSmtpSender(settings_.notify);
    std::string lastProblem;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      auto queued = notifier.queueNews();
      auto sent = queued ? notifier.sendWaiting(*sender) : Result<int>(queued.error());
      if (!sent) {
        const std::string problem = sent.error().message + " " + sent.error().detail;
        if (problem != lastProblem) {
          log_.error("Email could not be sent through %s:%d; it will be tried again. %s",
                     settings_.notify.smtp_host, settings_.notify.smtp_port, problem);
        }
        lastProblem = problem;
      } else {
        if (*sent > 0) log_.information("%d email message(s) sent", *sent);
        lastProblem.clear();
      }
      lock.lock();
      wake_.wait_for(
          lock, std::chrono::milliseconds(static_cast<int>(settings_.notify.poll_seconds * 1000)),
          [this] { return stopping_; });
    }
  }

  const ServiceSettings& settings_;
  Poco::Logger& log_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: it starts once the rest is made
};

// A stop request (SIGTERM, Ctrl-C) must reach waitForTerminationRequest() in the main thread,
// whenever it comes, even while the models load: taken by any other thread, its default action
// would end the process in the middle of a photo. The signals are blocked here, before this
// program makes a thread, so that the threads made later never take them; OpenBLAS starts its
// threads when it loads, before main, so a handler sends a signal that one of them takes on to
// the main thread, where it waits until waitForTerminationRequest() takes it.
pthread_t mainThread;

void passToMainThread(int signal) { pthread_kill(mainThread, signal); }

void routeStopSignalsToThisThread() {
  mainThread = pthread_self();
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  struct sigaction action {};
  action.sa_handler = passToMainThread;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGINT, SIGQUIT, SIGTERM}) {
    sigaddset(&stopSignals, signal);
    sigaction(signal, &action, nullptr);
  }
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
}

}  // namespace

int ServiceApp::main(const std::vector<std::string>&) {
  routeStopSignalsToThisThread();
  Poco::Logger& log = serviceLog();
  auto settings = loadServiceSettings(overrides_);
  if (!settings) {
    log.fatal("%s %s", settings.error().message, settings.error().detail);
    return EXIT_CONFIG;
  }
  // Before any thread (issue 23): glibc gives threads arenas of their own, up to 8 a core, and
  // with the trim threshold that tuneAllocatorForDlib sets each kept what its busiest moment
  // needed: under load the service held 14 of them, about 40 MB each and nearly all free. One
  // arena for each worker (main's included) checks as fast, in half the memory.
  if (mallopt(M_ARENA_MAX, std::max(2, settings->workers)) != 1) {
    log.warning("The memory allocator could not be limited; the service may use more memory.");
  }
  // Before any thread: the pages, messages and dates are in the school's time zone.
  if (Status s = useTimeZone(settings->time_zone); !s) {
    log.fatal("%s", s.error().message);
    return EXIT_CONFIG;
  }
  log.information("Times are shown in the %s time zone (service.time_zone).", settings->time_zone);
  if (Status s = settings->folders.create(settings->policy.channelNames()); !s) {
    log.fatal("%s %s", s.error().message, s.error().detail);
    return EXIT_CANTCREAT;
  }
  if (Status s = openDataKey(*settings, log); !s) {
    log.fatal("%s %s", s.error().message, s.error().detail);
    return EXIT_CONFIG;
  }
  if (Status s = recover(*settings, log); !s) {
    log.fatal("%s %s", s.error().message, s.error().detail);
    return EXIT_SOFTWARE;
  }
  // Before the workers start, so that nothing waits on the database while they write to it.
  offerFirstRunSetup(*settings, log);
  warnAboutStaleTemplates(*settings, log);
  std::vector<std::unique_ptr<PhotoWorker>> workers;
  for (int i = 1; i <= settings->workers; ++i) {
    auto worker = PhotoWorker::create(*settings, i, log);
    if (!worker) {
      log.fatal("%s %s", worker.error().message, worker.error().detail);
      return EXIT_CONFIG;
    }
    workers.push_back(std::move(worker.value()));
  }
  // With the models loaded, a worker may keep about a photo's worth of freed memory (about
  // 64 MB) before it gives it back (photo_worker.h).
  const long memoryLimitKb = residentMemoryKb() + 64 * 1024 * settings->workers;
  for (auto& worker : workers) worker->setMemoryLimit(memoryLimitKb);
  auto intakeQueue = queue::JobQueue::open(settings->folders.database(), settings->folders.store());
  if (!intakeQueue) {
    log.fatal("%s %s", intakeQueue.error().message, intakeQueue.error().detail);
    return EXIT_SOFTWARE;
  }
  FolderIntake intake(*settings, std::move(intakeQueue.value()), log);
  Poco::Net::initializeSSL();
  std::unique_ptr<NotifierThread> notifier;
  if (settings->notify.enabled()) {
    notifier = std::make_unique<NotifierThread>(*settings, log);
    log.information("Email is on, through %s:%d (%s)", settings->notify.smtp_host,
                    settings->notify.smtp_port, settings->notify.tls);
  }
  auto tls = prepareTls(*settings);
  if (!tls) {
    log.fatal("%s %s", tls.error().message, tls.error().detail);
    return EXIT_CONFIG;
  }
  if (tls->made_here) {
    log.information(
        "%s: the secure connection uses a certificate Consent Guard made itself (%s). Its "
        "SHA-256 fingerprint is %s. Before signing in from a browser, check it shows the same "
        "fingerprint, or install the certificate in the school's browsers and the CMS; or give "
        "the school's own certificate in service.tls.certificate and service.tls.key.",
        std::string(tls->made_now ? "First start" : "Reminder"), tls->certificate.string(),
        tls->fingerprint);
  } else {
    log.information("The secure connection uses %s (SHA-256 fingerprint %s)",
                    tls->certificate.string(), tls->fingerprint);
  }
  std::unique_ptr<Poco::Net::HTTPServer> api, redirect;
  try {
    // A burst of clients (the soak: 250 connecting at once) waits its turn rather than being
    // refused: the listen backlog and the queue of accepted connections are long (each waiting
    // connection is only a socket); max_requests are answered at once.
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress(settings->listen, settings->port),
                                         1024, tls->context);
    Poco::AutoPtr<Poco::Net::HTTPServerParams> params(new Poco::Net::HTTPServerParams);
    params->setMaxThreads(settings->max_requests);
    params->setMaxQueued(1024);
    api = std::make_unique<Poco::Net::HTTPServer>(new ApiHandlerFactory(*settings), socket, params);
    if (settings->http_redirect_port != 0) {
      Poco::Net::ServerSocket plain(
          Poco::Net::SocketAddress(settings->listen, settings->http_redirect_port));
      Poco::AutoPtr<Poco::Net::HTTPServerParams> few(new Poco::Net::HTTPServerParams);
      few->setMaxThreads(2);
      redirect = std::make_unique<Poco::Net::HTTPServer>(new RedirectToHttpsFactory(settings->port),
                                                         plain, few);
    }
  } catch (const Poco::Exception& e) {
    log.fatal(
        "The service cannot listen on %s:%d (or the redirect port %d) (%s). Is another program "
        "using the port? Set service.port, service.http_redirect_port or --port.",
        settings->listen, settings->port, settings->http_redirect_port, e.displayText());
    return EXIT_UNAVAILABLE;
  }
  for (auto& worker : workers) worker->start();
  intake.start();
  api->start();
  if (redirect) redirect->start();
  log.information(
      "Consent Guard is running: the pages on https://%s:%d/ and the API under /api/v1/, data in "
      "%s, %d workers, channels %s",
      settings->listen, settings->port, settings->folders.root.string(), settings->workers, [&] {
        std::string names;
        for (const auto& c : settings->policy.channelNames()) {
          names += (names.empty() ? "" : ", ") + c;
        }
        return names;
      }());
  waitForTerminationRequest();
  log.information("Stopping: no new photos are taken; the photos in hand are finished");
  if (redirect) redirect->stopAll(false);
  api->stopAll(false);
  intake.stop();
  for (auto& worker : workers) worker->stop();
  notifier.reset();
  Poco::Net::uninitializeSSL();
  log.information("Stopped");
  return EXIT_OK;
}

}  // namespace consentguard::service
