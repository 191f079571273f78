#include "consentguard/service/takedown_files.h"

#include <algorithm>
#include <filesystem>

#include "consentguard/queue/takedowns.h"

namespace consentguard::service {
namespace {

namespace fs = std::filesystem;

// Whether `path` is inside `folder` (after resolving links, so that a data folder reached
// through a symbolic link still counts).
bool isInside(const fs::path& path, const fs::path& folder) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(path, ec);
  if (ec) return false;
  const fs::path b = fs::weakly_canonical(folder, ec);
  if (ec) return false;
  auto [inFolder, inPath] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
  return inFolder == b.end() && inPath != a.end();
}

// "the website" or "the social media channel", for the log.
std::string whereWords(const std::string& channel) {
  if (channel == "website") return "the website";
  std::string words = channel;
  std::replace(words.begin(), words.end(), '_', ' ');
  return "the " + words + " channel";
}

// "user:ada" -> "ada"; a key or the command line keep their kind.
std::string byWords(const std::string& actor) {
  if (actor.rfind("user:", 0) == 0) return actor.substr(5);
  if (actor.rfind("key:", 0) == 0) return "the system " + actor.substr(4) + " (API key)";
  if (actor.rfind("cli:", 0) == 0) return actor.substr(4) + " (on the server)";
  return actor;
}

std::string nameOf(const queue::Takedown& t) {
  return t.file_name.empty() ? fs::path(t.output).filename().string() : t.file_name;
}

// A name in `folder` no file has: the copy's own, else with the photo's id prefix, else counted.
fs::path freePath(const fs::path& folder, const fs::path& name, const std::string& job_id) {
  std::error_code ec;
  const std::string stem = name.stem().string(), ext = name.extension().string();
  fs::path path = folder / name;
  if (!fs::exists(path, ec)) return path;
  const std::string prefix = stem + "-" + job_id.substr(0, 8);
  path = folder / (prefix + ext);
  for (int n = 2; fs::exists(path, ec); ++n)
    path = folder / (prefix + "-" + std::to_string(n) + ext);
  return path;
}

// Moves `from` to `to` without ever replacing a file at `to`: a hard link then removing the old
// name, or (another disk, a file system without links) a copy then removing the old one.
Status moveFile(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_hard_link(from, to, ec);
  if (ec) {
    ec.clear();
    fs::copy_file(from, to, fs::copy_options::none, ec);
    if (ec) {
      return makeError("move_failed", "The file could not be put in " + to.parent_path().string(),
                       ec.message());
    }
  }
  fs::remove(from, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(to, ignored);
    return makeError("move_failed", "The file could not be taken out of the outbox.", ec.message());
  }
  return okStatus();
}

// Takes one takedown's published copy out of the outbox, holding the database's write lock so
// that no other pass moves it too. True when something was moved or recorded.
Result<bool> withdrawOne(reg::Database& db, const DataFolders& folders, std::int64_t id,
                         Poco::Logger& log) {
  reg::Database::Transaction transaction(db);
  if (!transaction.begun()) return transaction.begun().error();
  auto found = queue::findTakedown(db, id);
  if (!found) return found.error();
  if (!*found || !(*found)->withdrawn_copy.empty()) return false;
  const queue::Takedown& t = **found;
  const std::string tag = "takedown " + std::to_string(t.id) + ": photo " + nameOf(t);
  const std::string outbox = "outbox/" + t.channel, takenDown = "taken-down/" + t.channel;
  // A takedown already done (from the command line, say) needs nothing more from anyone.
  const std::string next = t.done_at.empty() ? "; remove it from " + whereWords(t.channel) +
                                                   " and mark it done on the Takedowns page"
                                             : "";
  std::error_code ec;
  const fs::path from = t.output;
  if (t.output.empty() || !isInside(from, folders.root / "outbox") ||
      !fs::is_regular_file(from, ec)) {
    if (Status s = queue::recordWithdrawnCopy(db, t.id, t.output, queue::kNoCopyFound); !s) {
      return s.error();
    }
    if (Status c = transaction.commit(); !c) return c.error();
    log.warning("%s was no longer in %s (deleted before), so there was nothing to move%s", tag,
                outbox, next);
    return true;
  }
  const fs::path folder = takenDownFolder(folders, t.channel);
  fs::create_directories(folder, ec);
  if (ec) {
    return makeError("move_failed",
                     "The folder " + folder.string() + " could not be made; the photo stays in " +
                         outbox + " until it can be moved.",
                     ec.message());
  }
  const fs::path to = freePath(folder, from.filename(), t.photo);
  if (Status m = moveFile(from, to); !m) return m.error();
  Status recorded = queue::recordWithdrawnCopy(db, t.id, t.output, to.string());
  if (recorded) recorded = transaction.commit();
  if (!recorded) {
    // Not recorded: the copy goes back where the records say it is.
    if (Status back = moveFile(to, from); !back) {
      log.error(
          "%s: moved to %s but that could not be recorded, nor could it be put back (%s); "
          "move it back to %s by hand",
          tag, to.string(), back.error().detail, from.string());
    }
    return recorded.error();
  }
  log.warning("%s moved out of %s into %s%s", tag, outbox, takenDown, next);
  return true;
}

// Deletes a done takedown's withdrawn copy, if it is still there. True when deleted.
bool deleteCopy(const DataFolders& folders, const queue::Takedown& t, Poco::Logger& log) {
  if (t.withdrawn_copy.empty() || t.withdrawn_copy == queue::kNoCopyFound) return false;
  const fs::path copy = t.withdrawn_copy;
  std::error_code ec;
  // Never anything outside taken-down/, whatever the record says.
  if (!fs::exists(copy, ec) || !isInside(copy, folders.root / "taken-down")) return false;
  fs::remove(copy, ec);
  if (ec) {
    log.error(
        "takedown %s: the copy of %s in taken-down/%s could not be deleted (%s); it is "
        "tried again in a minute",
        std::to_string(t.id), nameOf(t), t.channel, ec.message());
    return false;
  }
  log.information("takedown %s: the copy of %s was deleted from taken-down/%s on the server",
                  std::to_string(t.id), nameOf(t), t.channel);
  return true;
}

}  // namespace

