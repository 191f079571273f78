#include "migrations.h"

#include <string>
#include <vector>

namespace consentguard::reg {
namespace {

// Append new migrations; never edit one that has shipped.
const std::vector<std::string> kMigrations = {
    // 1: people, consent per channel, the no-photo list, biometric consent, face templates,
    // school devices, incidents.
    R"sql(
CREATE TABLE people (
  id TEXT PRIMARY KEY CHECK (length(id) > 0),
  role TEXT NOT NULL CHECK (role IN ('pupil', 'staff')),
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  preferred_name TEXT NOT NULL DEFAULT '',
  year_group TEXT NOT NULL DEFAULT '',
  left_on TEXT NOT NULL DEFAULT '',
  no_photo INTEGER NOT NULL DEFAULT 0 CHECK (no_photo IN (0, 1)),
  no_photo_note TEXT NOT NULL DEFAULT '',
  biometric TEXT NOT NULL DEFAULT 'not_given'
    CHECK (biometric IN ('not_given', 'given', 'objected', 'withdrawn')),
  biometric_changed_on TEXT NOT NULL DEFAULT ''
);
CREATE TABLE consent (
  person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  channel TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('granted', 'refused', 'withdrawn')),
  recorded_on TEXT NOT NULL DEFAULT '',
  expires_on TEXT NOT NULL DEFAULT '',
  withdrawn_on TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (person_id, channel)
);
CREATE TABLE templates (
  id INTEGER PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  descriptor BLOB NOT NULL CHECK (length(descriptor) = 512),
  source TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX templates_by_person ON templates(person_id);
-- The biometric rule lives in the database, so no code path can get round it.
CREATE TRIGGER templates_need_biometric_consent BEFORE INSERT ON templates
  WHEN (SELECT biometric FROM people WHERE id = NEW.person_id) IS NOT 'given'
  BEGIN SELECT RAISE(ABORT, 'no biometric consent for this person'); END;
CREATE TRIGGER templates_keep_their_person BEFORE UPDATE OF person_id ON templates
  BEGIN SELECT RAISE(ABORT, 'a template cannot be moved to another person'); END;
CREATE TRIGGER biometric_withdrawal_deletes_templates AFTER UPDATE OF biometric ON people
  WHEN NEW.biometric IS NOT 'given'
  BEGIN DELETE FROM templates WHERE person_id = NEW.id; END;
CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  make TEXT NOT NULL CHECK (length(make) > 0),
  model TEXT NOT NULL CHECK (length(model) > 0),
  serial TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  UNIQUE (make, model, serial)
);
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  occurred_at TEXT NOT NULL DEFAULT (datetime('now')),
  person_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  code TEXT NOT NULL,
  photo TEXT NOT NULL DEFAULT ''
);
)sql",
    // 2: the durable queue of submitted photos (queue/job_queue.h). A job's id is derived from
    // its channel and bytes, so the same photo submitted twice for a channel is one job.
    R"sql(
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  caption TEXT NOT NULL DEFAULT '',
  alt_text TEXT NOT NULL DEFAULT '',
  file_name TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL CHECK (source IN ('folder', 'api')),
  original_path TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'processing', 'finishing', 'done')),
  verdict TEXT NOT NULL DEFAULT '',
  result_json TEXT NOT NULL DEFAULT '',
  output_path TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX jobs_by_state ON jobs(state, created_at);
)sql",
    // 3: API keys for the CMS and other tools, stored as SHA-256 of the key (the keys are 256
    // random bits, so a slow hash adds nothing), each scoped to channels; a key for the MIS
    // link may also manage the register.
    R"sql(
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  key_sha256 TEXT NOT NULL UNIQUE,
  channels TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  revoked INTEGER NOT NULL DEFAULT 0,
  manages_register INTEGER NOT NULL DEFAULT 0 CHECK (manages_register IN (0, 1))
);
)sql",
    // 4: a held photo is checked again when a person in it has a change of consent; the
    // outcome it had is recorded so that the next attempt removes it (once) before writing anew.
    R"sql(
ALTER TABLE jobs ADD COLUMN previous_output TEXT NOT NULL DEFAULT '';
)sql",
    // 5: people who sign in to the review page (service/accounts.h), their sessions, the
    // decisions SLT make on held photos, faces SLT identify, and the hash-chained audit trail
    // (audit/audit_log.h). Audit entries may only be added: triggers refuse edits and deletions,
    // and the chain of hashes shows any that get round the triggers.
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
  role TEXT NOT NULL CHECK (role IN ('office', 'slt', 'dsl', 'admin')),
  password_salt TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  password_iterations INTEGER NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT NOT NULL DEFAULT '',
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE sessions (
  token_sha256 TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  expires_at TEXT NOT NULL
);
ALTER TABLE jobs ADD COLUMN submitted_by TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN first_verdict TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN decision TEXT NOT NULL DEFAULT ''
  CHECK (decision IN ('', 'approved', 'rejected', 'redacted'));
