// `consentguard serve` in its own process, as the tests of the service run it: started with a
// configuration file and a data folder (and a port, for the API), its output in a log file,
// stopped with a signal of the test's choosing.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

namespace consentguard::testing {

class ServerProcess {
 public:
  ServerProcess(const std::filesystem::path& config, const std::filesystem::path& data,
                const std::filesystem::path& log, int port = 0);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Sends the signal and waits for the process; returns its exit status (-signal if killed).
  int kill(int signal);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// A TCP port on 127.0.0.1 that nothing listens on now.
int freePort();

}  // namespace consentguard::testing
