#include "consentguard/register/csv_import.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "consentguard/common/dates.h"
#include "consentguard/common/text.h"
#include "consentguard/register/csv_reader.h"

namespace consentguard::reg {
namespace {

constexpr size_t kMaxFieldLength = 200;

struct Row {
  int line = 0;
  Person person;
  std::map<std::string, bool> consent;  // channel -> yes/no
  std::string consent_expires;
  bool biometric = false;
};

// Maps each known column name to its index; collects the problems with the header.
class Header {
 public:
  Header(const std::vector<std::string>& names, const ImportOptions& options,
         std::vector<std::string>& problems, ImportReport& report) {
    required_ = {"id", "role", "given_name", "family_name", "no_photo", "biometric_consent"};
    for (const auto& channel : options.channels) required_.push_back("consent_" + channel);
    const std::set<std::string> optional = {"preferred_name", "year_group", "consent_expires",
                                            "left_on"};
    for (size_t i = 0; i < names.size(); ++i) {
      const std::string name = toLowerAscii(trimSpace(names[i]));
      const bool known = std::find(required_.begin(), required_.end(), name) != required_.end() ||
                         optional.count(name);
      if (index_.count(name)) {
        problems.push_back("Line 1: the column '" + name + "' appears twice.");
      } else if (known) {
        index_[name] = i;
      } else if (name.rfind("consent_", 0) == 0) {
        // A misspelt consent column would silently lose a parent's decision.
        problems.push_back("Line 1: the column '" + name +
                           "' is not a channel Consent Guard knows. The channels are set in "
                           "the configuration file.");
      } else {
        report.ignored_columns.push_back(name);
      }
    }
    for (const auto& name : required_) {
      if (!index_.count(name)) {
        problems.push_back("Line 1: the required column '" + name + "' is missing.");
      }
    }
  }

  std::string get(const CsvRecord& record, const std::string& name) const {
    auto it = index_.find(name);
    if (it == index_.end() || it->second >= record.fields.size()) return {};
    return trimSpace(record.fields[it->second]);
  }

