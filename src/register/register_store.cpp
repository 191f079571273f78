#include "consentguard/register/register_store.h"

#include <cstring>

#include "consentguard/common/dates.h"
#include "migrations.h"

namespace consentguard::reg {
namespace {

Role parseRole(const std::string& text) { return text == "staff" ? Role::kStaff : Role::kPupil; }

Biometric parseBiometric(const std::string& text) {
  if (text == "given") return Biometric::kGiven;
  if (text == "objected") return Biometric::kObjected;
  if (text == "withdrawn") return Biometric::kWithdrawn;
  return Biometric::kNotGiven;
}

ConsentStatus parseConsentStatus(const std::string& text) {
  if (text == "granted") return ConsentStatus::kGranted;
  if (text == "withdrawn") return ConsentStatus::kWithdrawn;
  return ConsentStatus::kRefused;
}

const char* kPersonColumns =
    "id, role, given_name, family_name, preferred_name, year_group, left_on, no_photo, biometric";

Person readPerson(const Statement& row) {
  Person p;
  p.id = row.text(0);
  p.role = parseRole(row.text(1));
  p.given_name = row.text(2);
  p.family_name = row.text(3);
  p.preferred_name = row.text(4);
  p.year_group = row.text(5);
  p.left_on = row.text(6);
  p.no_photo = row.integer(7) != 0;
  p.biometric = parseBiometric(row.text(8));
  return p;
}

ChannelConsent readConsent(const Statement& row) {
  ChannelConsent c;
  c.channel = row.text(0);
  c.status = parseConsentStatus(row.text(1));
  c.recorded_on = row.text(2);
  c.expires_on = row.text(3);
  c.withdrawn_on = row.text(4);
  return c;
}

std::vector<std::uint8_t> toBlob(const std::vector<float>& values) {
  std::vector<std::uint8_t> blob(values.size() * sizeof(float));
  std::memcpy(blob.data(), values.data(), blob.size());
  return blob;
}

std::vector<float> fromBlob(const std::vector<std::uint8_t>& blob) {
  std::vector<float> values(blob.size() / sizeof(float));
  std::memcpy(values.data(), blob.data(), values.size() * sizeof(float));
  return values;
}

}  // namespace

std::string roleName(Role role) { return role == Role::kStaff ? "staff" : "pupil"; }

std::string biometricName(Biometric biometric) {
  switch (biometric) {
    case Biometric::kGiven:
      return "given";
    case Biometric::kObjected:
      return "objected";
    case Biometric::kWithdrawn:
      return "withdrawn";
    case Biometric::kNotGiven:
      break;
  }
  return "not_given";
}

std::string consentStatusName(ConsentStatus status) {
  switch (status) {
    case ConsentStatus::kGranted:
      return "granted";
    case ConsentStatus::kWithdrawn:
      return "withdrawn";
    case ConsentStatus::kRefused:
      break;
  }
  return "refused";
}

std::string Person::displayName() const {
  return (preferred_name.empty() ? given_name : preferred_name) + " " + family_name;
}

bool ChannelConsent::allowsOn(const std::string& date) const {
  if (status != ConsentStatus::kGranted) return false;
  if (!expires_on.empty() && date > expires_on) return false;
  return true;
}

Error unknownPerson(const std::string& id) {
  return makeError("unknown_person",
                   "There is no one with the id '" + id +
                       "' in the consent register. Check the id, or import the register first.");
}

Result<std::unique_ptr<Database>> openRegisterDatabase(const std::filesystem::path& path) {
  auto db = Database::open(path);
  if (!db) return db.error();
  if (Status s = migrate(**db); !s) return s.error();
  return db;
}

Result<bool> RegisterStore::personExists(const std::string& id) {
  auto stmt = db_->prepare("SELECT 1 FROM people WHERE id = ?");
  if (!stmt) return stmt.error();
  return stmt->bind({id}).step();
}

Status RegisterStore::savePerson(const Person& p) {
  // An upsert that leaves the no-photo note and biometric consent to their own setters.
  return db_->execute(
      "INSERT INTO people (id, role, given_name, family_name, preferred_name, year_group, "
      "left_on, no_photo) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
      "role = excluded.role, given_name = excluded.given_name, family_name = "
      "excluded.family_name, preferred_name = excluded.preferred_name, year_group = "
      "excluded.year_group, left_on = excluded.left_on, no_photo = excluded.no_photo",
      {p.id, roleName(p.role), p.given_name, p.family_name, p.preferred_name, p.year_group,
       p.left_on, std::int64_t{p.no_photo ? 1 : 0}});
}

Result<std::optional<Person>> RegisterStore::findPerson(const std::string& id) {
  auto stmt = db_->prepare(std::string("SELECT ") + kPersonColumns + " FROM people WHERE id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({id}).step();
  if (!row) return row.error();
  if (!*row) return std::optional<Person>{};
  return std::optional<Person>{readPerson(*stmt)};
}

Result<std::vector<Person>> RegisterStore::people() {
  auto stmt = db_->prepare(std::string("SELECT ") + kPersonColumns + " FROM people ORDER BY id");
  if (!stmt) return stmt.error();
  return stmt->collect(readPerson);
}

Status RegisterStore::erasePerson(const std::string& id) {
  Database::Transaction tx(*db_);
  if (!tx.begun()) return tx.begun();
  auto exists = personExists(id);
  if (!exists) return exists.error();
  if (!*exists) return unknownPerson(id);
  // Templates go first and explicitly, so that erasure never depends on the cascade alone.
  if (Status s = db_->execute("DELETE FROM templates WHERE person_id = ?", {id}); !s) return s;
  if (Status s = db_->execute("DELETE FROM reference_photos WHERE person_id = ?", {id}); !s) {
    return s;
  }
  if (Status s = db_->execute("DELETE FROM people WHERE id = ?", {id}); !s) return s;
  return tx.commit();
}

Status RegisterStore::setConsent(const std::string& person, const std::string& channel,
                                 bool granted, const std::string& expires_on,
                                 const std::string& today) {
  Database::Transaction tx(*db_);
  if (!tx.begun()) return tx.begun();
  auto exists = personExists(person);
  if (!exists) return exists.error();
  if (!*exists) return unknownPerson(person);
  auto previous = consent(person, channel);
  if (!previous) return previous.error();
  const bool wasGranted = *previous && (*previous)->status == ConsentStatus::kGranted;

  ChannelConsent next;
  if (granted) {
    next.status = ConsentStatus::kGranted;
    next.recorded_on = wasGranted ? (*previous)->recorded_on : today;
    next.expires_on = expires_on;
  } else if (wasGranted || (*previous && (*previous)->status == ConsentStatus::kWithdrawn)) {
    next.status = ConsentStatus::kWithdrawn;
    next.recorded_on = (*previous)->recorded_on;
    next.withdrawn_on = wasGranted ? today : (*previous)->withdrawn_on;
  } else {
    next.status = ConsentStatus::kRefused;
    next.recorded_on = *previous ? (*previous)->recorded_on : today;
  }
  if (Status s = db_->execute(
          "INSERT INTO consent (person_id, channel, status, recorded_on, expires_on, "
          "withdrawn_on) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(person_id, channel) DO UPDATE SET "
          "status = excluded.status, recorded_on = excluded.recorded_on, expires_on = "
          "excluded.expires_on, withdrawn_on = excluded.withdrawn_on",
          {person, channel, consentStatusName(next.status), next.recorded_on, next.expires_on,
           next.withdrawn_on});
      !s) {
    return s;
  }
  return tx.commit();
}

Result<std::optional<ChannelConsent>> RegisterStore::consent(const std::string& person,
                                                             const std::string& channel) {
  auto stmt = db_->prepare(
      "SELECT channel, status, recorded_on, expires_on, withdrawn_on FROM consent WHERE "
      "person_id = ? AND channel = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({person, channel}).step();
  if (!row) return row.error();
  if (!*row) return std::optional<ChannelConsent>{};
  return std::optional<ChannelConsent>{readConsent(*stmt)};
}

Result<std::vector<ChannelConsent>> RegisterStore::consents(const std::string& person) {
  auto stmt = db_->prepare(
      "SELECT channel, status, recorded_on, expires_on, withdrawn_on FROM consent WHERE "
      "person_id = ? ORDER BY channel");
  if (!stmt) return stmt.error();
  return stmt->bind({person}).collect(readConsent);
}

Status RegisterStore::setNoPhoto(const std::string& person, bool no_photo,
                                 const std::string& note) {
  if (Status s = db_->execute("UPDATE people SET no_photo = ?, no_photo_note = ? WHERE id = ?",
                              {std::int64_t{no_photo ? 1 : 0}, no_photo ? note : "", person});
      !s) {
    return s;
  }
  return db_->changes() == 1 ? okStatus() : Status(unknownPerson(person));
}

Result<std::string> RegisterStore::noPhotoNote(const std::string& person) {
  auto stmt = db_->prepare("SELECT no_photo_note FROM people WHERE id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({person}).step();
  if (!row) return row.error();
  if (!*row) return unknownPerson(person);
  return stmt->text(0);
}

Status RegisterStore::setBiometric(const std::string& person, Biometric biometric,
                                   const std::string& today) {
  // The trigger deletes the templates in this same statement's transaction.
  if (Status s =
          db_->execute("UPDATE people SET biometric = ?, biometric_changed_on = ? WHERE id = ?",
                       {biometricName(biometric), today, person});
      !s) {
    return s;
  }
  return db_->changes() == 1 ? okStatus() : Status(unknownPerson(person));
}

Status RegisterStore::addTemplate(const std::string& person, const std::vector<float>& descriptor,
                                  const std::string& source, const std::string& pipeline,
                                  const std::string& photo_date, std::int64_t reference_photo) {
  auto found = findPerson(person);
  if (!found) return found.error();
  if (!*found) return unknownPerson(person);
  const auto refused = makeError(
      "no_biometric_consent",
      (*found)->displayName() +
          " has no biometric consent, so no face template can be stored. Their face will be "
          "shown to a senior leader instead. Record the parent's biometric consent first if "
          "they have given it.");
  if ((*found)->biometric != Biometric::kGiven) return refused;
  if (descriptor.size() != 128) {
    return makeError("bad_template", "The face template is not valid.",
                     std::to_string(descriptor.size()) + " values");
  }
  if (!photo_date.empty() && !isIsoDate(photo_date)) {
    return makeError("bad_template", "The reference photo's date is not a date.", photo_date);
  }
  Status s = db_->execute(
      "INSERT INTO templates (person_id, descriptor, source, pipeline, photo_date, "
      "reference_photo_id) VALUES (?, ?, ?, ?, ?, ?)",
      {person, key_.seal(toBlob(descriptor), "templates/" + person), source, pipeline,
       photo_date.empty() ? todayIso() : photo_date,
       reference_photo == 0 ? SqlValue{nullptr} : SqlValue{reference_photo}});
  if (!s && s.error().detail.find("no biometric consent") != std::string::npos) return refused;
  return s;
}

Result<std::int64_t> RegisterStore::addReferencePhoto(const ReferencePhoto& photo) {
  auto found = findPerson(photo.person_id);
  if (!found) return found.error();
  if (!*found) return unknownPerson(photo.person_id);
  const auto refused = makeError(
      "no_biometric_consent",
      (*found)->displayName() +
          " has no biometric consent, so no reference photo can be kept. Record the parent's "
          "biometric consent first if they have given it.");
  if ((*found)->biometric != Biometric::kGiven) return refused;
  if (photo.jpeg.empty() || !isIsoDate(photo.photo_date)) {
    return makeError("bad_reference_photo", "The reference photo is not valid.");
  }
  Status s = db_->execute(
      "INSERT INTO reference_photos (person_id, jpeg, source, photo_date, added_by) VALUES (?, "
      "?, ?, ?, ?)",
      {photo.person_id, key_.seal(photo.jpeg, "reference_photos/" + photo.person_id), photo.source,
       photo.photo_date, photo.added_by});
  if (!s && s.error().detail.find("no biometric consent") != std::string::npos) return refused;
  if (!s) return s.error();
  return db_->lastInsertId();
}

namespace {
constexpr const char* kReferenceColumns = "id, person_id, source, photo_date, added_by, added_at";
ReferencePhoto referenceFromRow(const Statement& row) {
  ReferencePhoto p;
  p.id = row.integer(0);
  p.person_id = row.text(1);
  p.source = row.text(2);
  p.photo_date = row.text(3);
  p.added_by = row.text(4);
  p.added_at = row.text(5);
  return p;
}
}  // namespace

Result<std::vector<ReferencePhoto>> RegisterStore::referencePhotos(const std::string& person) {
  // Joined with people, as templates are, so that none can outlive biometric consent.
  auto stmt = db_->prepare(
      "SELECT r.id, r.person_id, r.source, r.photo_date, r.added_by, r.added_at FROM "
      "reference_photos r JOIN people p ON p.id = r.person_id WHERE p.biometric = 'given' AND "
      "(? = '' OR r.person_id = ?) ORDER BY r.id");
  if (!stmt) return stmt.error();
  return stmt->bind({person, person}).collect(referenceFromRow);
}

Result<std::optional<ReferencePhoto>> RegisterStore::referencePhoto(std::int64_t id) {
  auto stmt = db_->prepare(std::string("SELECT ") + kReferenceColumns +
                           ", jpeg FROM reference_photos WHERE id = ? AND person_id IN (SELECT "
                           "id FROM people WHERE biometric = 'given')");
  if (!stmt) return stmt.error();
  auto rows = stmt->bind({id}).collect([](const Statement& row) {
    ReferencePhoto p = referenceFromRow(row);
    p.jpeg = row.blob(6);
    return p;
  });
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<ReferencePhoto>{};
  ReferencePhoto& photo = rows->front();
  auto jpeg = unseal(photo.jpeg, "reference_photos/" + photo.person_id);
  if (!jpeg) return jpeg.error();
  photo.jpeg = std::move(jpeg.value());
  return std::optional<ReferencePhoto>{std::move(photo)};
}

Status RegisterStore::removeReferencePhoto(std::int64_t id) {
  Database::Transaction tx(*db_);
  if (!tx.begun()) return tx.begun();
  // The foreign key would cascade; deleting the templates by hand does not rely on it.
  if (Status s = db_->execute("DELETE FROM templates WHERE reference_photo_id = ?", {id}); !s) {
    return s;
  }
  if (Status s = db_->execute("DELETE FROM reference_photos WHERE id = ?", {id}); !s) return s;
  return tx.commit();
}

Status RegisterStore::deleteTemplatesFromReferencePhotos(const std::string& person) {
  return db_->execute(
      "DELETE FROM templates WHERE person_id = ? AND reference_photo_id IS NOT NULL", {person});
}

Result<std::int64_t> readRegisterVersion(Database& db) {
  auto stmt = db.prepare("SELECT version FROM register_version");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return databaseError("the register_version row is missing");
  return stmt->integer(0);
}

Result<std::vector<StoredTemplate>> RegisterStore::templates() {
  // The version first: a change after it is read makes the next call read again, so what is
  // kept is never older than the version it is kept under.
  auto version = readRegisterVersion(*db_);
  if (!version) return version.error();
  if (*version == opened_.register_version) return opened_.templates;
  // Joined with people so that a template can never outlive its consent, even if a trigger
  // were dropped by hand.
  auto stmt = db_->prepare(
      "SELECT t.person_id, t.descriptor, t.pipeline, t.photo_date, t.source FROM templates t "
      "JOIN people p ON p.id = t.person_id WHERE p.biometric = 'given' ORDER BY t.id");
  if (!stmt) return stmt.error();
  auto rows = stmt->collect([](const Statement& row) {
    return std::make_pair(StoredTemplate{row.text(0), {}, row.text(2), row.text(3), row.text(4)},
                          row.blob(1));
  });
  if (!rows) return rows.error();
  // Every template opens, or none is used: one that could not be read might be the only one of
  // a pupil on the no-photo list.
  std::vector<StoredTemplate> templates;
  templates.reserve(rows->size());
  for (auto& [stored, sealed] : *rows) {
    auto descriptor = unseal(sealed, "templates/" + stored.person_id);
    if (!descriptor) return descriptor.error();
    if (descriptor->size() != 128 * sizeof(float)) {
      return makeError(
          "sealed_value_damaged",
          "A face template in the register is not valid. Enrol that person again.",
          "template of " + stored.person_id + ": " + std::to_string(descriptor->size()) + " bytes");
    }
    stored.descriptor = fromBlob(*descriptor);
    templates.push_back(std::move(stored));
  }
  opened_ = {*version, templates};
  return templates;
}

Result<std::vector<StaleEnrolment>> findStaleEnrolments(Database& db,
                                                        const std::string& oldest_photo_date,
                                                        const std::string& pipeline) {
  auto stmt = db.prepare(
      "SELECT t.person_id, coalesce(nullif(p.preferred_name, ''), p.given_name) || ' ' || "
      "p.family_name, p.role, max(t.photo_date), max(t.pipeline = "
      "?2), max(t.photo_date >= ?1), max(t.pipeline = ?2 AND t.photo_date >= ?1) FROM templates "
      "t JOIN people p ON p.id = t.person_id WHERE p.biometric = 'given' GROUP BY t.person_id "
      "ORDER BY t.person_id");
  if (!stmt) return stmt.error();
  stmt->bind({oldest_photo_date, pipeline});
  std::vector<StaleEnrolment> stale;
  auto rows = stmt->collect([](const Statement& r) {
    StaleEnrolment e{r.text(0), r.text(1),         parseRole(r.text(2)),
                     r.text(3), r.integer(4) == 0, r.integer(5) == 0};
    return std::make_pair(e, r.integer(6) != 0);
  });
  if (!rows) return rows.error();
  for (auto& [enrolment, anyCurrent] : *rows) {
    if (!anyCurrent) stale.push_back(std::move(enrolment));
  }
  return stale;
}

Result<std::vector<StaleEnrolment>> RegisterStore::staleEnrolments(
    const std::string& oldest_photo_date, const std::string& pipeline) {
  return findStaleEnrolments(*db_, oldest_photo_date, pipeline);
}

Result<int> RegisterStore::templateCount(const std::string& person) {
  auto stmt = db_->prepare("SELECT count(*) FROM templates WHERE person_id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({person}).step();
  if (!row) return row.error();
  return static_cast<int>(stmt->integer(0));
}

Result<std::int64_t> RegisterStore::addDevice(const Device& d) {
  if (d.make.empty() || d.model.empty()) {
    return makeError("bad_device",
                     "A device needs at least its make and model, as the camera records them "
                     "(for example Canon and Canon EOS 2000D).");
  }
  if (Status s =
          db_->execute("INSERT INTO devices (make, model, serial, description) VALUES (?, ?, ?, ?)",
                       {d.make, d.model, d.serial, d.description});
      !s) {
    if (s.error().detail.find("UNIQUE") != std::string::npos) {
      return makeError("duplicate_device", "This device is already registered.");
    }
    return s.error();
  }
  return db_->lastInsertId();
}

Result<std::vector<Device>> RegisterStore::devices() {
  auto stmt = db_->prepare("SELECT id, make, model, serial, description FROM devices ORDER BY id");
  if (!stmt) return stmt.error();
  return stmt->collect([](const Statement& row) {
    return Device{row.integer(0), row.text(1), row.text(2), row.text(3), row.text(4)};
  });
}

Status RegisterStore::removeDevice(std::int64_t id) {
  if (Status s = db_->execute("DELETE FROM devices WHERE id = ?", {id}); !s) return s;
  if (db_->changes() == 1) return okStatus();
  return makeError("unknown_device", "There is no registered device with that number.");
}

}  // namespace consentguard::reg
