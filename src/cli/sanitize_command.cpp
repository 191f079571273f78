// consentguard sanitize [--overwrite] IN OUT
// Writes the publishable copy of IN to OUT: upright, every metadata block removed, re-read and
// found clean. OUT is never left half-written: the copy goes to a temporary file in OUT's folder
// and is then linked into place. An existing OUT is not replaced unless --overwrite is given,
// because OUT is easily mistyped as another photo's name, and IN itself is never replaced (the
// original is the evidence of what was submitted).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"
#include "consentguard/image/sanitiser.h"

namespace consentguard::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage = "Usage: consentguard sanitize [--overwrite] IN OUT\n";

int refuse(const Error& error, int status) {
  std::cout << error.message << "\n";
  if (!error.detail.empty()) std::cerr << "detail: " << error.code << ": " << error.detail << "\n";
  return status;
}

Error writeFailed(const fs::path& out, const std::string& detail) {
  return makeError("write_failed",
                   "The cleaned copy could not be saved as " + out.string() +
                       ". Check that the folder exists and that there is space on the disk.",
                   detail);
}

// Writes to a temporary file beside `out`, flushes it to disk, then links (no overwrite) or
// renames (overwrite) it into place, so that a reader never sees a partial file.
Status writeAtomically(const fs::path& out, const std::vector<std::uint8_t>& bytes,
                       bool overwrite) {
  const fs::path dir = out.parent_path().empty() ? fs::path(".") : out.parent_path();
  std::string tmp = (dir / ("." + out.filename().string() + ".XXXXXX")).string();
  const int fd = mkstemp(tmp.data());
  if (fd < 0) return writeFailed(out, "mkstemp: " + std::string(std::strerror(errno)));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const bool ok = written == bytes.size() && ::fchmod(fd, 0644) == 0 && ::fsync(fd) == 0;
  ::close(fd);
  int placed = -1;
  if (ok)
    placed = overwrite ? ::rename(tmp.c_str(), out.c_str()) : ::link(tmp.c_str(), out.c_str());
  const int placeError = errno;
  ::unlink(
      tmp.c_str());  // after link() the temporary name is no longer needed; after rename it is gone
  if (!ok) return writeFailed(out, "writing the temporary file failed");
  if (placed != 0 && placeError == EEXIST) {
    return makeError("output_exists",
                     out.string() +
                         " already exists and was left as it is. Choose another name "
                         "or add --overwrite to replace it.",
                     "link: EEXIST");
  }
  if (placed != 0) return writeFailed(out, std::strerror(placeError));
  return okStatus();
}

}  // namespace

int runSanitize(const Args& input) {
  Args args = input;
  const bool overwrite = takeFlag(args, "--overwrite");
  if (args.size() != 2 || args[0].empty() || args[1].empty() || args[0][0] == '-' ||
      args[1][0] == '-') {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const fs::path in = args[0], out = args[1];
  std::error_code ec;
  if (fs::exists(out, ec) && fs::equivalent(in, out, ec)) {
    std::cerr << "consentguard sanitize: OUT must not be the original photo itself.\n" << kUsage;
    return kExitUsage;
  }
  if (!overwrite && fs::exists(out, ec)) {
    std::cout << out.string()
              << " already exists and was left as it is. Choose another name or "
                 "add --overwrite to replace it.\n";
    return kExitUsage;
  }
  auto bytes = image::readFileBytes(in);
  if (!bytes) return refuse(bytes.error(), kExitBadInput);
  auto before = image::readMetadata(*bytes);
  if (!before) return refuse(before.error(), kExitBadInput);
  auto clean = image::sanitise(*bytes);
  if (!clean) return refuse(clean.error(), kExitBadInput);
  Status saved = writeAtomically(out, clean->bytes, overwrite);
  if (!saved) {
    return refuse(saved.error(),
                  saved.error().code == "output_exists" ? kExitUsage : kExitSetupProblem);
  }

  std::cout << "Cleaned copy written to " << out.string() << "\n";
  if (clean->orientation_applied != 1) {
    std::cout << "  turned upright (EXIF orientation " << clean->orientation_applied << ")\n";
  }
  std::cout << "  removed: ";
  if (before->blocks.empty()) std::cout << "nothing (the photo carried no metadata)";
  for (std::size_t i = 0; i < before->blocks.size(); ++i) {
    std::cout << (i ? ", " : "") << before->blocks[i];
  }
  std::cout << "\n  "
            << (clean->lossless ? "lossless: the picture itself was not re-compressed"
                                : "re-compressed (this format cannot be cleaned "
                                  "losslessly)")
            << "\n";
  return kExitOk;
}

}  // namespace consentguard::cli
