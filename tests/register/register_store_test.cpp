// The consent register's store: schema migrations, consent as it stands on a date, the
// no-photo note, the biometric rule enforced by the database itself, and incidents (a likely
// match is only possible until the DSL decides, once).
#include "consentguard/register/register_store.h"

#include <sqlite3.h>

#include <fstream>

#include "support/test_support.h"

namespace consentguard::testing {
namespace {

using reg::Biometric;
using reg::RegisterStore;

std::unique_ptr<RegisterStore> openStore(const fs::path& path) {
  auto store = RegisterStore::open(path);
  if (!store) throw std::runtime_error(store.error().detail);
  return std::move(store.value());
}

reg::Person pupil(const std::string& id, const std::string& given, const std::string& family) {
  reg::Person p;
  p.id = id;
  p.given_name = given;
  p.family_name = family;
  return p;
}

std::vector<float> someDescriptor(float value = 0.1f) { return std::vector<float>(128, value); }

// Runs raw SQL on the file, as someone with the database open in a SQLite tool would.
std::string rawSql(const fs::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  sqlite3_open(db.c_str(), &handle);
  char* message = nullptr;
  const int rc =
      sqlite3_exec(handle, ("PRAGMA foreign_keys=ON;" + sql).c_str(), nullptr, nullptr, &message);
  std::string result = rc == SQLITE_OK ? "" : (message ? message : "error");
  sqlite3_free(message);
  sqlite3_close(handle);
  return result;
}

class RegisterStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ =
        scratchDir("register-store-" +
                   std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())) /
        "register.db";
    store_ = openStore(path_);
    ASSERT_TRUE(store_->savePerson(pupil("P1", "Amy", "Fowler")).ok());
  }
  fs::path path_;
  std::unique_ptr<RegisterStore> store_;
};

TEST_F(RegisterStoreTest, MigrationsRunOnceAndTheSchemaIsVersioned) {
  store_.reset();
  store_ = openStore(path_);  // a second open must not re-run migration 1
  auto stmt = store_->database().prepare("SELECT version FROM schema_version");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE(*stmt->step());
  EXPECT_EQ(stmt->integer(0), 16);
  auto person = store_->findPerson("P1");
  ASSERT_TRUE(person.ok());
  EXPECT_TRUE(person->has_value());
}

TEST_F(RegisterStoreTest, ARegisterFromANewerVersionIsRefused) {
  store_.reset();
  EXPECT_EQ(rawSql(path_, "UPDATE schema_version SET version = 99"), "");
  auto store = RegisterStore::open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "database_too_new");
}

TEST_F(RegisterStoreTest, ANewRegisterIsMadeInAFolderThatDoesNotExistYet) {
  const fs::path nested = path_.parent_path() / "var" / "school" / "consentguard.db";
  auto store = RegisterStore::open(nested);
  ASSERT_TRUE(store.ok()) << store.error().detail;
  EXPECT_TRUE(fs::exists(nested));
}

TEST_F(RegisterStoreTest, AFileThatIsNotADatabaseIsRefused) {
  const fs::path bogus = path_.parent_path() / "notes.db";
  std::ofstream(bogus) << "these are my notes, not a database, and they are long enough";
  auto store = RegisterStore::open(bogus);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "database");
  EXPECT_FALSE(store.error().message.empty());
}

TEST_F(RegisterStoreTest, ConsentIsJudgedOnTheDateOfTheCheck) {
  ASSERT_TRUE(store_->setConsent("P1", "website", true, "2026-12-31", "2026-09-01").ok());
  auto consent = store_->consent("P1", "website");
  ASSERT_TRUE(consent.ok() && consent->has_value());
  EXPECT_TRUE((*consent)->allowsOn("2026-11-23"));
  EXPECT_TRUE((*consent)->allowsOn("2026-12-31"));  // valid through its expiry day
  EXPECT_FALSE((*consent)->allowsOn("2027-01-01"));
  auto none = store_->consent("P1", "newsletter");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(RegisterStoreTest, RefusingGrantedConsentRecordsAWithdrawal) {
  ASSERT_TRUE(store_->setConsent("P1", "website", true, "", "2026-09-01").ok());
  ASSERT_TRUE(store_->setConsent("P1", "website", false, "", "2026-11-23").ok());
  auto consent = store_->consent("P1", "website");
  ASSERT_TRUE(consent.ok() && consent->has_value());
  EXPECT_EQ((*consent)->status, reg::ConsentStatus::kWithdrawn);
  EXPECT_EQ((*consent)->withdrawn_on, "2026-11-23");
  EXPECT_EQ((*consent)->recorded_on, "2026-09-01");
  EXPECT_FALSE((*consent)->allowsOn("2026-11-23"));
}

TEST_F(RegisterStoreTest, ConsentForSomeoneNotInTheRegisterIsRefused) {
  Status s = store_->setConsent("NOBODY", "website", true, "", "2026-11-23");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "unknown_person");
}

