#include "photo_outcome.h"

#include <cctype>

#include "consentguard/policy/policy.h"
#include "consentguard/service/outcome_writer.h"

namespace consentguard::service {
namespace {

std::string personOf(const std::string& actor) { return actor.substr(actor.find(':') + 1); }

}  // namespace

std::string channelWords(const std::string& channel) {
  std::string words = channel;
  for (char& c : words) {
    if (c == '_' || c == '-') c = ' ';
  }
  if (!words.empty()) words[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(words[0])));
  return words;
}

PhotoOutcome describeOutcome(const queue::Job& job, bool taken_down) {
  PhotoOutcome out;
  if (job.state == queue::JobState::kQueued) {
    out.status = "Waiting to be checked";
    out.status_class = "status-waiting";
    out.next = "Nothing to do yet: it will be checked in a moment.";
    out.pending = true;
    return out;
  }
  if (job.state != queue::JobState::kDone) {
    out.status = "Being checked";
    out.status_class = "status-waiting";
    out.next = "Nothing to do yet: the result will be shown here.";
    out.pending = true;
    return out;
  }
  const bool video = isVideoJob(job);
  const std::string what = video ? "video" : "photo";
  const queue::Decision& decided = job.decision;
  if (job.verdict == "publish") {
    if (taken_down) {
      out.status = "Taken down";
      out.status_class = "status-refused";
      out.reasons = {"Someone in it may no longer appear on this channel (their consent changed, "
                     "or they are now on the no-photo list)."};
      out.next = "Remove it from the channel now if it is still there; the Takedowns page lists "
                 "it. Do not publish it again.";
      return out;
    }
    out.status = decided.decision == "redacted" ? "Published with faces covered"
                 : decided.decision.empty()     ? "Published"
                                                : "Published after a senior leader's decision";
    out.status_class = "status-published";
    out.next = "Download the cleaned copy and publish that one, not the file you sent: the "
               "cleaned copy has had its hidden details (such as where it was taken) removed.";
    out.downloadable = true;
    return out;
  }
  if (job.verdict == "review") {
    out.status = "Waiting for a senior leader";
    out.status_class = "status-held";
    out.reasons = recordedReasons(job);
    out.next = "A senior leader will decide on the held photos page. Do not publish it "
               "yourself; if they approve it, the cleaned copy can be downloaded here.";
    return out;
  }
  out.status = "Not published";
  out.status_class = "status-refused";
  if (decided.decision == "rejected") {
    out.reasons.push_back("A senior leader (" + personOf(decided.by) +
                          ") decided it must not be published. Their reason: " + decided.reason);
    for (const auto& r : recordedReasons(job)) out.reasons.push_back("It had been held because: " + r);
    out.next = "Do not publish this " + what +
               ". Speak to the senior leader named above if you need to know more.";
    return out;
  }
  out.reasons = recordedReasons(job);
  if (video) {
    out.next = "Do not publish this video. Follow the advice above: if someone in it must not "
               "appear, cut out the seconds they are seen, or ask the office to check the "
               "consent register; then submit it again.";
  } else if (blockedOnlyForFaces(job)) {
    out.next = "Do not publish this photo. " + policy::coveredCopySentence() +
               " Or choose another photo.";
  } else {
    out.next = "Do not publish this photo. Follow the advice above: choose another photo, or ask "
               "the office to check the consent register, then submit it again.";
  }
  return out;
}

}  // namespace consentguard::service