ALTER TABLE jobs ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN decision_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN decided_at TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN redacted_path TEXT NOT NULL DEFAULT '';
CREATE TABLE identified_faces (
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  box TEXT NOT NULL,
  person_id TEXT NOT NULL,
  identified_by TEXT NOT NULL,
  identified_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (job_id, box)
);
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
-- The newest entry, kept apart so that deleting entries from the end of the chain shows too.
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
)sql",
    // 6: retention (rule 7). When a photo's time is up its files are deleted and its record
    // keeps only what the audit and the termly report need (verdict, reason codes, decision).
    R"sql(
ALTER TABLE jobs ADD COLUMN purged_at TEXT NOT NULL DEFAULT '';
)sql",
    // 7: the face pipeline that made each template (FaceEngine::pipelineVersion). Templates
    // made before were all made from dlib's boxes.
    R"sql(
ALTER TABLE templates ADD COLUMN pipeline TEXT NOT NULL DEFAULT 'dlib-box-1';
)sql",
    // 8: children's faces change. Each template keeps the day its reference photo was taken
    // (the photo's own date, else the day it was enrolled), so that an old one stops
    // permitting; each incident keeps its evidence (recognised, a likely match, or named in
    // the photo's own metadata).
    R"sql(
ALTER TABLE templates ADD COLUMN photo_date TEXT NOT NULL DEFAULT '';
UPDATE templates SET photo_date = substr(created_at, 1, 10);
ALTER TABLE incidents ADD COLUMN evidence TEXT NOT NULL DEFAULT 'recognised'
  CHECK (evidence IN ('recognised', 'likely_match', 'named_in_metadata'));
)sql",
    // 9: takedowns. Who is in each published photo is kept while it is published (a consent
    // withdrawn later must reach it); a photo a pupil must no longer appear in gets one open
    // takedown, until the school marks it done.
    R"sql(
CREATE TABLE published_people (
  job_id TEXT NOT NULL REFERENCES jobs(id),
  person_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  how TEXT NOT NULL CHECK (how IN ('recognised', 'identified')),
  PRIMARY KEY (job_id, person_id)
);
CREATE INDEX published_people_by_person ON published_people(person_id);
CREATE TABLE takedowns (
  id INTEGER PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES jobs(id),
  channel TEXT NOT NULL,
  person_id TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('consent_withdrawn', 'no_photo', 'consent_expired')),
  since TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  done_at TEXT NOT NULL DEFAULT '',
  done_by TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX one_takedown_per_photo ON takedowns(job_id);
)sql",
    // 10: the one-time set-up code for the first administrator (service/first_run.h), kept
    // only as its SHA-256, and only while there are no accounts.
    R"sql(
CREATE TABLE setup_code (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  code_sha256 TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
)sql",
    // 11: reference photos (kept only while biometric consent is given, so that templates can
    // be rebuilt when the face engine changes: RegisterStore::addReferencePhoto), CSV imports
    // waiting for the admin to confirm their preview, people's email addresses, and the mail
    // waiting to be sent (service/notifier.h) with what has been told already.
    R"sql(
