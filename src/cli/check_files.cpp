#include "check_files.h"

#include <fstream>
#include <random>

#include "consentguard/common/files.h"

namespace consentguard::cli {
namespace {

namespace fs = std::filesystem;

// Saves the cleaned copy under `dir` as stem+extension, or stem-1, stem-2... when taken: an
// existing file is never overwritten.
Result<fs::path> saveWithoutOverwriting(const fs::path& dir, const std::string& stem,
                                        const std::string& extension,
                                        const std::vector<std::uint8_t>& bytes) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (int n = 0; n < 10000; ++n) {
    const fs::path target = dir / (stem + (n == 0 ? "" : "-" + std::to_string(n)) + extension);
    Status saved = writeFileAtomically(target, bytes, /*overwrite=*/false);
    if (saved) return target;
    if (saved.error().code != "output_exists") return saved.error();
  }
  return makeError("write_failed", "The cleaned photo could not be saved in " + dir.string() +
                                       ": too many files of that name.");
}

std::string randomSuffix() {
  std::random_device random;
  return std::to_string(random()) + std::to_string(random());
}

}  // namespace

bool isVideoFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::uint8_t> head(64);
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return video::looksLikeVideo(head);
}

Result<PhotoChecked> checkPhoto(check::PhotoChecker& checker, const check::CheckRequest& request,
                                const std::string& outDir) {
  auto result = checker.check(request);
  if (!result) return result.error();
  PhotoChecked checked{std::move(result.value()), std::nullopt};
  if (checked.result.published && !outDir.empty()) {
    auto written = saveWithoutOverwriting(outDir, fs::path(request.file_name).stem().string(),
                                          image::fileExtension(checked.result.published->format),
                                          checked.result.published->bytes);
    if (!written) return written.error();
    checked.output = *written;
  }
  return checked;
}

Result<VideoChecked> checkVideo(check::PhotoChecker& checker, check::VideoRequest request,
                                const std::string& outDir) {
  const std::string stem = fs::path(request.file_name).stem().string();
  if (!outDir.empty()) {
    std::error_code ec;
    fs::create_directories(outDir, ec);
    for (int n = 0; n < 10000; ++n) {
      const fs::path target =
          fs::path(outDir) / (stem + (n == 0 ? "" : "-" + std::to_string(n)) + ".mp4");
      if (!fs::exists(target)) {
        request.publish_to = target;
        break;
      }
    }
  }
  const fs::path scratch = fs::temp_directory_path() / ("consentguard-" + randomSuffix() + ".mp4");
  if (request.publish_to.empty()) request.publish_to = scratch;
  auto result = checker.checkVideo(request);
  std::error_code ec;
  if (request.publish_to == scratch) fs::remove(scratch, ec);
  if (!result) return result.error();
  VideoChecked checked{std::move(result.value()), std::nullopt};
  if (checked.result.published && request.publish_to != scratch) {
    checked.output = request.publish_to;
  }
  return checked;
}

}  // namespace consentguard::cli
