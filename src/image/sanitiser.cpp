// sanitise(): JPEG through libjpeg-turbo's lossless transform (coefficients copied, turned
// upright, no marker copied), PNG rebuilt from an allow-list of verified chunks, WebP decoded and
// re-encoded by the simple libwebp API (which writes no metadata). Whatever comes out is re-read
// by readMetadata() and decoded in full before it is returned.
#include "consentguard/image/sanitiser.h"

#include <turbojpeg.h>
#include <webp/decode.h>
#include <webp/encode.h>

#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "consentguard/image/metadata.h"
#include "metadata_parts.h"

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

Status checkLimits(const ImageHeader& header, const LoadLimits& limits) {
  const std::uint64_t pixels = std::uint64_t(header.width) * std::uint64_t(header.height);
  if (pixels > limits.max_pixels) {
    return makeError("too_many_pixels",
                     "The photo is too large (" + std::to_string(header.width) + " x " +
                         std::to_string(header.height) + " pixels). Export a copy of at most " +
                         std::to_string(limits.max_pixels / 1'000'000) + " megapixels.",
                     std::to_string(pixels) + " pixels declared in the header");
  }
  return okStatus();
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
// nothing); it is decoded upright and compressed again at a high quality instead.
Result<Bytes> reencodeUpright(ByteSpan bytes, const LoadLimits& limits) {
  auto image = decodeImage(bytes, limits);
  if (!image) return image.error();
  TjHandle handle(tjInitCompress(), &tjDestroy);
  if (!handle) return sanitiseFailed("tjInitCompress");
  unsigned char* out = nullptr;
  unsigned long outSize = 0;
  const cv::Mat& rgb = image->rgb;
  const int rc = tjCompress2(handle.get(), rgb.data, rgb.cols, static_cast<int>(rgb.step), rgb.rows,
                             TJPF_RGB, &out, &outSize, TJSAMP_444, 95, 0);
  std::unique_ptr<unsigned char, decltype(&tjFree)> owned(out, &tjFree);
  if (rc != 0) return sanitiseFailed(std::string("tjCompress2: ") + tjGetErrorStr2(handle.get()));
  return Bytes(out, out + outSize);
}

Result<SanitisedPhoto> sanitiseJpeg(ByteSpan bytes, int orientation, const LoadLimits& limits) {
  TjHandle handle(tjInitTransform(), &tjDestroy);
  if (!handle) return sanitiseFailed("tjInitTransform");
  SanitisedPhoto photo;
  photo.orientation_applied = orientation;
  const TJXOP op = transformFor(orientation);
  auto out = runTransform(handle.get(), bytes, op, TJXOPT_PERFECT);
  if (!out && op != TJXOP_NONE) out = runTransform(handle.get(), bytes, op, TJXOPT_TRIM);
  if (out && !hasPixels(*out)) out = sanitiseFailed("trimming left no pixels");
  if (!out && op != TJXOP_NONE) {
    out = reencodeUpright(bytes, limits);
    photo.lossless = false;
  }
  if (!out) return out.error();
  photo.bytes = std::move(*out);
  return photo;
}

Result<SanitisedPhoto> sanitisePng(ByteSpan bytes) {
  auto layout = detail::walkPng(bytes);
  if (!layout) return layout.error();
  SanitisedPhoto photo;
  photo.format = ImageFormat::kPng;
  photo.bytes.assign(bytes.begin(), bytes.begin() + 8);
  for (const detail::PngChunk& chunk : layout->chunks) {
    if (detail::isAllowedPngChunk(chunk.type)) {
      photo.bytes.insert(photo.bytes.end(), chunk.whole.begin(), chunk.whole.end());
    }
  }
  return photo;
}

Result<SanitisedPhoto> sanitiseWebp(ByteSpan bytes, const LoadLimits& limits) {
  WebPBitstreamFeatures features;
  if (WebPGetFeatures(bytes.data(), bytes.size(), &features) != VP8_STATUS_OK) {
    return sanitiseFailed("WebPGetFeatures");
  }
  auto image = decodeImage(bytes, limits);
  if (!image) return image.error();
  const cv::Mat& rgb = image->rgb;
  std::uint8_t* out = nullptr;
  // A lossless original stays lossless (same pixels); a lossy one is re-encoded at quality 90,
  // because a lossless copy of a lossy photo is several times larger and no more faithful.
  const bool lossless = features.format == 2;
  const std::size_t size =
      lossless
          ? WebPEncodeLosslessRGB(rgb.data, rgb.cols, rgb.rows, static_cast<int>(rgb.step), &out)
          : WebPEncodeRGB(rgb.data, rgb.cols, rgb.rows, static_cast<int>(rgb.step), 90, &out);
  std::unique_ptr<std::uint8_t, decltype(&WebPFree)> owned(out, &WebPFree);
  if (size == 0) return sanitiseFailed("WebP encoding failed");
  SanitisedPhoto photo;
  photo.format = ImageFormat::kWebp;
  photo.lossless = lossless && !features.has_alpha;
  photo.bytes.assign(out, out + size);
  return photo;
}

// HEIC and AVIF: no lossless way to drop their metadata and keep the picture in every viewer
// the school publishes to, so the upright pixels are encoded again as JPEG.
Result<SanitisedPhoto> sanitiseHeif(std::span<const std::uint8_t> bytes, const LoadLimits& limits,
                                    int quality) {
  auto decoded = decodeImage(bytes, limits);
  if (!decoded) return decoded.error();
  cv::Mat bgr;
  cv::cvtColor(decoded->rgb, bgr, cv::COLOR_RGB2BGR);
  SanitisedPhoto photo;
  photo.format = ImageFormat::kJpeg;
  photo.lossless = false;
  if (!cv::imencode(".jpg", bgr, photo.bytes, {cv::IMWRITE_JPEG_QUALITY, quality})) {
    return sanitiseFailed("JPEG encoding of the HEIF picture failed");
  }
  return photo;
}

}  // namespace

