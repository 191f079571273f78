// The consent register: who the school's pupils and staff are, what each parent agreed to per
// channel, who is on the no-photo list, who has biometric consent (and so may have face
// templates), and which cameras and tablets belong to the school. Stored in SQLite with
// versioned migrations, WAL and foreign keys.
//
// The biometric rule (Protection of Freedoms Act 2012 ss.26-28) is enforced by the database
// itself, not only by this class: a trigger refuses a template for anyone whose biometric
// consent is not "given", and another deletes a person's templates in the same transaction as
// the change that withdraws it (or records an objection).
//
// Face templates and reference photos are sealed with the data key (data_key.h), which lives in
// a file of its own: the database alone holds neither.
//
// A RegisterStore owns its connection and is not thread-safe: each thread opens its own.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/register/data_key.h"
#include "consentguard/register/database.h"

namespace consentguard::reg {

enum class Role { kPupil, kStaff };
enum class Biometric { kNotGiven, kGiven, kObjected, kWithdrawn };
enum class ConsentStatus { kGranted, kRefused, kWithdrawn };

std::string roleName(Role role);
std::string biometricName(Biometric biometric);
std::string consentStatusName(ConsentStatus status);

struct Person {
  std::string id;  // the MIS id
  Role role = Role::kPupil;
  std::string given_name;
  std::string family_name;
  std::string preferred_name;  // may be empty
  std::string year_group;      // may be empty
  std::string left_on;         // ISO date the person left the school; empty while on roll
  bool no_photo = false;
  Biometric biometric = Biometric::kNotGiven;

  std::string displayName() const;  // "Preferred Family", else "Given Family"
};

struct ChannelConsent {
  std::string channel;
  ConsentStatus status = ConsentStatus::kRefused;
  std::string recorded_on;   // ISO date it was given or refused
  std::string expires_on;    // ISO date; empty for no expiry. Valid up to and including this day.
  std::string withdrawn_on;  // ISO date; set when status is withdrawn

  // Whether this consent allows publication on `date` (an ISO date).
  bool allowsOn(const std::string& date) const;
};

struct Device {
  std::int64_t id = 0;
  std::string make;
  std::string model;
  std::string serial;  // empty: any device of this make and model counts as the school's
  std::string description;
};

struct StoredTemplate {
  std::string person_id;
  std::vector<float> descriptor;  // 128 values
  std::string pipeline;           // the face pipeline that made it
  std::string photo_date;         // YYYY-MM-DD the reference photo was taken (else enrolled)
  std::string source;             // the reference photo's file name
};

// A reference photo kept so that templates can be rebuilt when the face engine changes: the
// face and what is around it, upright, as JPEG without metadata. Kept only while the person's
// biometric consent is given (a trigger deletes them with the templates on withdrawal).
struct ReferencePhoto {
  std::int64_t id = 0;
  std::string person_id;
  std::string source;              // the file name it was uploaded as
  std::string photo_date;          // YYYY-MM-DD it was taken (else the day it was added)
  std::string added_by;            // the actor
  std::string added_at;            // ISO 8601
  std::vector<std::uint8_t> jpeg;  // empty unless asked for
};

// An incident as the DSL's page and the termly report see it. "possible": a likely match, not
// an incident until the DSL confirms it; "confirmed": recognised for sure, named in the
// photo's metadata, or confirmed by the DSL; "dismissed": the DSL said it is not them.
struct Incident {
  std::int64_t id = 0;
  std::string occurred_at;
  std::string person_id;
  std::string channel;
  std::string code;        // no_photo or no_consent
  std::string photo;       // the file name it was submitted as
  std::string evidence;    // recognised, likely_match or named_in_metadata
  std::string status;      // possible, confirmed or dismissed
  std::string job_id;      // empty when not checked by the service (the command line)
  std::string box;         // "x,y,w,h" in the upright photo's pixels; empty when not a face
  std::string decided_by;  // the DSL's actor, once decided; empty for one confirmed at once
  std::string decided_at;
};

// A person whose face templates may no longer permit a face (they still protect): every one is
// from a reference photo taken before `oldest_photo_date`, or made by another face pipeline.
// They must be photographed (or enrolled) again.
struct StaleEnrolment {
  std::string person_id;
  std::string display_name;
  Role role = Role::kPupil;
  std::string newest_photo_date;  // of their templates
  bool other_pipeline = false;    // no template of theirs is from the current pipeline
  bool too_old = false;           // no template of theirs is from a photo young enough
};

// The query behind RegisterStore::staleEnrolments, for readers holding only the database (the
// termly report).
Result<std::vector<StaleEnrolment>> findStaleEnrolments(Database& db,
                                                        const std::string& oldest_photo_date,
                                                        const std::string& pipeline);

class RegisterStore {
 public:
  // Opens or creates the register at `path`, brings its schema up to date, and takes the data
  // key from `data_key_file` (by default defaultDataKeyPath(path)). A register that has never
  // had a key gets the file's key, or a new key written there, and every template and
  // reference photo still plain is sealed with it. Errors, besides the database's: the key
  // file's (DataKey::load), and "wrong_data_key" when it is not the register's key.
  static Result<std::unique_ptr<RegisterStore>> open(const std::filesystem::path& path);
  static Result<std::unique_ptr<RegisterStore>> open(const std::filesystem::path& path,
                                                     const std::filesystem::path& data_key_file);

