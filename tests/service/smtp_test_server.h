// A small SMTP server on loopback for the email tests: EHLO, STARTTLS (with the certificate it
// is given), AUTH LOGIN, MAIL, RCPT, DATA, QUIT. It keeps every message it receives, with
// whether the connection was encrypted and signed in when it came. One connection at a time,
// on a thread of its own.
#pragma once

#include <Poco/Base64Decoder.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace consentguard::testing {

struct ReceivedMail {
  std::string to;
  std::string data;  // headers and body as sent (quoted-printable)
  bool encrypted = false;
  std::string user;  // who signed in, if anyone
  // The body with quoted-printable undone.
  std::string text() const {
    std::string out;
    for (size_t i = 0; i < data.size(); ++i) {
      if (data[i] == '=' && i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n') {
        i += 2;
      } else if (data[i] == '=' && i + 2 < data.size() && std::isxdigit(data[i + 1]) &&
                 std::isxdigit(data[i + 2])) {
        out += static_cast<char>(std::stoi(data.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += data[i];
      }
    }
    return out;
  }
};

class SmtpTestServer {
 public:
  SmtpTestServer(const std::filesystem::path& certificate, const std::filesystem::path& key)
      : server_(Poco::Net::SocketAddress("127.0.0.1", 0)),
        context_(new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, key.string(),
                                        certificate.string(), "",
                                        Poco::Net::Context::VERIFY_NONE)),
        thread_([this] { run(); }) {}
  ~SmtpTestServer() {
    stopping_ = true;
    thread_.join();
  }
  int port() const { return server_.address().port(); }

  std::vector<ReceivedMail> mail() {
    std::lock_guard lock(mutex_);
    return mail_;
  }
  // Waits up to `seconds` for a message to `to` whose text contains `words`.
  std::optional<ReceivedMail> waitFor(const std::string& to, const std::string& words,
                                      int seconds = 120) {
    for (int i = 0; i < seconds * 10; ++i) {
      for (const auto& m : mail()) {
        if (m.to == to && m.text().find(words) != std::string::npos) return m;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return std::nullopt;
  }

 private:
  void run() {
    while (!stopping_) {
      try {
        if (!server_.poll(Poco::Timespan(0, 100000), Poco::Net::Socket::SELECT_READ)) continue;
        Poco::Net::StreamSocket client = server_.acceptConnection();
        client.setReceiveTimeout(Poco::Timespan(10, 0));
        converse(client);
      } catch (const Poco::Exception&) {
        // a client that went away; wait for the next
      }
    }
  }

  static std::string decode64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::string out;
    std::getline(decoder, out, '\0');
    return out;
  }

  std::string readLine(Poco::Net::StreamSocket& socket) {
    for (;;) {
      const auto end = pending_.find("\r\n");
      if (end != std::string::npos) {
        std::string line = pending_.substr(0, end);
        pending_.erase(0, end + 2);
        return line;
      }
      char buffer[4096];
      const int n = socket.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) throw Poco::Exception("closed");
      pending_.append(buffer, static_cast<size_t>(n));
    }
  }

  static void say(Poco::Net::StreamSocket& socket, const std::string& text) {
    socket.sendBytes(text.data(), static_cast<int>(text.size()));
  }

  void converse(Poco::Net::StreamSocket socket) {
    pending_.clear();
    bool encrypted = false;
    std::string user, to;
    say(socket, "220 localhost test ESMTP\r\n");
    for (;;) {
      const std::string line = readLine(socket);
      const std::string verb = line.substr(0, line.find(' '));
      if (verb == "EHLO" || verb == "HELO") {
        say(socket, std::string("250-localhost\r\n") + (encrypted ? "" : "250-STARTTLS\r\n") +
                        "250-AUTH LOGIN\r\n250 OK\r\n");
      } else if (verb == "STARTTLS") {
        say(socket, "220 Ready to start TLS\r\n");
        socket = Poco::Net::SecureStreamSocket::attach(socket, context_);
        pending_.clear();
        encrypted = true;
      } else if (line == "AUTH LOGIN") {
        say(socket, "334 VXNlcm5hbWU6\r\n");
        const std::string name = decode64(readLine(socket));
        say(socket, "334 UGFzc3dvcmQ6\r\n");
        const std::string password = decode64(readLine(socket));
        if (password == "mail-password") {
          user = name;
          say(socket, "235 Authenticated\r\n");
        } else {
          say(socket, "535 Wrong password\r\n");
        }
      } else if (verb == "MAIL") {
        say(socket, "250 OK\r\n");
      } else if (verb == "RCPT") {
        const auto open = line.find('<'), close = line.find('>');
        to = line.substr(open + 1, close - open - 1);
        say(socket, "250 OK\r\n");
      } else if (verb == "DATA") {
        say(socket, "354 Go ahead\r\n");
        std::string data;
        for (std::string l = readLine(socket); l != "."; l = readLine(socket)) data += l + "\r\n";
        {
          std::lock_guard lock(mutex_);
          mail_.push_back({to, data, encrypted, user});
        }
        say(socket, "250 Queued\r\n");
      } else if (verb == "QUIT") {
        say(socket, "221 Bye\r\n");
        return;
      } else {
        say(socket, "250 OK\r\n");
      }
    }
  }

  Poco::Net::ServerSocket server_;
  Poco::Net::Context::Ptr context_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<ReceivedMail> mail_;
  std::string pending_;
  std::thread thread_;  // last: it starts once the rest is made
};

}  // namespace consentguard::testing