Result<SanitisedPhoto> sanitise(std::span<const std::uint8_t> bytes, const LoadLimits& limits,
                                int heif_jpeg_quality) {
  if (bytes.size() > limits.max_bytes) {
    return makeError("too_large", "The file is too large. Export a smaller copy of the photo.",
                     std::to_string(bytes.size()) + " bytes");
  }
  auto header = readImageHeader(bytes);
  if (!header) return header.error();
  Status withinLimits = checkLimits(*header, limits);
  if (!withinLimits) return withinLimits.error();
  // Hostile metadata stops here: a file we cannot read is not one we vouch for once cleaned.
  auto metadata = readMetadata(bytes);
  if (!metadata) return metadata.error();

  Result<SanitisedPhoto> photo = [&]() -> Result<SanitisedPhoto> {
    switch (header->format) {
      case ImageFormat::kJpeg:
        return sanitiseJpeg(bytes, metadata->orientation, limits);
      case ImageFormat::kPng:
        return sanitisePng(bytes);
      case ImageFormat::kWebp:
        return sanitiseWebp(bytes, limits);
      case ImageFormat::kHeic:
      case ImageFormat::kAvif:
        return sanitiseHeif(bytes, limits, heif_jpeg_quality);
    }
    return sanitiseFailed("unhandled format");
  }();
  if (!photo) return photo;
  Status clean = verifyClean(photo->bytes);
  if (!clean) return clean.error();
  return photo;
}

Status verifyClean(std::span<const std::uint8_t> bytes) {
  auto metadata = readMetadata(bytes);
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
  auto decoded = decodeImage(bytes, LoadLimits{~0ull, ~0ull});
  if (!decoded) return notClean("does not decode: " + decoded.error().detail);
  return okStatus();
}

}  // namespace consentguard::image
