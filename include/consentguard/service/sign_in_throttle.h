// Sign-in throttling per network address, beside the lock of each account (accounts.h): after
// kMaxFailures failed sign-ins from one address within kWindow, that address may not try again
// until kWindow has passed since its last failure. Its attempts are refused before any
// password is checked, so they count against no account: one machine can lock at most
// kMaxFailures / Accounts::kMaxFailedLogins accounts at a time, never every account.
// Behind a reverse proxy every sign-in comes from the proxy's address: the README says so.
// Kept in memory (a restart forgets it); thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace consentguard::service {

class SignInThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kMaxFailures = 10;
  static constexpr std::chrono::minutes kWindow{15};

  explicit SignInThrottle(std::function<Clock::time_point()> now = Clock::now)
      : now_(std::move(now)) {}

  // Whether `address` may try to sign in now.
  bool allowed(const std::string& address);
  void failed(const std::string& address);
  void succeeded(const std::string& address);  // forgets the address's failures

  // The one the pages use.
  static SignInThrottle& forPages();

 private:
  void forgetOld(std::deque<Clock::time_point>& failures, Clock::time_point now);

  std::function<Clock::time_point()> now_;
  std::mutex mutex_;
  std::map<std::string, std::deque<Clock::time_point>> failures_;
};

}  // namespace consentguard::service
