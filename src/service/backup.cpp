#include "consentguard/service/backup.h"

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA2Engine.h>

#include <fstream>
#include <sstream>

#include "consentguard/audit/audit_log.h"
#include "consentguard/register/register_store.h"

namespace consentguard::service {
namespace {

namespace fs = std::filesystem;

Error writeFailed(const fs::path& path, const std::string& detail) {
  return makeError("write_failed",
                   "Consent Guard could not write " + path.string() +
                       ". Check that the disk has room and the folder may be written.",
                   detail);
}

// SHA-256 of a file, in hex; empty when it cannot be read.
std::string fileSha256(const fs::path& file, std::uint64_t* size = nullptr) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "";
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  char buffer[65536];
  std::uint64_t total = 0;
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    sha.update(buffer, static_cast<unsigned>(in.gcount()));
    total += static_cast<std::uint64_t>(in.gcount());
  }
  if (size) *size = total;
  return Poco::DigestEngine::digestToHex(sha.digest());
}

// Files of the data folder that belong in a backup (relative paths).
std::vector<fs::path> dataFiles(const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const fs::path relative = fs::relative(it->path(), root, ec);
    const std::string first = relative.begin()->string();
    if (it->is_directory(ec)) {
      // Files in an inbox are not yet the service's: they are still where staff put them.
      if (first == "inbox") it.disable_recursion_pending();
      // The data key stays out, so that a lost backup gives no template (register/data_key.h).
      if (first == "keys") it.disable_recursion_pending();
      continue;
    }
    const std::string name = relative.filename().string();
    if (!it->is_regular_file(ec) || name.rfind("consentguard.db", 0) == 0 ||
        name.ends_with(".partial") || name.ends_with(".tmp")) {
      continue;
    }
    files.push_back(relative);
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool isInside(const fs::path& inner, const fs::path& outer) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(inner, ec), b = fs::weakly_canonical(outer, ec);
  auto mismatch = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
  return mismatch.first == b.end();
}

Result<std::int64_t> count(reg::Database& db, const std::string& sql) {
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return *row ? stmt->integer(0) : 0;
}

}  // namespace

Result<BackupReport> backupDataFolder(const DataFolders& folders, const fs::path& config_file,
                                      const fs::path& to) {
  std::error_code ec;
  if (!fs::is_regular_file(folders.database(), ec)) {
    return makeError("no_database",
                     "There is no Consent Guard database at " + folders.database().string() +
                         ". Say which data folder to back up with --data.",
                     folders.database().string());
  }
  if (isInside(to, folders.root)) {
    return makeError("bad_target",
                     "The backup cannot go inside the data folder it copies. Choose a folder on "
                     "another disk, or at least outside " +
                         folders.root.string() + ".",
                     to.string());
  }
  if (fs::exists(to, ec) && !fs::is_empty(to, ec)) {
    return makeError("output_exists",
                     "The folder " + to.string() +
                         " is not empty. Back up into a new folder, "
                         "for example one named with today's date.",
                     to.string());
  }
  fs::create_directories(to / "files", ec);
  if (ec) return writeFailed(to, ec.message());
  fs::permissions(to, fs::perms::owner_all, ec);  // children's photos and the register

  BackupReport report;
  auto db = reg::openRegisterDatabase(folders.database());
  if (!db) return db.error();
  // The copy of the database first: every original it knows of is already on disk.
  if (Status s = (*db)->backupTo(to / "consentguard.db"); !s) return s.error();
  auto jobs = count(**db, "SELECT count(*) FROM jobs");
  if (!jobs) return jobs.error();
  report.jobs = *jobs;
  auto copied = reg::openRegisterDatabase(to / "consentguard.db");
  if (!copied) return copied.error();
  auto trail = audit::AuditLog(**copied).verify();
  if (!trail) return trail.error();
  report.audit_head = trail->head_hash;
  copied->reset();

  Poco::JSON::Array files;
  for (const auto& relative : dataFiles(folders.root)) {
    const fs::path target = to / "files" / relative;
    fs::create_directories(target.parent_path(), ec);
    fs::copy_file(folders.root / relative, target, ec);
    if (ec) {
      // A file deleted meanwhile (retention, a decision) is simply not in this backup.
      if (!fs::exists(folders.root / relative)) continue;
      return writeFailed(target, ec.message());
    }
    std::uint64_t size = 0;
    Poco::JSON::Object entry;
    entry.set("path", relative.generic_string());
    entry.set("sha256", fileSha256(target, &size));
    entry.set("bytes", size);
    files.add(entry);
    ++report.files;
    report.bytes += size;
  }
  Poco::JSON::Object manifest;
  manifest.set("format", 1);
  manifest.set("data_root", fs::absolute(folders.root).lexically_normal().string());
  manifest.set("database_sha256", fileSha256(to / "consentguard.db"));
  manifest.set("jobs", report.jobs);
  manifest.set("audit_head", report.audit_head);
  manifest.set("files", files);
  if (!config_file.empty() && fs::is_regular_file(config_file, ec)) {
    fs::copy_file(config_file, to / "consentguard.properties", ec);
    if (ec) return writeFailed(to / "consentguard.properties", ec.message());
    manifest.set("config_sha256", fileSha256(to / "consentguard.properties"));
  }
  std::ofstream out(to / "manifest.json");
  manifest.stringify(out, 1);
  out.close();
  if (!out) return writeFailed(to / "manifest.json", "write");
  return report;
}