fs::path takenDownFolder(const DataFolders& folders, const std::string& channel) {
  return folders.root / "taken-down" / channel;
}

Result<int> withdrawPublishedCopies(reg::Database& db, const DataFolders& folders,
                                    Poco::Logger& log) {
  auto pending = queue::takedownsToWithdraw(db);
  if (!pending) return pending.error();
  int changed = 0;
  for (const auto& t : *pending) {
    auto done = withdrawOne(db, folders, t.id, log);
    if (!done) {
      log.error(
          "takedown %s: the photo %s could not be moved out of outbox/%s: %s (%s); it is "
          "tried again shortly, and stays unpublished by Consent Guard meanwhile",
          std::to_string(t.id), nameOf(t), t.channel, done.error().message, done.error().detail);
      continue;
    }
    changed += *done;
  }
  auto finished = queue::doneWithCopies(db);
  if (!finished) return finished.error();
  for (const auto& t : *finished) changed += deleteCopy(folders, t, log);
  return changed;
}

Status finishTakedown(reg::Database& db, const DataFolders& folders, std::int64_t id,
                      const std::string& by, Poco::Logger& log) {
  auto before = queue::findTakedown(db, id);
  if (!before) return before.error();
  if (Status s = queue::markTakedownDone(db, id, by); !s) return s;
  if (*before && (*before)->done_at.empty()) {
    log.information("takedown %s done by %s: %s is off %s", std::to_string(id), byWords(by),
                    nameOf(**before), whereWords((*before)->channel));
  }
  if (auto moved = withdrawOne(db, folders, id, log); !moved) {
    log.error(
        "takedown %s: the photo could not be moved out of the outbox: %s (%s); it is "
        "tried again shortly",
        std::to_string(id), moved.error().message, moved.error().detail);
    return okStatus();
  }
  auto after = queue::findTakedown(db, id);
  if (after && *after) (void)deleteCopy(folders, **after, log);
  return okStatus();
}

}  // namespace consentguard::service