TEST_F(RegisterStoreTest, TheNoPhotoNoteIsOnlyGivenOnRequest) {
  ASSERT_TRUE(store_->setNoPhoto("P1", true, "Court order 2026/114").ok());
  auto person = store_->findPerson("P1");
  ASSERT_TRUE(person.ok());
  EXPECT_TRUE((*person)->no_photo);
  auto note = store_->noPhotoNote("P1");
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(*note, "Court order 2026/114");
  ASSERT_TRUE(store_->setNoPhoto("P1", false, "").ok());
  EXPECT_EQ(*store_->noPhotoNote("P1"), "");
}

TEST_F(RegisterStoreTest, NoTemplateWithoutBiometricConsent) {
  Status s = store_->addTemplate("P1", someDescriptor(), "amy1.png", "ssd-hogfit-1");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "no_biometric_consent");
  EXPECT_NE(s.error().message.find("Amy Fowler"), std::string::npos);
  EXPECT_EQ(*store_->templateCount("P1"), 0);
}

TEST_F(RegisterStoreTest, TheDatabaseItselfRefusesATemplateWithoutConsent) {
  // Bypass the class entirely: the trigger must still refuse.
  store_.reset();
  const std::string error =
      rawSql(path_, "INSERT INTO templates (person_id, descriptor) VALUES ('P1', X'43474B31" +
                        std::string(1096, '0') +
                        "')");  // looks sealed, so that the consent trigger is the one tested
  EXPECT_NE(error.find("no biometric consent"), std::string::npos) << error;
}

TEST_F(RegisterStoreTest, WithdrawingBiometricConsentDeletesTemplatesAtOnce) {
  ASSERT_TRUE(store_->setBiometric("P1", Biometric::kGiven, "2026-09-01").ok());
  ASSERT_TRUE(store_->addTemplate("P1", someDescriptor(0.1f), "amy1.png", "ssd-hogfit-1").ok());
  ASSERT_TRUE(store_->addTemplate("P1", someDescriptor(0.2f), "amy2.png", "ssd-hogfit-1").ok());
  EXPECT_EQ(*store_->templateCount("P1"), 2);
  EXPECT_EQ(store_->templates()->size(), 2u);

  ASSERT_TRUE(store_->setBiometric("P1", Biometric::kWithdrawn, "2026-11-23").ok());
  EXPECT_EQ(*store_->templateCount("P1"), 0);
  EXPECT_TRUE(store_->templates()->empty());
  EXPECT_FALSE(store_->addTemplate("P1", someDescriptor(), "amy3.png", "ssd-hogfit-1").ok());
}

TEST_F(RegisterStoreTest, TemplatesKeptOpenedAreReadAgainAfterAnotherConnectionsChange) {
  ASSERT_TRUE(store_->setBiometric("P1", Biometric::kGiven, "2026-09-01").ok());
  ASSERT_TRUE(store_->addTemplate("P1", someDescriptor(0.1f), "amy1.png", "ssd-hogfit-1").ok());
  ASSERT_EQ(store_->templates()->size(), 1u);  // opened and kept
  auto other = openStore(path_);               // the web pages' connection, say
  ASSERT_TRUE(other->addTemplate("P1", someDescriptor(0.2f), "amy2.png", "ssd-hogfit-1").ok());
  EXPECT_EQ(store_->templates()->size(), 2u);
  ASSERT_TRUE(other->setBiometric("P1", Biometric::kWithdrawn, "2026-11-23").ok());
  EXPECT_TRUE(store_->templates()->empty()) << "a withdrawal is never answered from what was kept";
}

