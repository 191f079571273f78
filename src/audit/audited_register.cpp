#include "consentguard/audit/audited_register.h"

#include "consentguard/audit/audit_log.h"
#include "consentguard/common/flat_json.h"
#include "consentguard/common/text.h"

namespace consentguard::audit {
namespace {

using Json = FlatJson;

std::string consentJson(const std::optional<reg::ChannelConsent>& c) {
  if (!c) return "null";
  return Json()
      .text("status", reg::consentStatusName(c->status))
      .text("expires_on", c->expires_on)
      .str();
}

std::string stringList(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ",") + jsonString(v);
  return "[" + out + "]";
}

// The fields of a person that differ, by name only: names are not copied into the trail.
std::vector<std::string> changedFields(const std::optional<reg::Person>& before,
                                       const reg::Person& after) {
  if (!before) return {"new person"};
  std::vector<std::string> fields;
  const auto differs = [&](const char* name, const std::string& a, const std::string& b) {
    if (a != b) fields.push_back(name);
  };
  differs("role", reg::roleName(before->role), reg::roleName(after.role));
  differs("given_name", before->given_name, after.given_name);
  differs("family_name", before->family_name, after.family_name);
  differs("preferred_name", before->preferred_name, after.preferred_name);
  differs("year_group", before->year_group, after.year_group);
  differs("left_on", before->left_on, after.left_on);
  return fields;
}

Result<std::optional<reg::Person>> requirePerson(reg::RegisterStore& store, const std::string& id) {
  auto person = store.findPerson(id);
  if (!person) return person.error();
  if (!*person) return reg::unknownPerson(id);
  return person;
}

}  // namespace

Status recordChange(reg::Database& db, const std::string& actor, const std::string& action,
                    const std::string& subject,
                    const std::function<Result<std::string>()>& change) {
  reg::Database::Transaction transaction(db);
  if (!transaction.begun()) return transaction.begun();
  auto details = change();
  if (!details) return details.error();
  if (Status s = AuditLog(db).append(actor, action, subject, *details); !s) return s;
  return transaction.commit();
}

Status AuditedRegister::setConsent(const std::string& person, const std::string& channel,
                                   bool granted, const std::string& expires_on,
                                   const std::string& today) {
  return recordChange(
      store_.database(), actor_, "consent_changed", person, [&]() -> Result<std::string> {
        auto before = store_.consent(person, channel);
        if (!before) return before.error();
        if (Status s = store_.setConsent(person, channel, granted, expires_on, today); !s) {
          return s.error();
        }
        auto after = store_.consent(person, channel);
        if (!after) return after.error();
        return Json()
            .text("channel", channel)
            .raw("old", consentJson(*before))
            .raw("new", consentJson(*after))
            .str();
      });
}

Status AuditedRegister::setNoPhoto(const std::string& person, bool no_photo,
                                   const std::string& note) {
  return recordChange(store_.database(), actor_, "no_photo_changed", person,
                      [&]() -> Result<std::string> {
                        auto before = requirePerson(store_, person);
                        if (!before) return before.error();
                        auto oldNote = store_.noPhotoNote(person);
                        if (!oldNote) return oldNote.error();
                        if (Status s = store_.setNoPhoto(person, no_photo, note); !s)
                          return s.error();
                        auto newNote = store_.noPhotoNote(person);
                        if (!newNote) return newNote.error();
                        // The note is restricted (for the DSL): only whether it changed is
                        // recorded.
                        return Json()
                            .flag("old", (*before)->no_photo)
                            .flag("new", no_photo)
                            .text("note", *oldNote == *newNote ? "unchanged" : "note changed")
                            .str();
                      });
}

Status AuditedRegister::setBiometric(const std::string& person, reg::Biometric biometric,
                                     const std::string& today) {
  return recordChange(store_.database(), actor_, "biometric_changed", person,
                      [&]() -> Result<std::string> {
                        auto before = requirePerson(store_, person);
                        if (!before) return before.error();
                        auto templates = store_.templateCount(person);
                        if (!templates) return templates.error();
                        if (Status s = store_.setBiometric(person, biometric, today); !s)
                          return s.error();
                        auto left = store_.templateCount(person);
                        if (!left) return left.error();
                        return Json()
                            .text("old", reg::biometricName((*before)->biometric))
                            .text("new", reg::biometricName(biometric))
                            .number("templates_deleted", *templates - *left)
                            .str();
                      });
}

