#include "consentguard/policy/policy.h"

#include <algorithm>
#include <cctype>
#include <map>

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
    case Identity::kLikely:
      // Only people who must not appear are likely matches (PhotoChecker): a pupil.
      return {face.standing.no_photo ? "no_photo" : "no_consent", true, true};
    case Identity::kPerson:
      break;
  }
  const PersonStanding& who = face.standing;
  // Staff with their own consent are not children; without it they block like anyone else.
  if (who.no_photo) return {"no_photo", !who.is_staff};
  if (!who.consent_current) return {"no_consent", !who.is_staff};
  return {who.is_staff ? "staff" : "consented", !who.is_staff};
}

// Two faces the strict test gave to one person: at least one is someone else, so neither
// permits. (A person who must not appear still blocks: one of the faces is probably them.)
void markSamePersonTwice(const PhotoFacts& facts, Decision& d) {
  std::map<std::string, int> sureFaces;
  for (const auto& face : facts.faces) {
    if (face.identity == Identity::kPerson) ++sureFaces[face.person_id];
  }
  for (size_t i = 0; i < facts.faces.size(); ++i) {
    const auto& face = facts.faces[i];
    FaceOutcome& outcome = d.faces[i];
    if (face.identity != Identity::kPerson || sureFaces[face.person_id] < 2) continue;
    if (outcome.status == "consented" || outcome.status == "staff") {
      outcome = {"same_person_twice", true};
    }
  }
}

// Who must not appear, and on what evidence, in the order found.
struct Protected {
  std::vector<std::string> people;
  std::vector<std::string> evidence;
  bool likely = false, named = false, recognised = false;

  void add(const std::string& person, const std::string& how) {
    if (std::find(people.begin(), people.end(), person) != people.end()) return;
    people.push_back(person);
    evidence.push_back(how);
    likely |= how == "likely_match";
    named |= how == "named_in_metadata";
    recognised |= how == "recognised";
  }
  // How the message says it: "shows", "probably shows", "is named as showing".
  std::string verb() const {
    if (recognised && !likely && !named) return "shows ";
    if (!recognised && !likely) return "is named, in its own details, as showing ";
    return recognised ? "shows, or probably shows, " : "probably shows ";
  }
};

// These lead the reasons: they are what staff must read first.
void protectedReasons(const PhotoFacts& facts, const Protected& noPhoto,
                      const Protected& noConsent, Decision& d) {
  std::vector<Reason> first;
  if (!noPhoto.people.empty()) {
    first.push_back({"no_photo",
                         "This photo " + noPhoto.verb() +
                             plural(noPhoto.people.size(), "person", "people") +
                             " on the school's no-photo list. It must not be published as it is.",
                         Verdict::kBlock, noPhoto.people});
  }
  if (!noConsent.people.empty()) {
    first.push_back({"no_consent",
                         "This photo " + noConsent.verb() +
                             plural(noConsent.people.size(), "person", "people") +
                             " without current consent for the " + facts.channel +
                             " channel. Choose another photo, or check the consent register.",
                         Verdict::kBlock, noConsent.people});
  }
  d.reasons.insert(d.reasons.begin(), first.begin(), first.end());
  for (const auto* list : {&noPhoto, &noConsent}) {
    for (size_t i = 0; i < list->people.size(); ++i) {
      d.incidents.push_back(
          {list->people[i], list == &noPhoto ? "no_photo" : "no_consent", list->evidence[i]});
    }
  }
}

