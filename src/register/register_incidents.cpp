// RegisterStore and incidents (rule 8): recording them as the checks find them, attaching them
// to the photo's job and face, and the DSL's decision on a possible one (issue 21: a likely
// match is not an incident until a person says so).
#include "consentguard/register/register_store.h"

namespace consentguard::reg {
namespace {

constexpr const char* kIncidentColumns =
    "id, occurred_at, person_id, channel, code, photo, evidence, status, job_id, box, "
    "decided_by, decided_at";

Incident readIncident(Statement& r) {
  return Incident{r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4),  r.text(5),
                  r.text(6),    r.text(7), r.text(8), r.text(9), r.text(10), r.text(11)};
}

}  // namespace

Status RegisterStore::recordIncident(const std::string& person, const std::string& channel,
                                     const std::string& code, const std::string& photo,
                                     const std::string& evidence) {
  // Only a likely match leaves room for doubt: a sure recognition, or a name the photo's own
  // details give, is an incident as it stands.
  const std::string status = evidence == "likely_match" ? "possible" : "confirmed";
  if (Status s = db_->execute(
          "INSERT INTO incidents (person_id, channel, code, photo, evidence, status) VALUES (?, "
          "?, ?, ?, ?, ?)",
          {person, channel, code, photo, evidence, status});
      !s) {
    return s;
  }
  recorded_incidents_.push_back(db_->lastInsertId());
  return okStatus();
}

std::vector<std::int64_t> RegisterStore::takeRecordedIncidents() {
  return std::exchange(recorded_incidents_, {});
}

Result<std::int64_t> RegisterStore::attachIncident(std::int64_t id, const std::string& job_id,
                                                   const std::string& box) {
  Database::Transaction transaction(*db_);
  if (!transaction.begun()) return transaction.begun().error();
  auto earlier = db_->prepare(
      "SELECT e.id FROM incidents e JOIN incidents n ON n.id = ?1 WHERE e.job_id = ?2 AND "
      "e.person_id = n.person_id AND e.code = n.code AND e.id <> n.id ORDER BY e.id LIMIT 1");
  if (!earlier) return earlier.error();
  auto found = earlier->bind({id, job_id}).step();
  if (!found) return found.error();
  if (*found) {
    const std::int64_t stands = earlier->integer(0);
    if (Status s = db_->execute("DELETE FROM incidents WHERE id = ?", {id}); !s) return s.error();
    if (Status s = transaction.commit(); !s) return s.error();
    return stands;
  }
  if (Status s =
          db_->execute("UPDATE incidents SET job_id = ?, box = ? WHERE id = ?", {job_id, box, id});
      !s) {
    return s.error();
  }
  if (Status s = transaction.commit(); !s) return s.error();
  return id;
}

Result<std::vector<Incident>> RegisterStore::incidents(int limit) {
  auto stmt = db_->prepare(std::string("SELECT ") + kIncidentColumns +
                           " FROM incidents ORDER BY id DESC LIMIT ?");
  if (!stmt) return stmt.error();
  return stmt->bind({std::int64_t{limit}}).collect(readIncident);
}

Result<std::optional<Incident>> RegisterStore::incident(std::int64_t id) {
  auto stmt =
      db_->prepare(std::string("SELECT ") + kIncidentColumns + " FROM incidents WHERE id = ?");
  if (!stmt) return stmt.error();
  auto row = stmt->bind({id}).step();
  if (!row) return row.error();
  if (!*row) return std::optional<Incident>();
  return std::optional<Incident>(readIncident(*stmt));
}

Status RegisterStore::decideIncident(std::int64_t id, bool confirmed, const std::string& actor) {
  Database::Transaction transaction(*db_);
  if (!transaction.begun()) return transaction.begun();
  auto current = incident(id);
  if (!current) return current.error();
  if (!*current) {
    return makeError("not_found", "There is no incident with this number.",
                     "incident " + std::to_string(id));
  }
  if ((*current)->status != "possible") {
    return makeError("already_decided",
                     "This incident has been decided already: it is " + (*current)->status +
                         ". Nothing was changed.",
                     "incident " + std::to_string(id));
  }
  if (Status s = db_->execute(
          "UPDATE incidents SET status = ?, decided_by = ?, decided_at = strftime('%Y-%m-%dT%H:"
          "%M:%SZ', 'now') WHERE id = ? AND status = 'possible'",
          {std::string(confirmed ? "confirmed" : "dismissed"), actor, id});
      !s) {
    return s;
  }
  return transaction.commit();
}

Result<int> RegisterStore::incidentCount() {
  auto stmt = db_->prepare("SELECT count(*) FROM incidents");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return static_cast<int>(stmt->integer(0));
}

}  // namespace consentguard::reg
