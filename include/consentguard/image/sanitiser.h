// Makes the copy of a photo that may be published: turned upright and with all metadata
// removed (EXIF with GPS, maker notes and the thumbnail, XMP, IPTC, MPF secondary images, ICC
// profile, comments, trailing data; PNG text, eXIf and time chunks). JPEG is transformed
// losslessly with libjpeg-turbo (the DCT coefficients are copied, not re-compressed). The
// result is re-read with readMetadata and must be found clean, or sanitise() fails: a photo
// whose clean copy cannot be proved clean is not published.
// Free functions; thread-safe. The returned bytes are owned by the caller.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/image/image_format.h"
#include "consentguard/image/image_loader.h"

namespace consentguard::image {

struct SanitisedPhoto {
  std::vector<std::uint8_t> bytes;
  ImageFormat format = ImageFormat::kJpeg;
  int orientation_applied = 1;  // the EXIF orientation that was turned into pixels
  bool lossless = true;         // false only where the format forced a re-encode (WebP)
};

// Errors: those of readImageHeader/readMetadata, "not_clean" when the re-read output still
// carries metadata, "sanitise_failed" when the transform itself failed.
Result<SanitisedPhoto> sanitise(std::span<const std::uint8_t> bytes, const LoadLimits& limits = {});

// The check sanitise() applies to its own output, for callers that hold a file they were told
// is clean: an Error ("not_clean") that names every block still present.
Status verifyClean(std::span<const std::uint8_t> bytes);

}  // namespace consentguard::image
