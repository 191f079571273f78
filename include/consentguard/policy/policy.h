// The school's photo rules, from facts about one photo to a verdict with reasons. The facts are
// gathered by the caller (faces recognised, the register's answers for each person, the texts
// that go with the photo, the device it came from); this module only decides, so every rule can
// be tested without images or a database.
//
// Verdicts: publish (no reason against), review (a person must decide), block (a rule forbids
// it). The verdict is the most severe of the reasons. Every reason has a stable code and one
// plain-English sentence for school staff.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "consentguard/policy/full_names.h"
#include "consentguard/policy/policy_config.h"

namespace consentguard::policy {

enum class Verdict { kPublish = 0, kReview = 1, kBlock = 2 };
std::string verdictName(Verdict verdict);

struct Reason {
  std::string code;     // no_photo, no_consent, too_many_children, unknown_face, full_name,
                        // unregistered_device, no_faces, unreadable
  std::string message;  // for staff
  Verdict severity = Verdict::kBlock;
  std::vector<std::string> people;  // register ids the reason is about, if any
};

// How one face was identified, before the register is consulted.
enum class Identity { kPerson, kUnknown, kAmbiguous, kTooSmall };

struct FaceFacts {
  Identity identity = Identity::kUnknown;
  // Set when identity is kPerson: the register's answers for that person.
  std::string person_id;
  std::string display_name;
  bool is_staff = false;
  bool no_photo = false;
  bool consent_current = false;  // consent for this channel, as it stands now
};

struct TextFacts {
  std::string where;  // "the caption", "the alt text", "the file name", "EXIF Artist", ...
  std::string text;
};

struct DeviceFacts {
  std::string make, model, serial;
  bool registered = false;
};

struct PhotoFacts {
  std::string channel;
  bool readable = true;
  std::string unreadable_message;  // the loader's message for staff, when unreadable
  std::vector<FaceFacts> faces;
  std::vector<TextFacts> texts;
  DeviceFacts device;
};

// What the rules made of one face: "consented", "staff", "no_photo", "no_consent",
// "unknown", "ambiguous", "too_small".
struct FaceOutcome {
  std::string status;
  bool counts_as_child = false;
};

struct Decision {
  Verdict verdict = Verdict::kPublish;
  std::vector<Reason> reasons;
  std::vector<FaceOutcome> faces;  // one per PhotoFacts::faces, same order
  std::vector<NameHit> names_found;

  bool has(const std::string& code) const;
};

// `channel` must be one of config's channels (the caller checks: an unknown channel is a usage
// error, not a verdict).
Decision decide(const PolicyConfig& config, const PhotoFacts& facts, const FullNameFinder& names);

}  // namespace consentguard::policy