void faceReasons(const PolicyConfig& config, const PhotoFacts& facts, Protected& noPhoto,
                 Protected& noConsent, Decision& d) {
  const ChannelPolicy* channel = config.channel(facts.channel);
  for (const auto& face : facts.faces) d.faces.push_back(judgeFace(face));
  markSamePersonTwice(facts, d);
  size_t children = 0, unidentified = 0, twice = 0;
  for (size_t i = 0; i < d.faces.size(); ++i) {
    const FaceOutcome& outcome = d.faces[i];
    if (outcome.counts_as_child) ++children;
    const std::string& s = outcome.status;
    if (s == "unknown" || s == "ambiguous" || s == "too_small") ++unidentified;
    if (s == "same_person_twice") ++twice;
    const std::string how = outcome.likely ? "likely_match" : "recognised";
    if (s == "no_photo") noPhoto.add(facts.faces[i].person_id, how);
    if (s == "no_consent") noConsent.add(facts.faces[i].person_id, how);
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
  if (twice > 0) {
    d.reasons.push_back({"same_person_twice",
                         plural(twice, "face", "faces") +
                             " in this photo matched the same person, so at least one of them "
                             "is someone else. A senior leader will look at the photo.",
                         Verdict::kReview,
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

// A person named in the texts, as the register has them; unknown means protect.
PersonStanding standingOf(const PhotoFacts& facts, const std::string& person) {
  auto it = facts.named.find(person);
  if (it != facts.named.end()) return it->second;
  PersonStanding unknown;
  unknown.no_photo = true;
  return unknown;
}

// Rule 4 protects pupils' full names in what is published. A name in the photo's own metadata
// is never published (it is removed), but it says who is in the photo: a pupil who must not
// appear, named there, blocks the photo as if recognised.
void nameReasons(const PolicyConfig& config, const PhotoFacts& facts, const FullNameFinder& names,
                 Protected& noPhoto, Protected& noConsent, Decision& d) {
  std::vector<std::string> places, ids;
  for (const auto& text : facts.texts) {
    bool counted = false;
    for (const auto& hit : names.find(text.text)) {
      const PersonStanding who = standingOf(facts, hit.person_id);
      if (!text.published) {
        d.metadata_names.push_back({hit, text.where});
        if (who.is_staff) continue;
        if (who.no_photo) noPhoto.add(hit.person_id, "named_in_metadata");
        if (!who.no_photo && !who.consent_current) noConsent.add(hit.person_id, "named_in_metadata");
        continue;
      }
      if (who.is_staff && config.staff_full_names == StaffNames::kAllow) continue;
      if (!counted) places.push_back(text.where);
      counted = true;
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
                       std::string(ids.size() == 1 ? "A full name" : "Full names") +
                           " from the register " + (ids.size() == 1 ? "is" : "are") + " in " +
                           where +
                           ". Full names are never published with a photo: use a first name "
                           "only, or none, and submit it again.",
                       Verdict::kBlock, ids});
}

// Covering faces can save the photo only when every block is about a face in it.
bool coverable(const Decision& d, const Protected& noPhoto, const Protected& noConsent) {
  if (d.verdict != Verdict::kBlock || noPhoto.named || noConsent.named) return false;
  return std::all_of(d.reasons.begin(), d.reasons.end(), [](const Reason& r) {
    return r.severity != Verdict::kBlock || r.code == "no_photo" || r.code == "no_consent" ||
           r.code == "too_many_children";
  });
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
  Protected noPhoto, noConsent;
  if (!facts.readable) {
    d.reasons.push_back({"unreadable",
                         facts.unreadable_message.empty()
                             ? "The photo could not be read, so it cannot be checked."
                             : facts.unreadable_message,
                         Verdict::kBlock,
                         {}});
  } else {
    faceReasons(config, facts, noPhoto, noConsent, d);
    deviceReason(config, facts, d);
  }
  // Names are checked even in an unreadable file: the caption and file name are still text.
  nameReasons(config, facts, names, noPhoto, noConsent, d);
  protectedReasons(facts, noPhoto, noConsent, d);
  // The most serious first, as staff read them.
  std::stable_sort(d.reasons.begin(), d.reasons.end(),
                   [](const Reason& a, const Reason& b) { return a.severity > b.severity; });
  for (const auto& reason : d.reasons) d.verdict = std::max(d.verdict, reason.severity);
  d.coverable = coverable(d, noPhoto, noConsent);
  return d;
}

std::string coveredCopySentence() {
  return "A senior leader can publish a copy with those faces covered, on Consent Guard's review "
         "page (the copy is checked again); nobody can publish the photo as it is.";
}

}  // namespace consentguard::policy
