// A HEIF file (HEIC from iPhones and iPads, or AVIF) opened with Debian's libheif, for the image
// module only: its one picture and the metadata blocks attached to it. libheif parses the boxes
// when the file is opened and decodes the pixels only when asked, so the picture's size and
// count are checked first. A file with more than one picture at the top level (a burst, or an
// image sequence) is refused: Consent Guard checks one picture per file, and publishing only
// the first of several would let the others through unchecked.
// Not thread-safe (one per thread); movable.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "consentguard/common/result.h"
#include "consentguard/image/image_format.h"

struct heif_context;
struct heif_image_handle;

namespace consentguard::image {

struct HeifMetadataBlock {
  std::string type;          // "Exif", "mime", ...
  std::string content_type;  // for "mime": "application/rdf+xml" is XMP
  std::vector<std::uint8_t> data;
};

class HeifFile {
 public:
  // Errors: "truncated", "corrupt", "several_images", "unsupported_format" (no decoder for it).
  // The bytes must outlive the HeifFile.
  static Result<HeifFile> open(std::span<const std::uint8_t> bytes);

  ImageFormat format() const { return format_; }
  // As the picture is shown: after its rotation and mirroring (irot, imir).
  int width() const;
  int height() const;
  int thumbnails() const;
  bool hasDepth() const;
  std::vector<HeifMetadataBlock> metadata() const;
  // Upright RGB pixels. Errors: "corrupt".
  Result<cv::Mat> decodeRgb() const;

 private:
  struct ContextFree {
    void operator()(heif_context* c) const;
  };
  struct HandleFree {
    void operator()(heif_image_handle* h) const;
  };
  HeifFile(std::unique_ptr<heif_context, ContextFree> context,
           std::unique_ptr<heif_image_handle, HandleFree> primary, ImageFormat format)
      : context_(std::move(context)), primary_(std::move(primary)), format_(format) {}

  std::unique_ptr<heif_context, ContextFree> context_;
  std::unique_ptr<heif_image_handle, HandleFree> primary_;
  ImageFormat format_;
};

// Whether these bytes are a HEIF file (an ISO-BMFF "ftyp" box with a HEIF or AVIF brand), and
// which: kHeic or kAvif. Videos (MP4, MOV) also start with "ftyp" but carry other brands.
std::optional<ImageFormat> sniffHeif(std::span<const std::uint8_t> bytes);

}  // namespace consentguard::image
