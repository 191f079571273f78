// What became of a photo someone submitted, in words for the person who sent it ("My photos"):
// its state, the checks' reasons (the same words as the note beside it in the held or rejected
// folder, from the job's result) and what to do next. Plain values; safe from any thread.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "consentguard/queue/job_queue.h"

namespace consentguard::service {

struct PhotoOutcome {
  std::string status;        // "Waiting to be checked", "Published", "Not published", ...
  std::string status_class;  // status-waiting, status-published, status-held, status-refused
  std::vector<std::string> reasons;  // why it was held or refused; empty when published
  std::string next;                  // what the submitter should do now
  bool pending = false;              // still waiting to be checked, or being checked
  bool downloadable = false;         // published and not taken down: a cleaned copy to download
};

// `taken_down`: the photo has a takedown (queue::isTakenDown), so it is no longer published.
PhotoOutcome describeOutcome(const queue::Job& job, bool taken_down);

// What a thumbnail of the photo is made from: the cleaned copy once published (while it is still
// in the outbox), otherwise the original in the store.
std::filesystem::path thumbnailSource(const queue::Job& job);

// A channel's name in words: "social_media" -> "Social media".
std::string channelWords(const std::string& channel);

}  // namespace consentguard::service
