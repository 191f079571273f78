// The steps of reading one image file, shared by decodeImage(), readMetadata(), parsePhoto(),
// sanitise() and verifyClean() but not part of the public API, so that each of them reads a file
// once: the header sniffed once (a HEIF file opened once and kept), the pixels decoded once, the
// metadata walked once. Each step bumps its decode count (consentguard/image/decode_counts.h).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <optional>
#include <span>
#include <vector>

#include "consentguard/common/result.h"
#include "consentguard/image/image_format.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"
#include "heif_file.h"

namespace consentguard::image::detail {

void countHeader();
void countPixels();
void countMetadata();
void countHeifOpen();

// A file whose header has been read: its format and size, what the WebP header says about how
// it is coded, and for HEIF the opened file (so that its metadata and pixels need no second
// open). Borrows nothing; `heif` borrows the bytes it was opened from.
struct OpenedImage {
  ImageHeader header;
  bool webp_lossless = false;  // a VP8L bitstream
  bool webp_alpha = false;
  std::optional<HeifFile> heif;
};

// readImageHeader(), keeping what it learnt. Same errors.
Result<OpenedImage> openImage(std::span<const std::uint8_t> bytes);
// The checks decodeImage() and sanitise() make before any work: "too_large" (the file) and
// "too_many_pixels" (the header), with the same words.
Status checkFileSize(std::span<const std::uint8_t> bytes, const LoadLimits& limits);
Status checkPixels(const ImageHeader& header, const LoadLimits& limits);
// The pixels as stored (no EXIF orientation applied; HEIF is upright by its own boxes), RGB.
// Errors as decodeImage's.
Result<cv::Mat> decodeStoredPixels(std::span<const std::uint8_t> bytes, const OpenedImage& image);

// What one metadata read finds besides PhotoMetadata: the orientation decodeImage() turns a
// JPEG's pixels by (readExifOrientation's rule, which libexif's spec fixes can make differ from
// PhotoMetadata::orientation on malformed tags), and the PNG chunks the sanitiser keeps.
struct MetadataExtras {
  int pixel_orientation = 1;
  std::vector<std::span<const std::uint8_t>> png_kept_chunks;  // whole chunks, in file order
};
// readMetadata() for a file already opened. Same errors.
Result<PhotoMetadata> readOpenedMetadata(std::span<const std::uint8_t> bytes,
                                         const OpenedImage& image, MetadataExtras& extras);

}  // namespace consentguard::image::detail