  // Re-seals every template and reference photo with a new key and puts the new key in the
  // key file (written beside it first, so that a rotation cut short is finished at the next
  // open). Returns the new key's id. Other stores open on the register pick the new key up
  // from the file.
  Result<std::string> rotateDataKey();
  const std::string& dataKeyId() const { return key_.id(); }

  // People. Saving a person never grants biometric consent as a side effect: see
  // setBiometric.
  Status savePerson(const Person& person);
  Result<std::optional<Person>> findPerson(const std::string& id);
  Result<std::vector<Person>> people();
  // Subject access and erasure (rule 7): every stored field of one person, and deletion of the
  // person with their consent and templates.
  Status erasePerson(const std::string& id);

  // Consent per channel. Granting records `today`; refusing what was granted records a
  // withdrawal dated `today`, which takes effect at once.
  Status setConsent(const std::string& person, const std::string& channel, bool granted,
                    const std::string& expires_on, const std::string& today);
  Result<std::optional<ChannelConsent>> consent(const std::string& person,
                                                const std::string& channel);
  Result<std::vector<ChannelConsent>> consents(const std::string& person);

  // The no-photo list. The note is restricted: only noPhotoNote returns it.
  Status setNoPhoto(const std::string& person, bool no_photo, const std::string& note);
  Result<std::string> noPhotoNote(const std::string& person);

  // Biometric consent. Anything but kGiven deletes the person's templates in the same
  // transaction.
  Status setBiometric(const std::string& person, Biometric biometric, const std::string& today);

  // Face templates: refused (code "no_biometric_consent") unless the person's biometric
  // consent is given.
  // `photo_date` (YYYY-MM-DD) is when the reference photo was taken; empty means today.
  // `reference_photo`: the kept photo it was made from (0 for none); removing that photo
  // removes the template.
  Status addTemplate(const std::string& person, const std::vector<float>& descriptor,
                     const std::string& source, const std::string& pipeline,
                     const std::string& photo_date = {}, std::int64_t reference_photo = 0);
  // Reference photos: refused (code "no_biometric_consent") as templates are.
  Result<std::int64_t> addReferencePhoto(const ReferencePhoto& photo);
  // A person's, oldest first, without their bytes; every person's when `person` is empty.
  Result<std::vector<ReferencePhoto>> referencePhotos(const std::string& person);
  // One, with its bytes.
  Result<std::optional<ReferencePhoto>> referencePhoto(std::int64_t id);
  // Removes the photo and the templates made from it.
  Status removeReferencePhoto(std::int64_t id);
  // Deletes the person's templates made from kept reference photos (before they are made again).
  Status deleteTemplatesFromReferencePhotos(const std::string& person);
  // Every usable template, opened. Kept, opened, until the register's version changes: a
  // check reads them all, and opening each costs more than reading it.
  Result<std::vector<StoredTemplate>> templates();
  Result<int> templateCount(const std::string& person);
  // People with biometric consent and templates, none of which may permit any more (see
  // StaleEnrolment), in register-id order.
  Result<std::vector<StaleEnrolment>> staleEnrolments(const std::string& oldest_photo_date,
                                                      const std::string& pipeline);

