#include "consentguard/service/sign_in_throttle.h"

namespace consentguard::service {

void SignInThrottle::forgetOld(std::deque<Clock::time_point>& failures, Clock::time_point now) {
  // While an address is refused it stays refused until kWindow after its last failure.
  if (!failures.empty() && now - failures.back() >= kWindow) failures.clear();
  while (static_cast<int>(failures.size()) > kMaxFailures) failures.pop_front();
}

bool SignInThrottle::allowed(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto it = failures_.find(address);
  if (it == failures_.end()) return true;
  forgetOld(it->second, now_());
  if (it->second.empty()) {
    failures_.erase(it);
    return true;
  }
  return static_cast<int>(it->second.size()) < kMaxFailures;
}

void SignInThrottle::failed(const std::string& address) {
  std::lock_guard lock(mutex_);
  const auto now = now_();
  auto& failures = failures_[address];
  forgetOld(failures, now);
  failures.push_back(now);
  // An address table that grows without end is itself an attack: old entries go first.
  if (failures_.size() > 100000) {
    for (auto it = failures_.begin(); it != failures_.end();) {
      forgetOld(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
  }
}

void SignInThrottle::succeeded(const std::string& address) {
  std::lock_guard lock(mutex_);
  failures_.erase(address);
}

SignInThrottle& SignInThrottle::forPages() {
  static SignInThrottle throttle;
  return throttle;
}

}  // namespace consentguard::service