TEST_F(RegisterStoreTest, AnObjectionAlsoDeletesTemplatesEvenByRawSql) {
  ASSERT_TRUE(store_->setBiometric("P1", Biometric::kGiven, "2026-09-01").ok());
  ASSERT_TRUE(store_->addTemplate("P1", someDescriptor(), "amy1.png", "ssd-hogfit-1").ok());
  store_.reset();
  EXPECT_EQ(rawSql(path_, "UPDATE people SET biometric = 'objected' WHERE id = 'P1'"), "");
  store_ = openStore(path_);
  EXPECT_EQ(*store_->templateCount("P1"), 0);
}

TEST_F(RegisterStoreTest, ErasureRemovesThePersonTheirConsentAndTemplates) {
  ASSERT_TRUE(store_->setConsent("P1", "website", true, "", "2026-09-01").ok());
  ASSERT_TRUE(store_->setBiometric("P1", Biometric::kGiven, "2026-09-01").ok());
  ASSERT_TRUE(store_->addTemplate("P1", someDescriptor(), "amy1.png", "ssd-hogfit-1").ok());
  ASSERT_TRUE(store_->erasePerson("P1").ok());
  EXPECT_FALSE(store_->findPerson("P1")->has_value());
  EXPECT_TRUE(store_->consents("P1")->empty());
  EXPECT_EQ(*store_->templateCount("P1"), 0);
  EXPECT_EQ(store_->erasePerson("P1").error().code, "unknown_person");
}

TEST_F(RegisterStoreTest, DevicesAreRegisteredOnceAndCanBeRemoved) {
  auto id = store_->addDevice({0, "Canon", "Canon EOS 40D", "1234", "Office camera"});
  ASSERT_TRUE(id.ok());
  auto again = store_->addDevice({0, "Canon", "Canon EOS 40D", "1234", "again"});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "duplicate_device");
  EXPECT_FALSE(store_->addDevice({0, "", "Model", "", ""}).ok());
  ASSERT_EQ(store_->devices()->size(), 1u);
  EXPECT_TRUE(store_->removeDevice(*id).ok());
  EXPECT_EQ(store_->removeDevice(*id).error().code, "unknown_device");
  EXPECT_TRUE(store_->devices()->empty());
}

TEST_F(RegisterStoreTest, ANestedTransactionRollsBackWithItsOuterOne) {
  {
    reg::Database::Transaction outer(store_->database());
    ASSERT_TRUE(outer.begun().ok());
    ASSERT_TRUE(store_->setConsent("P1", "website", true, "", "2026-09-01").ok());
    // outer is not committed: everything inside is undone.
  }
  EXPECT_FALSE(store_->consent("P1", "website")->has_value());
}

TEST_F(RegisterStoreTest, ALikelyMatchIsAPossibleIncidentUntilTheDslDecidesOnce) {
  ASSERT_TRUE(store_->recordIncident("P1", "website", "no_photo", "a.jpg", "recognised").ok());
  ASSERT_TRUE(store_->recordIncident("P1", "website", "no_photo", "b.jpg", "likely_match").ok());
  ASSERT_TRUE(store_->recordIncident("P1", "website", "no_consent", "c.jpg", "likely_match").ok());
  ASSERT_TRUE(
      store_->recordIncident("P1", "website", "no_photo", "d.jpg", "named_in_metadata").ok());
  const auto ids = store_->takeRecordedIncidents();
  ASSERT_EQ(ids.size(), 4u);
  EXPECT_TRUE(store_->takeRecordedIncidents().empty()) << "each id is handed over once";
  std::vector<std::string> statuses;
  for (auto id : ids) statuses.push_back((*store_->incident(id))->status);
  EXPECT_EQ(statuses, (std::vector<std::string>{"confirmed", "possible", "possible", "confirmed"}));

  ASSERT_TRUE(store_->decideIncident(ids[1], true, "user:dee.dsl").ok());
  ASSERT_TRUE(store_->decideIncident(ids[2], false, "user:dee.dsl").ok());
  const auto confirmed = *store_->incident(ids[1]), dismissed = *store_->incident(ids[2]);
  EXPECT_EQ(confirmed->status, "confirmed");
  EXPECT_EQ(confirmed->decided_by, "user:dee.dsl");
  EXPECT_FALSE(confirmed->decided_at.empty());
  EXPECT_EQ(dismissed->status, "dismissed");
  // Decided once: neither a second decision nor a sure one can be changed.
  EXPECT_EQ(store_->decideIncident(ids[2], true, "user:dee.dsl").error().code, "already_decided");
  EXPECT_EQ(store_->decideIncident(ids[0], false, "user:dee.dsl").error().code, "already_decided");
  EXPECT_EQ(store_->decideIncident(999, true, "user:dee.dsl").error().code, "not_found");
  EXPECT_EQ((*store_->incident(ids[2]))->status, "dismissed");
  // Nor behind the store's back.
  store_.reset();
  const std::string error = rawSql(
      path_, "UPDATE incidents SET status = 'confirmed' WHERE id = " + std::to_string(ids[2]));
  EXPECT_NE(error.find("only once"), std::string::npos) << error;
}

