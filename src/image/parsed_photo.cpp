#include "consentguard/image/parsed_photo.h"

#include "consentguard/image/exif_orientation.h"
#include "read_parts.h"

namespace consentguard::image {

Result<ParsedPhoto> parsePhoto(std::span<const std::uint8_t> bytes, const LoadLimits& limits) {
  if (Status size = detail::checkFileSize(bytes, limits); !size) return size.error();
  auto opened = detail::openImage(bytes);
  if (!opened) return opened.error();
  if (Status pixels = detail::checkPixels(opened->header, limits); !pixels) return pixels.error();
  auto stored = detail::decodeStoredPixels(bytes, *opened);
  if (!stored) return stored.error();
  detail::MetadataExtras extras;
  auto metadata = detail::readOpenedMetadata(bytes, *opened, extras);
  if (!metadata) return metadata.error();

  ParsedPhoto photo;
  photo.bytes = bytes;
  photo.header = opened->header;
  photo.webp_lossless = opened->webp_lossless;
  photo.webp_alpha = opened->webp_alpha;
  photo.png_kept_chunks = std::move(extras.png_kept_chunks);
  photo.image.format = opened->header.format;
  // As decodeImage(): only a JPEG's EXIF orientation turns the pixels (see image_loader.cpp).
  photo.image.orientation =
      opened->header.format == ImageFormat::kJpeg ? extras.pixel_orientation : 1;
  photo.image.rgb = applyOrientation(*stored, photo.image.orientation);
  photo.metadata = std::move(metadata.value());
  return photo;
}

}  // namespace consentguard::image
