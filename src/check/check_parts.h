// Pieces the photo check (photo_check.cpp) and the video check (video_check.cpp) share.
#pragma once

#include <string>
#include <vector>

#include "consentguard/policy/policy.h"

namespace consentguard::check {

// What goes out with a photo or a video, to be checked for full names: the caption, the alt
// text and the file name (those that are given).
std::vector<policy::TextFacts> publishedTexts(const std::string& caption,
                                              const std::string& alt_text,
                                              const std::string& file_name);

}  // namespace consentguard::check