Status AuditedRegister::savePerson(const reg::Person& person) {
  return recordChange(
      store_.database(), actor_, "person_saved", person.id, [&]() -> Result<std::string> {
        auto before = store_.findPerson(person.id);
        if (!before) return before.error();
        if (Status s = store_.savePerson(person); !s) return s.error();
        return Json().raw("changed", stringList(changedFields(*before, person))).str();
      });
}

Status AuditedRegister::erasePerson(const std::string& id) {
  return recordChange(store_.database(), actor_, "person_erased", id, [&]() -> Result<std::string> {
    auto before = requirePerson(store_, id);
    if (!before) return before.error();
    auto templates = store_.templateCount(id);
    if (!templates) return templates.error();
    if (Status s = store_.erasePerson(id); !s) return s.error();
    return Json()
        .text("role", reg::roleName((*before)->role))
        .number("templates_deleted", *templates)
        .str();
  });
}

Result<std::int64_t> AuditedRegister::addDevice(const reg::Device& device) {
  std::int64_t id = 0;
  std::string subject;  // the device's number, known once it is added (append reads it after)
  Status s = recordChange(store_.database(), actor_, "device_added", subject,
                          [&]() -> Result<std::string> {
                            auto added = store_.addDevice(device);
                            if (!added) return added.error();
                            id = *added;
                            subject = std::to_string(id);
                            return Json()
                                .text("make", device.make)
                                .text("model", device.model)
                                .text("serial", device.serial)
                                .text("description", device.description)
                                .str();
                          });
  if (!s) return s.error();
  return id;
}

Status AuditedRegister::removeDevice(std::int64_t id) {
  return recordChange(
      store_.database(), actor_, "device_removed", std::to_string(id),
      [&]() -> Result<std::string> {
        auto devices = store_.devices();
        if (!devices) return devices.error();
        Json details;
        for (const auto& d : *devices) {
          if (d.id == id)
            details.text("make", d.make).text("model", d.model).text("serial", d.serial);
        }
        if (Status s = store_.removeDevice(id); !s) return s.error();
        return details.str();
      });
}

Status AuditedRegister::decideIncident(std::int64_t id, bool confirmed) {
  auto incident = store_.incident(id);
  if (!incident) return incident.error();
  if (!*incident) {
    return makeError("not_found", "There is no incident with this number.",
                     "incident " + std::to_string(id));
  }
  const reg::Incident& i = **incident;
  return recordChange(store_.database(), actor_,
                      confirmed ? "incident_confirmed" : "incident_dismissed", i.person_id,
                      [&]() -> Result<std::string> {
                        if (Status s = store_.decideIncident(id, confirmed, actor_); !s)
                          return s.error();
                        return Json()
                            .number("incident", id)
                            .text("job", i.job_id)
                            .text("channel", i.channel)
                            .text("code", i.code)
                            .text("evidence", i.evidence)
                            .text("box", i.box)
                            .str();
                      });
}

Result<reg::ImportReport> AuditedRegister::importCsv(std::string_view text,
                                                     const reg::ImportOptions& options,
                                                     const std::string& source) {
  reg::ImportReport report;
  Status s = recordChange(store_.database(), actor_, "register_imported", source,
                          [&]() -> Result<std::string> {
                            auto imported = reg::importRegisterCsv(store_, text, options);
                            if (!imported) return imported.error();
                            report = std::move(imported.value());
                            return Json()
                                .number("added", report.added)
                                .number("updated", report.updated)
                                .number("consents_withdrawn", report.consents_withdrawn)
                                .number("templates_deleted", report.templates_deleted)
                                .raw("people_changed", stringList(report.people_changed))
                                .str();
                          });
  if (!s) return s.error();
  return report;
}

}  // namespace consentguard::audit
