#include "support/heif_fixture.h"

#include <gtest/gtest.h>
#include <libheif/heif.h>

#include <cstring>
#include <memory>

namespace consentguard::testing {
namespace {

bool ok(const heif_error& e, const char* what) {
  if (e.code == heif_error_Ok) return true;
  ADD_FAILURE() << what << ": " << (e.message ? e.message : "");
  return false;
}

heif_error appendBytes(heif_context*, const void* data, size_t size, void* userdata) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(userdata);
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
  return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
}

}  // namespace

std::vector<std::uint8_t> makeHeic(const HeifParts& parts) {
  std::unique_ptr<heif_context, decltype(&heif_context_free)> context(heif_context_alloc(),
                                                                       &heif_context_free);
  heif_encoder* rawEncoder = nullptr;
  if (!ok(heif_context_get_encoder_for_format(context.get(), heif_compression_HEVC, &rawEncoder),
          "no HEVC encoder")) {
    return {};
  }
  std::unique_ptr<heif_encoder, decltype(&heif_encoder_release)> encoder(rawEncoder,
                                                                         &heif_encoder_release);
  heif_encoder_set_lossy_quality(encoder.get(), 90);
  const int w = parts.rgb.cols, h = parts.rgb.rows;
  heif_image* rawImage = nullptr;
  if (!ok(heif_image_create(w, h, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &rawImage),
          "heif_image_create")) {
    return {};
  }
  std::unique_ptr<heif_image, decltype(&heif_image_release)> image(rawImage, &heif_image_release);
  if (!ok(heif_image_add_plane(image.get(), heif_channel_interleaved, w, h, 8), "add_plane")) {
    return {};
  }
  int stride = 0;
  std::uint8_t* plane = heif_image_get_plane(image.get(), heif_channel_interleaved, &stride);
  for (int y = 0; y < h; ++y) {
    std::memcpy(plane + static_cast<size_t>(y) * stride, parts.rgb.ptr(y),
                static_cast<size_t>(w) * 3);
  }
  std::unique_ptr<heif_encoding_options, decltype(&heif_encoding_options_free)> options(
      heif_encoding_options_alloc(), &heif_encoding_options_free);
  options->image_orientation = static_cast<heif_orientation>(parts.orientation);
  for (int i = 0; i < parts.pictures; ++i) {
    heif_image_handle* handle = nullptr;
    if (!ok(heif_context_encode_image(context.get(), image.get(), encoder.get(), options.get(),
                                      &handle),
            "encode")) {
      return {};
    }
    if (i == 0) {
      heif_context_set_primary_image(context.get(), handle);
      if (!parts.exif.empty() &&
          !ok(heif_context_add_exif_metadata(context.get(), handle, parts.exif.data(),
                                             static_cast<int>(parts.exif.size())),
              "EXIF")) {
        return {};
      }
      if (!parts.xmp.empty() &&
          !ok(heif_context_add_XMP_metadata(context.get(), handle, parts.xmp.data(),
                                            static_cast<int>(parts.xmp.size())),
              "XMP")) {
        return {};
      }
    }
    heif_image_handle_release(handle);
  }
  std::vector<std::uint8_t> out;
  heif_writer writer{};
  writer.writer_api_version = 1;
  writer.write = appendBytes;
  if (!ok(heif_context_write(context.get(), &writer, &out), "write")) return {};
  return out;
}

std::vector<std::uint8_t> exifOfJpeg(const std::vector<std::uint8_t>& jpeg) {
  size_t pos = 2;
  while (pos + 4 <= jpeg.size() && jpeg[pos] == 0xFF) {
    const std::uint8_t marker = jpeg[pos + 1];
    const size_t length = (size_t{jpeg[pos + 2]} << 8) | jpeg[pos + 3];
    if (marker == 0xE1 && length > 8 && pos + 2 + length <= jpeg.size() &&
        std::memcmp(jpeg.data() + pos + 4, "Exif\0\0", 6) == 0) {
      return {jpeg.begin() + static_cast<long>(pos) + 10,
              jpeg.begin() + static_cast<long>(pos) + 2 + static_cast<long>(length)};
    }
    if (marker == 0xDA) break;
    pos += 2 + length;
  }
  return {};
}

}  // namespace consentguard::testing
