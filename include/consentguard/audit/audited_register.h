// Changes to the consent register that are written to the audit trail: each change and its
// entry are made in one transaction, so that there is never a change without its entry, nor an
// entry for a change that did not happen. The entry says who (the actor given), what (the
// action), to whom (the person's register id, or the device's number) and what changed, with
// the old and new values. It never holds the restricted no-photo note (only "note changed"),
// face descriptors, or names (an entry outlives the person's erasure).
//
// Actions: consent_changed, no_photo_changed, biometric_changed, person_saved,
// register_imported, person_erased, device_added, device_removed, incident_confirmed,
// incident_dismissed.
//
// An AuditedRegister borrows the store (and its connection) and, like it, is not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "consentguard/common/result.h"
#include "consentguard/register/csv_import.h"
#include "consentguard/register/register_store.h"

namespace consentguard::audit {

// Makes a change and its audit entry in one transaction: `change` makes it and returns the
// entry's details (JSON). When either fails, neither is kept. `subject` is read after `change`
// has run, so a change may set it (a new device's number).
Status recordChange(reg::Database& db, const std::string& actor, const std::string& action,
                    const std::string& subject, const std::function<Result<std::string>()>& change);

class AuditedRegister {
 public:
  // `actor`: "cli:NAME" for the command line, "key:NAME" for an API key, "user:NAME".
  AuditedRegister(reg::RegisterStore& store, std::string actor)
      : store_(store), actor_(std::move(actor)) {}

  Status setConsent(const std::string& person, const std::string& channel, bool granted,
                    const std::string& expires_on, const std::string& today);
  Status setNoPhoto(const std::string& person, bool no_photo, const std::string& note);
  Status setBiometric(const std::string& person, reg::Biometric biometric,
                      const std::string& today);
  Status savePerson(const reg::Person& person);
  Status erasePerson(const std::string& id);
  Result<std::int64_t> addDevice(const reg::Device& device);
  Status removeDevice(std::int64_t id);
  // The DSL's decision on a possible incident (RegisterStore::decideIncident): the entry's
  // subject is the pupil's register id, its details the incident's number and photo. Neither
  // changes the photo's outcome.
  Status decideIncident(std::int64_t id, bool confirmed);
  // `source` names the file in the entry (its subject).
  Result<reg::ImportReport> importCsv(std::string_view text, const reg::ImportOptions& options,
                                      const std::string& source);

 private:
  reg::RegisterStore& store_;
  std::string actor_;
};

}  // namespace consentguard::audit