CREATE TABLE reference_photos (
  id INTEGER PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  jpeg BLOB NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  photo_date TEXT NOT NULL,
  added_by TEXT NOT NULL DEFAULT '',
  added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX reference_photos_by_person ON reference_photos(person_id);
CREATE TRIGGER reference_photos_need_biometric_consent BEFORE INSERT ON reference_photos
  WHEN (SELECT biometric FROM people WHERE id = NEW.person_id) IS NOT 'given'
  BEGIN SELECT RAISE(ABORT, 'no biometric consent for this person'); END;
CREATE TRIGGER biometric_withdrawal_deletes_reference_photos AFTER UPDATE OF biometric ON people
  WHEN NEW.biometric IS NOT 'given'
  BEGIN DELETE FROM reference_photos WHERE person_id = NEW.id; END;
ALTER TABLE templates ADD COLUMN reference_photo_id INTEGER
  REFERENCES reference_photos(id) ON DELETE CASCADE;
CREATE TABLE pending_imports (
  token TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  text BLOB NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY,
  event TEXT NOT NULL UNIQUE,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL DEFAULT '',
  last_error TEXT NOT NULL DEFAULT '',
  sent_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE notify_state (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql",
    // 12: the register's version, raised by every change to people (the no-photo list,
    // biometric consent), consent, templates and devices, so that the outcome of a check is
    // recorded only if the register it read is still the register (JobQueue::recordDecision);
    // and drops into an inbox that repeat a photo already submitted, under a name of their own
    // (each gets a note beside the earlier one's outcome: service/outcome_writer.h).
    R"sql(
CREATE TABLE register_version (version INTEGER NOT NULL);
INSERT INTO register_version VALUES (0);
CREATE TRIGGER people_insert_changes_the_register AFTER INSERT ON people
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER people_update_changes_the_register AFTER UPDATE ON people
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER people_delete_changes_the_register AFTER DELETE ON people
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER consent_insert_changes_the_register AFTER INSERT ON consent
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER consent_update_changes_the_register AFTER UPDATE ON consent
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER consent_delete_changes_the_register AFTER DELETE ON consent
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER templates_insert_changes_the_register AFTER INSERT ON templates
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER templates_update_changes_the_register AFTER UPDATE ON templates
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER templates_delete_changes_the_register AFTER DELETE ON templates
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER devices_insert_changes_the_register AFTER INSERT ON devices
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER devices_update_changes_the_register AFTER UPDATE ON devices
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER devices_delete_changes_the_register AFTER DELETE ON devices
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TABLE repeat_drops (
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  note_path TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (job_id, file_name)
);
)sql",
    // 13: face templates and reference photos sealed with the data key (register/data_key.h).
    // The templates table is rebuilt without its 512-byte check (a sealed template is longer),
    // with its triggers as they were; the database itself refuses an unsealed value from now
    // on. The values already there are sealed by RegisterStore::open, which holds the key; the
    // key's id and a sealed check value sit in data_key, so that a wrong key is an error at
    // start rather than garbage matches.
    R"sql(
DROP TRIGGER templates_need_biometric_consent;
DROP TRIGGER templates_keep_their_person;
DROP TRIGGER biometric_withdrawal_deletes_templates;
DROP TRIGGER templates_insert_changes_the_register;
DROP TRIGGER templates_update_changes_the_register;
DROP TRIGGER templates_delete_changes_the_register;
CREATE TABLE templates_sealed (
  id INTEGER PRIMARY KEY,
  person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  descriptor BLOB NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (datetime('now')),
  pipeline TEXT NOT NULL DEFAULT 'dlib-box-1',
  photo_date TEXT NOT NULL DEFAULT '',
  reference_photo_id INTEGER REFERENCES reference_photos(id) ON DELETE CASCADE
);
INSERT INTO templates_sealed (id, person_id, descriptor, source, created_at, pipeline,
                              photo_date, reference_photo_id)
  SELECT id, person_id, descriptor, source, created_at, pipeline, photo_date, reference_photo_id
  FROM templates;
DROP TABLE templates;
ALTER TABLE templates_sealed RENAME TO templates;
CREATE INDEX templates_by_person ON templates(person_id);
CREATE TRIGGER templates_need_biometric_consent BEFORE INSERT ON templates
  WHEN (SELECT biometric FROM people WHERE id = NEW.person_id) IS NOT 'given'
  BEGIN SELECT RAISE(ABORT, 'no biometric consent for this person'); END;
CREATE TRIGGER templates_keep_their_person BEFORE UPDATE OF person_id ON templates
  BEGIN SELECT RAISE(ABORT, 'a template cannot be moved to another person'); END;
CREATE TRIGGER biometric_withdrawal_deletes_templates AFTER UPDATE OF biometric ON people
  WHEN NEW.biometric IS NOT 'given'
  BEGIN DELETE FROM templates WHERE person_id = NEW.id; END;
CREATE TRIGGER templates_insert_changes_the_register AFTER INSERT ON templates
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER templates_update_changes_the_register AFTER UPDATE ON templates
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER templates_delete_changes_the_register AFTER DELETE ON templates
  BEGIN UPDATE register_version SET version = version + 1; END;
CREATE TRIGGER templates_are_sealed BEFORE INSERT ON templates
  WHEN substr(NEW.descriptor, 1, 4) IS NOT X'43474B31'
  BEGIN SELECT RAISE(ABORT, 'a face template must be sealed with the data key'); END;
CREATE TRIGGER templates_stay_sealed BEFORE UPDATE OF descriptor ON templates
  WHEN substr(NEW.descriptor, 1, 4) IS NOT X'43474B31'
  BEGIN SELECT RAISE(ABORT, 'a face template must be sealed with the data key'); END;
CREATE TRIGGER reference_photos_are_sealed BEFORE INSERT ON reference_photos
  WHEN substr(NEW.jpeg, 1, 4) IS NOT X'43474B31'
  BEGIN SELECT RAISE(ABORT, 'a reference photo must be sealed with the data key'); END;
CREATE TRIGGER reference_photos_stay_sealed BEFORE UPDATE OF jpeg ON reference_photos
  WHEN substr(NEW.jpeg, 1, 4) IS NOT X'43474B31'
  BEGIN SELECT RAISE(ABORT, 'a reference photo must be sealed with the data key'); END;
CREATE TABLE data_key (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  key_id TEXT NOT NULL,
  check_value BLOB NOT NULL
);
)sql",
    // 14: possible incidents (issue 21). A likely match is only possibly the protected pupil:
    // its incident is "possible" until the DSL confirms it ("it is them") or dismisses it ("not
    // them"), once; only confirmed ones count in the termly report. A sure recognition or a name
    // in the photo's own metadata is confirmed as it is recorded. Each incident keeps the photo
    // (its job) and the face's box, so that the DSL sees the face; incidents recorded before
    // keep neither, and their likely matches become possible.
    R"sql(
ALTER TABLE incidents ADD COLUMN status TEXT NOT NULL DEFAULT 'confirmed'
  CHECK (status IN ('possible', 'confirmed', 'dismissed'));
ALTER TABLE incidents ADD COLUMN job_id TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN box TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN decided_at TEXT NOT NULL DEFAULT '';
UPDATE incidents SET status = 'possible' WHERE evidence = 'likely_match';
CREATE INDEX incidents_by_job ON incidents(job_id);
CREATE TRIGGER incidents_are_decided_once BEFORE UPDATE OF status ON incidents
  WHEN OLD.status IS NOT 'possible' AND NEW.status IS NOT OLD.status
  BEGIN SELECT RAISE(ABORT, 'an incident is confirmed or dismissed only once'); END;
)sql",
    // 15: faces offered as reference photos (issue 21, queue/offered_faces.h). When a senior
    // leader identifies a face as a pupil with biometric consent, or approves a photo that names
    // one, the face (its photo's job and its box, never a copy of it) is offered to the admin,
    // once per job, box and pupil; the admin adds it or turns it down, and the offer is closed.
    R"sql(
