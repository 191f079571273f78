#include "service/server_process.h"

#include <Poco/Net/ServerSocket.h>

namespace consentguard::testing {

ServerProcess::ServerProcess(const std::filesystem::path& config, const std::filesystem::path& data,
                             const std::filesystem::path& log, int port) {
  const std::string program = (std::filesystem::path(CG_BINARY_DIR) / "consentguard").string();
  std::vector<std::string> args = {program,         "serve",  "--config",
                                   config.string(), "--data", data.string()};
  if (port != 0) {
    args.push_back("--port");
    args.push_back(std::to_string(port));
  }
  pid_ = fork();
  if (pid_ == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill(SIGKILL);
}

int ServerProcess::kill(int signal) {
  ::kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

int freePort() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  return socket.address().port();
}

}  // namespace consentguard::testing