TEST_F(RegisterStoreTest, AnIncidentIsAttachedToItsPhotoAndAPhotoCheckedAgainIsOneAttempt) {
  ASSERT_TRUE(store_->recordIncident("P1", "website", "no_photo", "a.jpg", "likely_match").ok());
  const auto first = store_->takeRecordedIncidents();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(*store_->attachIncident(first[0], "job1", "10,20,30,40"), first[0]);
  const auto attached = *store_->incident(first[0]);
  EXPECT_EQ(attached->job_id, "job1");
  EXPECT_EQ(attached->box, "10,20,30,40");
  ASSERT_TRUE(store_->decideIncident(first[0], false, "user:dee.dsl").ok());

  // The same photo checked again: the same pupil and code is the same attempt, and the DSL's
  // decision stands. Another pupil's, or another photo's, is an incident of its own.
  ASSERT_TRUE(store_->savePerson(pupil("P2", "Howard", "Wolowitz")).ok());
  ASSERT_TRUE(store_->recordIncident("P1", "website", "no_photo", "a.jpg", "likely_match").ok());
  ASSERT_TRUE(store_->recordIncident("P2", "website", "no_photo", "a.jpg", "likely_match").ok());
  ASSERT_TRUE(store_->recordIncident("P1", "website", "no_photo", "e.jpg", "likely_match").ok());
  const auto again = store_->takeRecordedIncidents();
  ASSERT_EQ(again.size(), 3u);
  EXPECT_EQ(*store_->attachIncident(again[0], "job1", "11,20,30,40"), first[0]);
  EXPECT_EQ(*store_->attachIncident(again[1], "job1", "90,20,30,40"), again[1]);
  EXPECT_EQ(*store_->attachIncident(again[2], "job2", "11,20,30,40"), again[2]);
  EXPECT_FALSE(store_->incident(again[0])->has_value());
  EXPECT_EQ(*store_->incidentCount(), 3);
  EXPECT_EQ((*store_->incident(first[0]))->status, "dismissed");
  const auto newestFirst = *store_->incidents();
  ASSERT_EQ(newestFirst.size(), 3u);
  EXPECT_EQ(newestFirst.front().id, again[2]);
}

TEST_F(RegisterStoreTest, LikelyMatchesRecordedBeforeSchema14BecomePossible) {
  ASSERT_TRUE(store_->recordIncident("P1", "website", "no_photo", "a.jpg", "recognised").ok());
  store_.reset();
  // The register as schema 13 left it, with a likely match recorded as an incident.
  EXPECT_EQ(rawSql(path_,
                   "DROP TABLE user_roles; ALTER TABLE takedowns DROP COLUMN withdrawn_copy; "
                   "DROP TABLE offered_faces; DROP TRIGGER incidents_are_decided_once; DROP INDEX "
                   "incidents_by_job; "
                   "ALTER TABLE incidents DROP COLUMN status; ALTER TABLE incidents DROP COLUMN "
                   "job_id; ALTER TABLE incidents DROP COLUMN box; ALTER TABLE incidents DROP "
                   "COLUMN decided_by; ALTER TABLE incidents DROP COLUMN decided_at; INSERT INTO "
                   "incidents (person_id, channel, code, photo, evidence) VALUES ('P1', "
                   "'website', 'no_photo', 'b.jpg', 'likely_match'); UPDATE schema_version SET "
                   "version = 13"),
            "");
  store_ = openStore(path_);
  std::vector<std::string> statuses;
  const auto incidents = store_->incidents();
  ASSERT_TRUE(incidents.ok());
  for (const auto& i : *incidents) statuses.push_back(i.photo + " " + i.status);
  EXPECT_EQ(statuses, (std::vector<std::string>{"b.jpg possible", "a.jpg confirmed"}));
}

}  // namespace
}  // namespace consentguard::testing
