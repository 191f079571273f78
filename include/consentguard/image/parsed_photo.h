// A submitted photo read once: its format facts, its upright pixels and its metadata, from one
// parse of the header, one decode of the pixels and one read of the metadata (a HEIF file opened
// once). The photo check hands this one value to face detection, the rules and the sanitiser
// (sanitiser.h), so that nothing reads the file again until its clean copy is verified.
// A ParsedPhoto borrows the bytes it was parsed from (the lossless JPEG transform and the PNG
// rebuild copy from them): the caller keeps them alive, unchanged, as long as the value is used.
// It owns everything else. Free function; thread-safe. The value is safe to read from several
// threads at once.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/image/image_format.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"

namespace consentguard::image {

struct ParsedPhoto {
  std::span<const std::uint8_t> bytes;  // borrowed: the file as submitted
  ImageHeader header;                   // format and stored size
  UprightImage image;                   // as decodeImage() gives it
  PhotoMetadata metadata;               // as readMetadata() gives it
  // How the file is coded, as its header says, for the sanitiser.
  bool webp_lossless = false;
  bool webp_alpha = false;
  // PNG: the chunks that say how to draw the pixels (IHDR, PLTE, IDAT, IEND, ...), whole and in
  // file order, borrowed from `bytes`: the sanitiser's copy is made of these and nothing else.
  std::vector<std::span<const std::uint8_t>> png_kept_chunks;
};

// decodeImage() and then readMetadata(), in one read: the same errors, in the same order (too
// large, the header's, too many pixels, the pixels', then the metadata's).
Result<ParsedPhoto> parsePhoto(std::span<const std::uint8_t> bytes, const LoadLimits& limits = {});

}  // namespace consentguard::image
