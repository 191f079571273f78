// Makes the copy of a photo that may be published: turned upright and with all metadata
// removed (EXIF with GPS, maker notes and the thumbnail, XMP, IPTC, MPF secondary images, ICC
// profile, comments, trailing data; PNG text, eXIf and time chunks). JPEG is transformed
// losslessly with libjpeg-turbo (the DCT coefficients are copied, not re-compressed). The
// result is re-read with readMetadata and must be found clean, or sanitise() fails: a photo
// whose clean copy cannot be proved clean is not published.
//
// Decisions a reviewer should know about:
// - Turning upright: the EXIF orientation (2 HFLIP, 3 ROT180, 4 VFLIP, 5 TRANSPOSE, 6 ROT90,
//   7 TRANSVERSE, 8 ROT270) is applied with TJXOPT_PERFECT first. When the picture's size is not
//   a whole number of MCUs (8 or 16 pixels) on an edge that moves, a perfect lossless turn is
//   impossible, and TJXOPT_TRIM drops that partial MCU row or column: at most 15 edge pixels.
//   Only a picture smaller than one MCU (trimming would leave nothing) is decoded and compressed
//   again at quality 95 instead (`lossless` false). Orientation 1 copies the coefficients
//   untouched, so the pixels are bit-for-bit the original's.
// - ICC profile: dropped. TurboJPEG 2.1 can copy all markers or none, not the ICC profile alone;
//   a profile's description and copyright tags can carry device or owner text; and browsers and
//   social media assume sRGB anyway. The cost: colours of wide-gamut (Display P3, Adobe RGB)
//   photos may look slightly less saturated.
// - PNG: rebuilt from the verified chunks IHDR, PLTE, IDAT, IEND, tRNS, gAMA, cHRM, sRGB, sBIT,
//   bKGD and pHYs only (lossless: the compressed pixels are copied). An eXIf orientation is not
//   applied, matching decodeImage(), which also shows PNG and WebP pixels as stored; the copy
//   therefore looks exactly like the picture the faces were checked on.
// - WebP: decoded and re-encoded with the simple libwebp API, which writes no metadata chunks.
//   A lossless original is encoded losslessly (same pixels); a lossy one at quality 90, because
//   a lossless copy of a lossy photo is several times larger and no more faithful. Alpha is
//   dropped, as in decodeImage(). `lossless` is false for lossy originals and for alpha.
// - HEIC and AVIF: decoded upright (libheif applies the file's rotation and mirroring) and
//   encoded again as JPEG at `heif_jpeg_quality` (policy.heic_jpeg_quality, 92), because every
//   website, newsletter tool and social network takes JPEG, while HEIC is not shown by most
//   browsers; and libheif cannot drop the metadata items and keep the coded picture as it is.
//   `format` is then kJpeg and `lossless` false.
// - Trailing data after the end marker, and MPF secondary images stored there, are gone by
//   construction: only the decoded structure is written out.
//
// Free functions; thread-safe. The returned bytes are owned by the caller.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/image/image_format.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/parsed_photo.h"

namespace consentguard::image {

struct SanitisedPhoto {
  std::vector<std::uint8_t> bytes;
  ImageFormat format = ImageFormat::kJpeg;
  int orientation_applied = 1;  // the EXIF orientation that was turned into pixels
  bool lossless = true;         // false where the format forced a re-encode (WebP, HEIC)
};

// Errors: those of readImageHeader/readMetadata (hostile metadata stops here too),
// "too_large"/"too_many_pixels" past `limits` (checked from the header before any work),
// "not_clean" when the re-read output still carries metadata or does not decode in full,
// "sanitise_failed" when the transform itself failed.
inline constexpr int kDefaultHeifJpegQuality = 92;
Result<SanitisedPhoto> sanitise(std::span<const std::uint8_t> bytes, const LoadLimits& limits = {},
                                int heif_jpeg_quality = kDefaultHeifJpegQuality);

// The same copy of a photo already parsed (the photo check's): its pixels, metadata and format
// facts are used as they are, and only the lossless JPEG transform and the PNG rebuild read its
// bytes (which must still be alive). The limits were applied by parsePhoto(). Errors:
// "not_clean", "sanitise_failed".
Result<SanitisedPhoto> sanitise(const ParsedPhoto& photo,
                                int heif_jpeg_quality = kDefaultHeifJpegQuality);

// The check sanitise() applies to its own output, for callers that hold a file they were told
// is clean: an Error ("not_clean") that names every block still present.
Status verifyClean(std::span<const std::uint8_t> bytes);

}  // namespace consentguard::image
