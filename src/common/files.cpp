#include "consentguard/common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

namespace consentguard {
namespace {

namespace fs = std::filesystem;

Error writeFailed(const fs::path& out, const std::string& detail) {
  return makeError("write_failed",
                   "The file could not be saved as " + out.string() +
                       ". Check that the folder exists and that there is space on the disk.",
                   detail);
}

}  // namespace

Status writeFileAtomically(const fs::path& out, const std::vector<std::uint8_t>& bytes,
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
  if (ok) {
    placed = overwrite ? ::rename(tmp.c_str(), out.c_str()) : ::link(tmp.c_str(), out.c_str());
  }
  const int placeError = errno;
  // After link() the temporary name is no longer needed; after rename() it is already gone.
  ::unlink(tmp.c_str());
  if (!ok) return writeFailed(out, "writing the temporary file failed");
  if (placed != 0 && placeError == EEXIST) {
    return makeError("output_exists",
                     out.string() +
                         " already exists and was left as it is. Choose another name or add "
                         "--overwrite to replace it.",
                     "link: EEXIST");
  }
  if (placed != 0) return writeFailed(out, std::strerror(placeError));
  return okStatus();
}

std::vector<std::uint8_t> readFileStart(const std::filesystem::path& file, std::size_t count) {
  std::vector<std::uint8_t> bytes(count);
  std::ifstream in(file, std::ios::binary);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(count));
  bytes.resize(in ? count : static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
  return bytes;
}

}  // namespace consentguard
