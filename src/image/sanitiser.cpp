// sanitise(): JPEG through libjpeg-turbo's lossless transform (coefficients copied, turned
// upright, no marker copied), PNG rebuilt from an allow-list of verified chunks, WebP decoded and
// re-encoded by the simple libwebp API (which writes no metadata). Whatever comes out is re-read
// (its metadata) and decoded in full, once, before it is returned. The original is never read
// again: everything is taken from the one ParsedPhoto (parsed_photo.h), which sanitise(bytes)
// makes itself, decoding the pixels only for the formats that are encoded again.
#include "consentguard/image/sanitiser.h"

#include <turbojpeg.h>
#include <webp/encode.h>

#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "consentguard/image/metadata.h"
#include "metadata_parts.h"
#include "read_parts.h"

namespace consentguard::image {
namespace {

using detail::ByteSpan;
using Bytes = std::vector<std::uint8_t>;
using TjHandle = std::unique_ptr<void, decltype(&tjDestroy)>;

Error sanitiseFailed(const std::string& detail) {
  return makeError("sanitise_failed",
                   "Consent Guard could not make a clean copy of this photo. Export the photo "
                   "again from the camera or an image editor and submit the new copy.",
                   detail);
}

Error notClean(const std::string& detail) {
  return makeError("not_clean",
                   "Consent Guard could not prove that the cleaned copy of this photo is free of "
                   "hidden information, so it will not be published. Ask the person who looks "
                   "after Consent Guard to check the log.",
                   detail);
}

TJXOP transformFor(int orientation) {
  switch (orientation) {
    case 2:
      return TJXOP_HFLIP;
    case 3:
      return TJXOP_ROT180;
    case 4:
      return TJXOP_VFLIP;
    case 5:
      return TJXOP_TRANSPOSE;
    case 6:
      return TJXOP_ROT90;
    case 7:
      return TJXOP_TRANSVERSE;
    case 8:
      return TJXOP_ROT270;
    default:
      return TJXOP_NONE;
  }
}

Result<Bytes> runTransform(tjhandle handle, ByteSpan bytes, TJXOP op, int options) {
  tjtransform transform{};
  transform.op = op;
  transform.options = options | TJXOPT_COPYNONE;
  unsigned char* out = nullptr;
  unsigned long outSize = 0;
  const int rc = tjTransform(handle, bytes.data(), static_cast<unsigned long>(bytes.size()), 1,
                             &out, &outSize, &transform, TJFLAG_STOPONWARNING);
  std::unique_ptr<unsigned char, decltype(&tjFree)> owned(out, &tjFree);
  if (rc != 0) return sanitiseFailed(std::string("tjTransform: ") + tjGetErrorStr2(handle));
  return Bytes(out, out + outSize);
}

bool hasPixels(ByteSpan jpeg) {
  TjHandle handle(tjInitDecompress(), &tjDestroy);
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  return handle &&
         tjDecompressHeader3(handle.get(), jpeg.data(), static_cast<unsigned long>(jpeg.size()),
                             &width, &height, &subsampling, &colorspace) == 0 &&
         width > 0 && height > 0;
}

// A picture smaller than one MCU cannot be turned losslessly at all (trimming would leave
// nothing); it is compressed again, upright, at a high quality instead. The parsed photo's pixels
// are used when it has them (the check's); sanitise(bytes) decodes them only now.
Result<Bytes> reencodeUpright(const ParsedPhoto& photo, const LoadLimits& limits) {
  cv::Mat rgb = photo.image.rgb;
  if (rgb.empty()) {
    auto image = decodeImage(photo.bytes, limits);
    if (!image) return image.error();
    rgb = image->rgb;
  }
  TjHandle handle(tjInitCompress(), &tjDestroy);
  if (!handle) return sanitiseFailed("tjInitCompress");
  unsigned char* out = nullptr;
  unsigned long outSize = 0;
  const int rc = tjCompress2(handle.get(), rgb.data, rgb.cols, static_cast<int>(rgb.step), rgb.rows,
                             TJPF_RGB, &out, &outSize, TJSAMP_444, 95, 0);
  std::unique_ptr<unsigned char, decltype(&tjFree)> owned(out, &tjFree);
  if (rc != 0) return sanitiseFailed(std::string("tjCompress2: ") + tjGetErrorStr2(handle.get()));
  return Bytes(out, out + outSize);
}

Result<SanitisedPhoto> sanitiseJpeg(const ParsedPhoto& parsed, const LoadLimits& limits) {
  const ByteSpan bytes = parsed.bytes;
  const int orientation = parsed.metadata.orientation;
  TjHandle handle(tjInitTransform(), &tjDestroy);
  if (!handle) return sanitiseFailed("tjInitTransform");
  SanitisedPhoto photo;
  photo.orientation_applied = orientation;
  const TJXOP op = transformFor(orientation);
  auto out = runTransform(handle.get(), bytes, op, TJXOPT_PERFECT);
  if (!out && op != TJXOP_NONE) out = runTransform(handle.get(), bytes, op, TJXOPT_TRIM);
  if (out && !hasPixels(*out)) out = sanitiseFailed("trimming left no pixels");
  if (!out && op != TJXOP_NONE) {
    out = reencodeUpright(parsed, limits);
    photo.lossless = false;
  }
  if (!out) return out.error();
  photo.bytes = std::move(*out);
  return photo;
}

// The chunks were walked and their CRCs checked when the metadata was read.
Result<SanitisedPhoto> sanitisePng(const ParsedPhoto& parsed) {
  SanitisedPhoto photo;
  photo.format = ImageFormat::kPng;
  photo.bytes.assign(parsed.bytes.begin(), parsed.bytes.begin() + 8);
  for (const ByteSpan chunk : parsed.png_kept_chunks) {
    photo.bytes.insert(photo.bytes.end(), chunk.begin(), chunk.end());
  }
  return photo;
}

Result<SanitisedPhoto> sanitiseWebp(const ParsedPhoto& parsed) {
  const cv::Mat& rgb = parsed.image.rgb;  // as stored: decodeImage() turns no WebP
  if (rgb.empty()) return sanitiseFailed("WebP pixels not decoded");
  std::uint8_t* out = nullptr;
  // A lossless original stays lossless (same pixels); a lossy one is re-encoded at quality 90,
  // because a lossless copy of a lossy photo is several times larger and no more faithful.
  const bool lossless = parsed.webp_lossless;
  const std::size_t size =
      lossless
          ? WebPEncodeLosslessRGB(rgb.data, rgb.cols, rgb.rows, static_cast<int>(rgb.step), &out)
          : WebPEncodeRGB(rgb.data, rgb.cols, rgb.rows, static_cast<int>(rgb.step), 90, &out);
  std::unique_ptr<std::uint8_t, decltype(&WebPFree)> owned(out, &WebPFree);
  if (size == 0) return sanitiseFailed("WebP encoding failed");
  SanitisedPhoto photo;
  photo.format = ImageFormat::kWebp;
  photo.lossless = lossless && !parsed.webp_alpha;
  photo.bytes.assign(out, out + size);
  return photo;
}

// HEIC and AVIF: no lossless way to drop their metadata and keep the picture in every viewer
// the school publishes to, so the upright pixels are encoded again as JPEG.
Result<SanitisedPhoto> sanitiseHeif(const ParsedPhoto& parsed, int quality) {
  if (parsed.image.rgb.empty()) return sanitiseFailed("HEIF pixels not decoded");
  cv::Mat bgr;
  cv::cvtColor(parsed.image.rgb, bgr, cv::COLOR_RGB2BGR);
  SanitisedPhoto photo;
  photo.format = ImageFormat::kJpeg;
  photo.lossless = false;
  if (!cv::imencode(".jpg", bgr, photo.bytes, {cv::IMWRITE_JPEG_QUALITY, quality})) {
    return sanitiseFailed("JPEG encoding of the HEIF picture failed");
  }
  return photo;
}

// The copy, then its proof: verifyClean() reads the output once. `parsed.image.rgb` may be
// empty for JPEG and PNG, which are copied without their pixels.
Result<SanitisedPhoto> sanitiseParsed(const ParsedPhoto& parsed, const LoadLimits& limits,
                                      int heif_jpeg_quality) {
  Result<SanitisedPhoto> photo = [&]() -> Result<SanitisedPhoto> {
    switch (parsed.header.format) {
      case ImageFormat::kJpeg:
        return sanitiseJpeg(parsed, limits);
      case ImageFormat::kPng:
        return sanitisePng(parsed);
      case ImageFormat::kWebp:
        return sanitiseWebp(parsed);
      case ImageFormat::kHeic:
      case ImageFormat::kAvif:
        return sanitiseHeif(parsed, heif_jpeg_quality);
    }
    return sanitiseFailed("unhandled format");
  }();
  if (!photo) return photo;
  Status clean = verifyClean(photo->bytes);
  if (!clean) return clean.error();
  return photo;
}

}  // namespace

Result<SanitisedPhoto> sanitise(std::span<const std::uint8_t> bytes, const LoadLimits& limits,
                                int heif_jpeg_quality) {
  if (Status size = detail::checkFileSize(bytes, limits); !size) return size.error();
  auto opened = detail::openImage(bytes);
  if (!opened) return opened.error();
  if (Status pixels = detail::checkPixels(opened->header, limits); !pixels) return pixels.error();
  // Hostile metadata stops here: a file we cannot read is not one we vouch for once cleaned.
  detail::MetadataExtras extras;
  auto metadata = detail::readOpenedMetadata(bytes, *opened, extras);
  if (!metadata) return metadata.error();

  ParsedPhoto parsed;
  parsed.bytes = bytes;
  parsed.header = opened->header;
  parsed.metadata = std::move(metadata.value());
  parsed.webp_lossless = opened->webp_lossless;
  parsed.webp_alpha = opened->webp_alpha;
  parsed.png_kept_chunks = std::move(extras.png_kept_chunks);
  parsed.image.format = opened->header.format;
  // Only the formats that are encoded again need their pixels; none of them is turned by EXIF.
  const ImageFormat format = opened->header.format;
  if (format == ImageFormat::kWebp || format == ImageFormat::kHeic ||
      format == ImageFormat::kAvif) {
    auto stored = detail::decodeStoredPixels(bytes, *opened);
    if (!stored) return stored.error();
    parsed.image.rgb = std::move(stored.value());
  }
  return sanitiseParsed(parsed, limits, heif_jpeg_quality);
}

Result<SanitisedPhoto> sanitise(const ParsedPhoto& photo, int heif_jpeg_quality) {
  return sanitiseParsed(photo, LoadLimits{}, heif_jpeg_quality);
}

Status verifyClean(std::span<const std::uint8_t> bytes) {
  auto opened = detail::openImage(bytes);
  if (!opened) {
    return notClean("cannot be re-read: " + opened.error().code + ": " + opened.error().detail);
  }
  detail::MetadataExtras extras;
  auto metadata = detail::readOpenedMetadata(bytes, *opened, extras);
  if (!metadata)
    return notClean("cannot be re-read: " + metadata.error().code + ": " + metadata.error().detail);
  std::string found;
  auto note = [&found](const std::string& what) { found += (found.empty() ? "" : "; ") + what; };
  for (const std::string& block : metadata->blocks) note("block " + block);
  for (const TextField& field : metadata->text_fields) note("text " + field.name);
  if (!metadata->camera_make.empty()) note("camera make");
  if (!metadata->camera_model.empty()) note("camera model");
  if (!metadata->camera_serial.empty()) note("camera serial number");
  if (metadata->has_gps) note("GPS");
  if (metadata->orientation != 1) note("orientation " + std::to_string(metadata->orientation));
  if (!found.empty()) return notClean("still present: " + found);
  auto decoded = detail::decodeStoredPixels(bytes, *opened);
  if (!decoded) return notClean("does not decode: " + decoded.error().detail);
  return okStatus();
}

}  // namespace consentguard::image