Result<RestoreReport> restoreDataFolder(const fs::path& from, const DataFolders& folders,
                                        const fs::path& config_to) {
  std::error_code ec;
  const auto bad = [&](const std::string& what) {
    return makeError("bad_backup",
                     "The backup in " + from.string() + " cannot be restored: " + what +
                         ". Nothing was restored. Use another backup.",
                     what);
  };
  if (fs::exists(folders.root, ec) && !fs::is_empty(folders.root, ec)) {
    return makeError("not_empty",
                     "The data folder " + folders.root.string() +
                         " is not empty. A backup is "
                         "restored only into an empty folder, so that nothing there is lost.",
                     folders.root.string());
  }
  Poco::JSON::Object::Ptr manifest;
  try {
    std::ifstream in(from / "manifest.json");
    if (!in) return bad("it has no manifest.json");
    manifest = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return bad("its manifest.json cannot be read (" + e.displayText() + ")");
  }
  // Everything is checked before anything is written.
  if (fileSha256(from / "consentguard.db") !=
      manifest->optValue<std::string>("database_sha256", "")) {
    return bad("consentguard.db is missing or has changed since the backup");
  }
  auto files = manifest->getArray("files");
  if (!files) return bad("its manifest lists no files");
  for (size_t i = 0; i < files->size(); ++i) {
    auto entry = files->getObject(i);
    const fs::path relative = entry->getValue<std::string>("path");
    if (relative.is_absolute() || relative.lexically_normal().string().rfind("..", 0) == 0) {
      return bad("the manifest names a file outside the backup (" + relative.string() + ")");
    }
    if (fileSha256(from / "files" / relative) != entry->getValue<std::string>("sha256")) {
      return bad(relative.string() + " is missing or has changed since the backup");
    }
  }

  RestoreReport report;
  fs::create_directories(folders.root, ec);
  if (ec) return writeFailed(folders.root, ec.message());
  for (size_t i = 0; i < files->size(); ++i) {
    const fs::path relative = files->getObject(i)->getValue<std::string>("path");
    const fs::path target = folders.root / relative;
    fs::create_directories(target.parent_path(), ec);
    fs::copy_file(from / "files" / relative, target, ec);
    if (ec) return writeFailed(target, ec.message());
    ++report.files;
  }
  fs::copy_file(from / "consentguard.db", folders.database(), ec);
  if (ec) return writeFailed(folders.database(), ec.message());

  // The jobs' files were recorded under the old data folder: they are under the new one now.
  auto db = reg::openRegisterDatabase(folders.database());
  if (!db) return db.error();
  const std::string oldRoot = manifest->getValue<std::string>("data_root") + "/";
  const std::string newRoot = fs::absolute(folders.root).lexically_normal().string() + "/";
  for (const auto& [table, column] : {std::pair<std::string, std::string>{"jobs", "original_path"},
                                      {"jobs", "output_path"},
                                      {"jobs", "previous_output"},
                                      {"jobs", "redacted_path"},
                                      {"repeat_drops", "note_path"},
                                      {"takedowns", "withdrawn_copy"}}) {
    if (Status s = (*db)->execute("UPDATE " + table + " SET " + column + " = ? || substr(" +
                                      column + ", ?) WHERE substr(" + column + ", 1, ?) = ?",
                                  {newRoot, static_cast<std::int64_t>(oldRoot.size() + 1),
                                   static_cast<std::int64_t>(oldRoot.size()), oldRoot});
        !s) {
      return s.error();
    }
  }
  auto trail = audit::AuditLog(**db).verify();
  if (!trail) return trail.error();
  if (!trail->intact() || trail->head_hash != manifest->optValue<std::string>("audit_head", "")) {
    return makeError("audit_broken",
                     "The restored audit trail does not verify, or is not the one backed up. "
                     "Do not use this data folder; tell the DSL.",
                     trail->head_hash);
  }
  report.audit_entries = trail->entries;
  auto jobs = count(**db, "SELECT count(*) FROM jobs");
  if (!jobs) return jobs.error();
  report.jobs = *jobs;
  if (!config_to.empty() && fs::is_regular_file(from / "consentguard.properties", ec)) {
    if (fs::exists(config_to, ec)) {
      return makeError("output_exists",
                       "The data is restored, but " + config_to.string() +
                           " already exists, so the backed-up configuration was not written "
                           "over it. It is in " +
                           (from / "consentguard.properties").string() + ".",
                       config_to.string());
    }
    fs::copy_file(from / "consentguard.properties", config_to, ec);
    if (ec) return writeFailed(config_to, ec.message());
    report.config_restored = true;
  }
  return report;
}

}  // namespace consentguard::service