  // School devices.
  Result<std::int64_t> addDevice(const Device& device);
  Result<std::vector<Device>> devices();
  Status removeDevice(std::int64_t id);

  // Incidents (rule 8): an attempt to publish a no-photo or non-consented person
  // (register_incidents.cpp). `evidence`: "recognised", "likely_match" or
  // "named_in_metadata". A likely match is recorded as possible (see Incident); the others as
  // confirmed. The ids recorded are remembered for takeRecordedIncidents.
  Status recordIncident(const std::string& person, const std::string& channel,
                        const std::string& code, const std::string& photo,
                        const std::string& evidence = "recognised");
  // The ids of the incidents this store recorded since the last call, oldest first, so that
  // the caller that knows the photo's job (the service's worker) can attach them to it.
  std::vector<std::int64_t> takeRecordedIncidents();
  // Attaches an incident to its photo's job and the face's box (queue::boxKey; empty for a
  // name in the metadata). A photo checked again (a change of consent, the register changing
  // during the check) is the same attempt: when its job already has an incident for the same
  // person and code, the new one is removed and the earlier one, with any decision on it,
  // stands. Returns the id that stands.
  Result<std::int64_t> attachIncident(std::int64_t id, const std::string& job_id,
                                      const std::string& box);
  // The newest `limit` incidents, newest first; one by id.
  Result<std::vector<Incident>> incidents(int limit = 500);
  Result<std::optional<Incident>> incident(std::int64_t id);
  // The DSL's decision on a possible incident: confirmed (it is them) or dismissed (not them),
  // by `actor`. Errors: "not_found", "already_decided" (only a possible incident is decided,
  // once). It changes nothing about the photo: that stays as the checks left it.
  Status decideIncident(std::int64_t id, bool confirmed, const std::string& actor);
  Result<int> incidentCount();

  Database& database() { return *db_; }

 private:
  RegisterStore(std::unique_ptr<Database> db, DataKey key, std::filesystem::path key_file)
      : db_(std::move(db)), key_(std::move(key)), key_file_(std::move(key_file)) {}
  Result<bool> personExists(const std::string& id);
  // Opens a sealed value, first reading the key file again when the value is sealed with a
  // newer key than the one in hand (a rotation by another process).
  Result<std::vector<std::uint8_t>> unseal(const std::vector<std::uint8_t>& sealed,
                                           const std::string& context);

  std::unique_ptr<Database> db_;
  DataKey key_;
  std::filesystem::path key_file_;
  std::vector<std::int64_t> recorded_incidents_;
  struct OpenedTemplates {
    std::int64_t register_version = -1;
    std::vector<StoredTemplate> templates;
  } opened_;
};

// The register's version: raised by every change to people, consent, templates and devices
// (schema 12's triggers).
Result<std::int64_t> readRegisterVersion(Database& db);

// Opens the register's database with its schema brought up to date, for the modules that keep
// their own tables in it (the queue).
Result<std::unique_ptr<Database>> openRegisterDatabase(const std::filesystem::path& path);

// The same error, wherever a person id is not in the register.
Error unknownPerson(const std::string& id);

}  // namespace consentguard::reg
