#include "register_access.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "consentguard/queue/job_queue.h"

namespace consentguard::cli {

std::string cliActor() {
  const char* user = std::getenv("USER");
  if (user == nullptr || *user == '\0') user = getlogin();
  if (user == nullptr || *user == '\0') return "cli";
  return std::string("cli:") + user;
}

void reopenHeldPhotos(const std::string& db, const std::vector<std::string>& people) {
  if (people.empty()) return;
  // The service's layout: store/ beside consentguard.db.
  auto queue = queue::JobQueue::open(db, std::filesystem::path(db).parent_path() / "store");
  if (!queue) {
    std::cerr << "detail: held photos could not be reopened: " << queue.error().detail << "\n";
    return;
  }
  int reopened = 0;
  for (const auto& person : people) {
    auto n = (*queue)->reopenHeldPhotosOf(person);
    if (n) reopened += *n;
  }
  if (reopened > 0) {
    std::cout << reopened << " held photo(s) showing this person will be checked again now.\n";
  }
}

}  // namespace consentguard::cli
