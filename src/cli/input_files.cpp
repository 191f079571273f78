#include "input_files.h"

#include <algorithm>

#include "consentguard/service/folder_intake.h"

namespace consentguard::cli {
namespace {

namespace fs = std::filesystem;

bool isInside(const fs::path& file, const fs::path& folder) {
  if (folder.empty()) return false;
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(file, ec);
  const fs::path b = fs::weakly_canonical(folder, ec);
  if (ec) return false;
  const auto [end, _] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
  return end == b.end();
}

void addFolder(const fs::path& folder, const fs::path& leaveOut, std::vector<fs::path>& files) {
  std::vector<fs::path> found;
  std::error_code ec;
  const auto options = fs::directory_options::skip_permission_denied;
  for (auto it = fs::recursive_directory_iterator(folder, options, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // Hidden folders (.git, .Trash, a sync tool's own) hold nothing a school means to publish.
    if (it->is_directory(ec)) {
      if (service::looksLikePartialCopy(name) || isInside(it->path(), leaveOut)) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (!it->is_regular_file(ec) || service::looksLikePartialCopy(name)) continue;
    found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
}

}  // namespace

bool hasUnknownOption(const Args& args) {
  return std::any_of(args.begin(), args.end(),
                     [](const std::string& arg) { return arg.starts_with("--"); });
}

bool isBatch(const Args& args) {
  std::error_code ec;
  return args.size() > 1 || (args.size() == 1 && fs::is_directory(args[0], ec));
}

std::vector<fs::path> inputFiles(const Args& args, const fs::path& leaveOut) {
  std::vector<fs::path> files;
  for (const auto& arg : args) {
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      addFolder(arg, leaveOut, files);
    } else {
      files.emplace_back(arg);
    }
  }
  return files;
}

}  // namespace consentguard::cli