CREATE TABLE offered_faces (
  id INTEGER PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES jobs(id),
  box TEXT NOT NULL,
  person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  how TEXT NOT NULL CHECK (how IN ('identified', 'approved')),
  offered_by TEXT NOT NULL,
  offered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'added', 'declined')),
  closed_by TEXT NOT NULL DEFAULT '',
  closed_at TEXT NOT NULL DEFAULT '',
  UNIQUE (job_id, box, person_id)
);
CREATE INDEX offered_faces_by_person ON offered_faces(person_id, status);
)sql",
    // 16 (issue 22): an account may hold several roles (service/roles.h); users.role stays as the
    // role it was made with. A takedown moves the published copy the service holds out of the
    // outbox (service/takedown_files.h): where it went is kept until the takedown is done, when
    // the copy is deleted.
    R"sql(
CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('office', 'slt', 'dsl', 'admin')),
  PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles (user_id, role) SELECT id, role FROM users;
ALTER TABLE takedowns ADD COLUMN withdrawn_copy TEXT NOT NULL DEFAULT '';
)sql",
};

Result<int> currentVersion(Database& db) {
  if (Status s = db.executeScript("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER "
                                  "NOT NULL); INSERT INTO schema_version SELECT 0 WHERE NOT "
                                  "EXISTS (SELECT 1 FROM schema_version);");
      !s) {
    return s.error();
  }
  auto stmt = db.prepare("SELECT version FROM schema_version");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return static_cast<int>(stmt->integer(0));
}

}  // namespace

Status migrate(Database& db) {
  Database::Transaction lock(db);
  if (!lock.begun()) return lock.begun().error();
  auto version = currentVersion(db);
  if (!version) return version.error();
  if (*version > static_cast<int>(kMigrations.size())) {
    return makeError("database_too_new",
                     "The consent register was made by a newer version of Consent Guard. Update "
                     "Consent Guard before using it.",
                     "schema version " + std::to_string(*version));
  }
  for (int v = *version; v < static_cast<int>(kMigrations.size()); ++v) {
    if (Status s = db.executeScript(kMigrations[static_cast<size_t>(v)]); !s) return s;
    if (Status s = db.execute("UPDATE schema_version SET version = ?", {std::int64_t{v + 1}}); !s) {
      return s;
    }
  }
  return lock.commit();
}

}  // namespace consentguard::reg
