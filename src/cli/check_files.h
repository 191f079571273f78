// One photo or video checked from the command line, and its clean copy saved: the part of
// `consentguard check` that one file and a batch of files share (check_command.cpp,
// check_batch.cpp). The checker is the caller's, borrowed for the call.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "consentguard/check/photo_check.h"

namespace consentguard::cli {

// Sniffed from the file's first bytes, never its name.
bool isVideoFile(const std::filesystem::path& file);

struct PhotoChecked {
  check::CheckResult result;
  std::optional<std::filesystem::path> output;  // the clean copy, when saved
};

// Checks request.bytes; when the verdict is publish and outDir is given, saves the clean copy
// there as the request's file name, never overwriting (name-1, name-2...). Errors: the
// checker's, and "write_failed" when the copy cannot be saved.
Result<PhotoChecked> checkPhoto(check::PhotoChecker& checker, const check::CheckRequest& request,
                                const std::string& outDir);

struct VideoChecked {
  check::VideoCheckResult result;
  std::optional<std::filesystem::path> output;  // the clean MP4, when written
};

// Checks the video at request.file; when it may be published and outDir is given, its clean
// copy is DIR/NAME.mp4 (never overwriting). request.publish_to is chosen here. Errors: the
// checker's.
Result<VideoChecked> checkVideo(check::PhotoChecker& checker, check::VideoRequest request,
                                const std::string& outDir);

}  // namespace consentguard::cli
