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

#include <map>
#include <string>
#include <vector>

#include "consentguard/policy/full_names.h"
#include "consentguard/policy/policy_config.h"

namespace consentguard::policy {

enum class Verdict { kPublish = 0, kReview = 1, kBlock = 2 };
std::string verdictName(Verdict verdict);

struct Reason {
  std::string code;     // no_photo, no_consent, too_many_children, same_person_twice,
                        // unknown_face, full_name, unregistered_device, no_faces, unreadable
  std::string message;  // for staff
  Verdict severity = Verdict::kBlock;
  std::vector<std::string> people;  // register ids the reason is about, if any
};

// How one face was identified, before the register is consulted.
//   kPerson: the strict test named them (threshold, margin, size, a current template).
//   kLikely: not sure enough to permit, but within the protect threshold of a person who must
//            not appear (a no-photo pupil, or a pupil without consent for the channel): the
//            face is treated as possibly them, and protects them.
enum class Identity { kPerson, kLikely, kUnknown, kAmbiguous, kTooSmall };

// The register's answers for one person, as they stand at this moment.
struct PersonStanding {
  std::string display_name;
  bool is_staff = false;
  bool no_photo = false;
  bool consent_current = false;  // consent for this channel
};

struct FaceFacts {
  Identity identity = Identity::kUnknown;
  // Set when identity is kPerson or kLikely.
  std::string person_id;
  PersonStanding standing;
};

struct TextFacts {
  std::string where;  // "the caption", "the alt text", "the file name", "EXIF Artist", ...
  std::string text;
  // Goes out with the photo (caption, alt text, file name). The photo's own metadata does not:
  // it is removed, so a name in it is evidence of who is in the photo, not a publication.
  bool published = true;
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
  // The register's answers for everyone named in `texts` (the caller looks them up). A named
  // person missing here is treated as a pupil who must not appear.
  std::map<std::string, PersonStanding> named;
  DeviceFacts device;
};

// What the rules made of one face: "consented", "staff", "no_photo", "no_consent",
// "unknown", "ambiguous", "too_small".
// "same_person_twice": the strict test named the same person in two faces, so one is wrong.
struct FaceOutcome {
  std::string status;
  bool counts_as_child = false;
  bool likely = false;  // no_photo or no_consent on a likely match, not a sure one
};

// Someone who must not appear is, or is probably, in the photo: for the DSL's incident log.
struct IncidentFact {
  std::string person_id;
  std::string code;      // no_photo or no_consent
  std::string evidence;  // "recognised", "likely_match" or "named_in_metadata"
};

// A name the photo's own metadata gave (shown to SLT; never published).
struct MetadataName {
  NameHit hit;
  std::string where;
};

struct Decision {
  Verdict verdict = Verdict::kPublish;
  std::vector<Reason> reasons;
  std::vector<FaceOutcome> faces;  // one per PhotoFacts::faces, same order
  std::vector<NameHit> names_found;  // full names in what is published
  std::vector<MetadataName> metadata_names;
  std::vector<IncidentFact> incidents;
  // Blocked only for faces (no photo, no consent, too many children), each of them on a face in
  // the photo: a senior leader may publish a copy with those faces covered (checked again).
  bool coverable = false;

  bool has(const std::string& code) const;
};

// `channel` must be one of config's channels (the caller checks: an unknown channel is a usage
// error, not a verdict).
Decision decide(const PolicyConfig& config, const PhotoFacts& facts, const FullNameFinder& names);

// The sentence the note beside a blocked photo, and the pages, give about a covered copy.
std::string coveredCopySentence();

}  // namespace consentguard::policy