 private:
  std::vector<std::string> required_;
  std::map<std::string, size_t> index_;
};

std::optional<bool> yesNo(const std::string& value) {
  const std::string v = toLowerAscii(value);
  if (v == "yes") return true;
  if (v == "no") return false;
  return std::nullopt;
}

std::optional<Row> parseRow(const CsvRecord& record, size_t columns, const Header& header,
                            const ImportOptions& options, std::vector<std::string>& problems) {
  const std::string at = "Line " + std::to_string(record.line) + ": ";
  const size_t before = problems.size();
  if (record.fields.size() != columns) {
    problems.push_back(at + "it has " + std::to_string(record.fields.size()) + " fields but the " +
                       "header has " + std::to_string(columns) + ".");
    return std::nullopt;
  }
  for (const auto& field : record.fields) {
    if (field.size() > kMaxFieldLength) {
      problems.push_back(at + "a field is longer than " + std::to_string(kMaxFieldLength) +
                         " characters.");
      return std::nullopt;
    }
  }
  Row row;
  row.line = record.line;
  Person& p = row.person;
  p.id = header.get(record, "id");
  if (p.id.empty()) problems.push_back(at + "the id is empty.");
  const std::string role = toLowerAscii(header.get(record, "role"));
  if (role == "pupil" || role == "staff") {
    p.role = role == "staff" ? Role::kStaff : Role::kPupil;
  } else {
    problems.push_back(at + "role must be pupil or staff, not '" + role + "'.");
  }
  p.given_name = header.get(record, "given_name");
  p.family_name = header.get(record, "family_name");
  if (p.given_name.empty()) problems.push_back(at + "given_name is empty.");
  if (p.family_name.empty()) problems.push_back(at + "family_name is empty.");
  p.preferred_name = header.get(record, "preferred_name");
  p.year_group = header.get(record, "year_group");

  const auto yesNoField = [&](const std::string& column) {
    const std::string value = header.get(record, column);
    auto parsed = yesNo(value);
    if (!parsed) problems.push_back(at + column + " must be yes or no, not '" + value + "'.");
    return parsed.value_or(false);
  };
  p.no_photo = yesNoField("no_photo");
  row.biometric = yesNoField("biometric_consent");
  for (const auto& channel : options.channels) {
    row.consent[channel] = yesNoField("consent_" + channel);
  }
  const auto dateField = [&](const std::string& column) {
    const std::string value = header.get(record, column);
    if (!value.empty() && !isIsoDate(value)) {
      problems.push_back(at + column + " must be a date written as YYYY-MM-DD, not '" + value +
                         "'.");
    }
    return value;
  };
  row.consent_expires = dateField("consent_expires");
  p.left_on = dateField("left_on");
  if (problems.size() != before) return std::nullopt;
  return row;
}

Error rejected(const std::vector<std::string>& problems) {
  std::string message = "The register file was not imported: " + std::to_string(problems.size()) +
                        " problem" + (problems.size() == 1 ? "" : "s") +
                        ". Correct the file and import it again; nothing was changed.";
  for (const auto& problem : problems) message += "\n" + problem;
  return makeError("bad_csv", message);
}

std::string consentWords(const std::optional<ChannelConsent>& c) {
  if (!c) return "not recorded";
  if (c->status == ConsentStatus::kGranted) {
    return c->expires_on.empty() ? "given" : "given until " + c->expires_on;
  }
  return c->status == ConsentStatus::kWithdrawn ? "withdrawn" : "refused";
}

// What changed in the person's own details, in words.
void detailChanges(const Person& before, const Person& after, std::vector<std::string>& out) {
  const auto changed = [&](const std::string& what, const std::string& from,
                           const std::string& to) {
    if (from != to) {
      out.push_back(what + " " + (from.empty() ? "(none)" : from) + " to " +
                    (to.empty() ? "(none)" : to));
    }
  };
  changed("given name", before.given_name, after.given_name);
  changed("family name", before.family_name, after.family_name);
  changed("preferred name", before.preferred_name, after.preferred_name);
  changed("year group", before.year_group, after.year_group);
  changed("leaving date", before.left_on, after.left_on);
  if (before.role != after.role) {
    out.push_back(after.role == Role::kStaff ? "now staff" : "now a pupil");
  }
}

Status writeRow(RegisterStore& store, const Row& row, const ImportOptions& options,
                ImportReport& report) {
  auto existing = store.findPerson(row.person.id);
  if (!existing) return existing.error();
  if (!*existing) ++report.added;
  ImportedPerson told;
  told.id = row.person.id;
  told.name = row.person.displayName();
  told.added = !*existing;
  bool changed = *existing && (*existing)->no_photo != row.person.no_photo;
  if (*existing) {
    detailChanges(**existing, row.person, told.changes);
    if (!(*existing)->no_photo && row.person.no_photo) {
      told.withdrawals.push_back("put on the no-photo list");
    } else if ((*existing)->no_photo && !row.person.no_photo) {
      told.changes.push_back("taken off the no-photo list");
    }
  } else if (row.person.no_photo) {
    told.changes.push_back("on the no-photo list");
  }
  if (Status s = store.savePerson(row.person); !s) return s;
  for (const auto& [channel, granted] : row.consent) {
    auto before = store.consent(row.person.id, channel);
    if (!before) return before.error();
    if (Status s =
            store.setConsent(row.person.id, channel, granted, row.consent_expires, options.today);
        !s) {
      return s;
    }
    const bool withdrawn = !granted && *before && (*before)->status == ConsentStatus::kGranted;
    if (withdrawn) ++report.consents_withdrawn;
    auto after = store.consent(row.person.id, channel);
    if (!after) return after.error();
    if (*before && (!*after || (*before)->status != (*after)->status ||
                    (*before)->expires_on != (*after)->expires_on)) {
      changed = true;
    }
    const std::string was = consentWords(*before), now = consentWords(*after);
    if (withdrawn) {
      told.withdrawals.push_back("consent for " + channel + " withdrawn");
    } else if (told.added ? (*after && (*after)->status == ConsentStatus::kGranted)
                          : was != now) {
      told.changes.push_back("consent for " + channel + " " + now);
    }
  }
  const Biometric current = *existing ? (*existing)->biometric : Biometric::kNotGiven;
  // A pupil's own objection outranks the parent's consent (POFA s.26(5)): an import never
  // overturns it.
  Biometric next = current;
  if (row.biometric && current != Biometric::kObjected) next = Biometric::kGiven;
  if (!row.biometric && current == Biometric::kGiven) next = Biometric::kWithdrawn;
  if (next != current) {
    auto count = store.templateCount(row.person.id);
    if (!count) return count.error();
    if (next != Biometric::kGiven) {
      report.templates_deleted += *count;
      told.withdrawals.push_back(
          "biometric consent withdrawn" +
          (*count > 0 ? " (" + std::to_string(*count) + " face template(s) deleted)"
                      : std::string()));
    } else {
      told.changes.push_back("biometric consent given");
    }
    if (Status s = store.setBiometric(row.person.id, next, options.today); !s) return s;
    changed = changed || *existing;
  }
  if (changed) report.people_changed.push_back(row.person.id);
  // Counted as the preview lists them: someone already in the register is "updated" only
  // when something of theirs changes (re-importing the same file updates nobody).
  if (*existing) (told.changes.empty() && told.withdrawals.empty() ? report.unchanged : report.updated)++;
  if (told.added || !told.changes.empty() || !told.withdrawals.empty()) {
    report.people.push_back(std::move(told));
  }
  return okStatus();
}

}  // namespace

Result<ImportReport> importRegisterCsv(RegisterStore& store, std::string_view text,
                                       const ImportOptions& options) {
  if (text.size() > options.max_bytes) {
    return makeError("bad_csv", "The register file is too large (" +
                                    std::to_string(text.size() >> 20) +
                                    " MB). Nothing was "
                                    "imported; check that the right file was chosen.");
  }
  auto records = readCsv(text);
  if (!records) return records.error();
  if (records->empty()) {
    return makeError("bad_csv", "The register file is empty. Nothing was imported.");
  }
  if (records->size() - 1 > options.max_rows) {
    return makeError("bad_csv", "The register file has more than " +
                                    std::to_string(options.max_rows) +
                                    " rows. Nothing was imported; check the file.");
  }

  ImportReport report;
  std::vector<std::string> problems;
  const CsvRecord& headerRecord = records->front();
  const Header header(headerRecord.fields, options, problems, report);
  if (!problems.empty()) return rejected(problems);

  std::vector<Row> rows;
  std::map<std::string, int> firstLineOfId;
  for (size_t i = 1; i < records->size(); ++i) {
    auto row = parseRow((*records)[i], headerRecord.fields.size(), header, options, problems);
    if (!row) continue;
    auto [it, inserted] = firstLineOfId.try_emplace(row->person.id, row->line);
    if (!inserted) {
      problems.push_back("Line " + std::to_string(row->line) + ": the id '" + row->person.id +
                         "' was already used on line " + std::to_string(it->second) + ".");
      continue;
    }
    rows.push_back(std::move(*row));
  }
  if (!problems.empty()) return rejected(problems);

  Database::Transaction tx(store.database());
  if (!tx.begun()) return tx.begun().error();
  for (const Row& row : rows) {
    if (Status s = writeRow(store, row, options, report); !s) return s.error();
  }
  if (Status s = tx.commit(); !s) return s.error();
  return report;
}

Result<ImportReport> previewRegisterCsv(RegisterStore& store, std::string_view text,
                                        const ImportOptions& options) {
  Database::Transaction rolledBack(store.database());  // never committed
  if (!rolledBack.begun()) return rolledBack.begun().error();
  return importRegisterCsv(store, text, options);
}

}  // namespace consentguard::reg
