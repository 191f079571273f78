// HEIC files made by the tests from their own pictures, with Debian's libheif (its x265
// encoder): stored pixels, an orientation written as irot/imir boxes, and EXIF and XMP items.
// And the EXIF of a shared camera file, to attach.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace consentguard::testing {

struct HeifParts {
  cv::Mat rgb;              // the pixels as stored (before the orientation is applied)
  int orientation = 1;      // EXIF numbering, 1-8
  std::vector<std::uint8_t> exif;  // a TIFF block ("II*\0" or "MM\0*"); empty for none
  std::string xmp;          // an XMP packet; empty for none
  int pictures = 1;         // top-level pictures (2 or more: a burst)
};

// The HEIC file's bytes (a test failure and empty bytes if libheif cannot make it).
std::vector<std::uint8_t> makeHeic(const HeifParts& parts);

// The EXIF (TIFF) block of a JPEG's APP1 segment; empty if it has none.
std::vector<std::uint8_t> exifOfJpeg(const std::vector<std::uint8_t>& jpeg);

}  // namespace consentguard::testing
