#include "consentguard/policy/policy.h"

#include <algorithm>

namespace consentguard::policy {
namespace {

std::string plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

FaceOutcome judgeFace(const FaceFacts& face) {
  switch (face.identity) {
    case Identity::kUnknown:
      return {"unknown", true};
    case Identity::kAmbiguous:
      return {"ambiguous", true};
    case Identity::kTooSmall:
      return {"too_small", true};
    case Identity::kPerson:
      break;
  }
  // Staff with their own consent are not children; without it they block like anyone else.
  if (face.no_photo) return {"no_photo", !face.is_staff};
  if (!face.consent_current) return {"no_consent", !face.is_staff};
  return {face.is_staff ? "staff" : "consented", !face.is_staff};
}

std::vector<std::string> peopleWith(const PhotoFacts& facts, const Decision& d,
                                    const std::string& status) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < d.faces.size(); ++i) {
    if (d.faces[i].status == status) ids.push_back(facts.faces[i].person_id);
  }
  return ids;
}

void faceReasons(const PolicyConfig& config, const PhotoFacts& facts, Decision& d) {
  const ChannelPolicy* channel = config.channel(facts.channel);
  size_t children = 0, unidentified = 0;
  for (const auto& face : facts.faces) {
    d.faces.push_back(judgeFace(face));
    if (d.faces.back().counts_as_child) ++children;
    const std::string& s = d.faces.back().status;
    if (s == "unknown" || s == "ambiguous" || s == "too_small") ++unidentified;
  }
  if (auto ids = peopleWith(facts, d, "no_photo"); !ids.empty()) {
    d.reasons.push_back({"no_photo",
                         "This photo shows " + plural(ids.size(), "person", "people") +
                             " on the school's no-photo list. It must not be published; a senior "
                             "leader can approve a copy with that face covered.",
                         Verdict::kBlock, ids});
  }
  if (auto ids = peopleWith(facts, d, "no_consent"); !ids.empty()) {
    d.reasons.push_back({"no_consent",
                         "This photo shows " + plural(ids.size(), "person", "people") +
                             " without current consent for the " + facts.channel +
                             " channel. Choose another photo, or check the consent register.",
                         Verdict::kBlock, ids});
  }
  if (channel && static_cast<int>(children) > channel->max_children) {
    d.reasons.push_back({"too_many_children",
                         "This photo shows " + plural(children, "child", "children") + "; the " +
                             facts.channel + " channel allows at most " +
                             std::to_string(channel->max_children) + " per photo." +
                             (channel->slt_may_override ? " A senior leader can decide."
                                                        : " Choose a photo with fewer children."),
                         channel->slt_may_override ? Verdict::kReview : Verdict::kBlock,
                         {}});
  }
  if (unidentified > 0) {
    d.reasons.push_back({"unknown_face",
                         plural(unidentified, "face", "faces") +
                             " in this photo could not be identified with certainty. A senior "
                             "leader will look at the photo.",
                         Verdict::kReview,
                         {}});
  }
  if (facts.faces.empty() && config.no_faces == NoFacesAction::kReview) {
    d.reasons.push_back({"no_faces",
                         "No face was found in this photo. A senior leader will check that it "
                         "shows no one who could be recognised.",
                         Verdict::kReview,
                         {}});
  }
}

void nameReasons(const PhotoFacts& facts, const FullNameFinder& names, Decision& d) {
  std::vector<std::string> places, ids;
  for (const auto& text : facts.texts) {
    const auto hits = names.find(text.text);
    if (hits.empty()) continue;
    places.push_back(text.where);
    for (const auto& hit : hits) {
      if (std::find(ids.begin(), ids.end(), hit.person_id) != ids.end()) continue;
      ids.push_back(hit.person_id);
      d.names_found.push_back(hit);
    }
  }
  if (ids.empty()) return;
  std::string where;
  for (size_t i = 0; i < places.size(); ++i) {
    where += (i == 0 ? "" : (i + 1 == places.size() ? " and " : ", ")) + places[i];
  }
  d.reasons.push_back({"full_name",
                       where + " contain" + (places.size() == 1 ? "s" : "") +
                           " a full name from the register. Full names are never published "
                           "with a photo: use a first name only, or none, and submit it again.",
                       Verdict::kBlock, ids});
}

void deviceReason(const PolicyConfig& config, const PhotoFacts& facts, Decision& d) {
  if (!config.device_check || facts.device.registered) return;
  const DeviceFacts& device = facts.device;
  std::string what = "The photo does not record which camera took it";
  if (!device.make.empty() || !device.model.empty()) {
    what = "The photo was taken on a device that is not registered as the school's (" +
           device.make + " " + device.model +
           (device.serial.empty() ? "" : ", serial " + device.serial) + ")";
  }
  d.reasons.push_back({"unregistered_device",
                       what + ". A senior leader will check it; if the device is the school's, "
                              "the office can register it.",
                       Verdict::kReview,
                       {}});
}

}  // namespace

std::string verdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPublish:
      return "publish";
    case Verdict::kReview:
      return "review";
    case Verdict::kBlock:
      break;
  }
  return "block";
}

bool Decision::has(const std::string& code) const {
  return std::any_of(reasons.begin(), reasons.end(),
                     [&](const Reason& r) { return r.code == code; });
}

Decision decide(const PolicyConfig& config, const PhotoFacts& facts, const FullNameFinder& names) {
  Decision d;
  if (!facts.readable) {
    d.reasons.push_back({"unreadable",
                         facts.unreadable_message.empty()
                             ? "The photo could not be read, so it cannot be checked."
                             : facts.unreadable_message,
                         Verdict::kBlock,
                         {}});
  } else {
    faceReasons(config, facts, d);
    deviceReason(config, facts, d);
  }
  // Names are checked even in an unreadable file: the caption and file name are still text.
  nameReasons(facts, names, d);
  for (const auto& reason : d.reasons) d.verdict = std::max(d.verdict, reason.severity);
  return d;
}

}  // namespace consentguard::policy
