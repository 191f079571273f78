// The review page's contact sheet of a checked video: every sampled frame as a small picture in
// a grid, the time under each, and each face boxed and numbered by the person (track) it
// belongs to, as numbered in VideoCheckResult::people (1 is the first). The box is red for a
// person who must not appear, green for one who may, amber for one nobody recognised.
// Free functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "consentguard/check/photo_check.h"

namespace consentguard::check {

// At most this many frames are shown; a longer video's are taken evenly through it.
inline constexpr int kMaxContactSheetFrames = 600;

cv::Mat contactSheet(const VideoCheckResult& result);  // BGR; empty when no frame
std::vector<std::uint8_t> contactSheetJpeg(const VideoCheckResult& result);  // empty when none

}  // namespace consentguard::check
