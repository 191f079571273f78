// consentguard sanitize [--overwrite] IN OUT
// Writes the publishable copy of IN to OUT: upright, every metadata block removed, re-read and
// found clean. OUT is never left half-written: the copy goes to a temporary file in OUT's folder
// and is then linked into place. An existing OUT is not replaced unless --overwrite is given,
// because OUT is easily mistyped as another photo's name, and IN itself is never replaced (the
// original is the evidence of what was submitted).

#include <filesystem>
#include <iostream>

#include "commands.h"
#include "consentguard/common/files.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"
#include "consentguard/image/sanitiser.h"

namespace consentguard::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage = "Usage: consentguard sanitize [--overwrite] IN OUT\n";

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
  if (!bytes) return reportError(bytes.error(), kExitBadInput);
  auto before = image::readMetadata(*bytes);
  if (!before) return reportError(before.error(), kExitBadInput);
  auto clean = image::sanitise(*bytes);
  if (!clean) return reportError(clean.error(), kExitBadInput);
  Status saved = writeFileAtomically(out, clean->bytes, overwrite);
  if (!saved) {
    return reportError(saved.error(),
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
