#include "heif_file.h"

#include <libheif/heif.h>

#include "read_parts.h"

#include <cstring>
#include <optional>

namespace consentguard::image {
namespace {

// libheif's own limit on a picture's width and height, before anything is decoded.
constexpr int kMaxHeifSide = 30000;

std::string brandAt(std::span<const std::uint8_t> bytes, size_t at) {
  return std::string(reinterpret_cast<const char*>(bytes.data() + at), 4);
}

Error heifError(const heif_error& e, std::span<const std::uint8_t> bytes) {
  const std::string detail = std::string("libheif: ") + (e.message ? e.message : "");
  if (e.code == heif_error_Unsupported_feature || e.code == heif_error_Unsupported_filetype) {
    return makeError("unsupported_format",
                     "This HEIC/HEIF photo uses a feature Consent Guard cannot read. Export it as "
                     "JPEG (on an iPad or iPhone: Settings > Camera > Formats > Most Compatible) "
                     "and submit it again.",
                     detail);
  }
  if (e.code == heif_error_Memory_allocation_error ||
      e.subcode == heif_suberror_Security_limit_exceeded) {
    return makeError("too_many_pixels",
                     "The photo is too large to check. Export a smaller copy of it.", detail);
  }
  // A box that runs past the end of the file means it was cut short.
  if (e.subcode == heif_suberror_End_of_data || bytes.size() < 64) return truncatedImage(detail);
  return corruptImage(detail);
}

}  // namespace

void HeifFile::ContextFree::operator()(heif_context* c) const { heif_context_free(c); }
void HeifFile::HandleFree::operator()(heif_image_handle* h) const { heif_image_handle_release(h); }

std::optional<ImageFormat> sniffHeif(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 16 || std::memcmp(bytes.data() + 4, "ftyp", 4) != 0) return std::nullopt;
  const std::uint32_t boxSize = (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
                                (std::uint32_t{bytes[2]} << 8) | bytes[3];
  const size_t end = std::min<size_t>(bytes.size(), std::max<std::uint32_t>(boxSize, 16));
  bool heic = false, avif = false, mif1 = false;
  const auto look = [&](const std::string& brand) {
    heic = heic || brand == "heic" || brand == "heix" || brand == "heim" || brand == "heis" ||
           brand == "hevc" || brand == "hevx" || brand == "hevm" || brand == "hevs";
    avif = avif || brand == "avif" || brand == "avis";
    mif1 = mif1 || brand == "mif1" || brand == "msf1";
  };
  look(brandAt(bytes, 8));                                    // the major brand
  for (size_t at = 16; at + 4 <= end; at += 4) look(brandAt(bytes, at));  // compatible brands
  if (heic) return ImageFormat::kHeic;
  if (avif) return ImageFormat::kAvif;
  if (mif1) return ImageFormat::kHeic;  // a HEIF of another codec: libheif says if it can
  return std::nullopt;
}

Result<HeifFile> HeifFile::open(std::span<const std::uint8_t> bytes) {
  detail::countHeifOpen();
  const auto format = sniffHeif(bytes);
  if (!format) return corruptImage("no HEIF brand in the ftyp box");
  std::unique_ptr<heif_context, ContextFree> context(heif_context_alloc());
  if (!context) return makeError("internal", "The photo could not be read.", "heif_context_alloc");
  heif_context_set_maximum_image_size_limit(context.get(), kMaxHeifSide);
  heif_error e = heif_context_read_from_memory_without_copy(context.get(), bytes.data(),
                                                             bytes.size(), nullptr);
  if (e.code != heif_error_Ok) return heifError(e, bytes);
  const int pictures = heif_context_get_number_of_top_level_images(context.get());
  if (pictures != 1) {
    return makeError("several_images",
                     "This file holds " + std::to_string(pictures) +
                         " pictures (a burst or a sequence), and Consent Guard checks one "
                         "picture per file. Choose the one photo to publish, export it on its "
                         "own, and submit that.",
                     std::to_string(pictures) + " top-level images");
  }
  heif_image_handle* handle = nullptr;
  e = heif_context_get_primary_image_handle(context.get(), &handle);
  if (e.code != heif_error_Ok) return heifError(e, bytes);
  std::unique_ptr<heif_image_handle, HandleFree> primary(handle);
  if (heif_image_handle_get_width(primary.get()) <= 0 ||
      heif_image_handle_get_height(primary.get()) <= 0) {
    return corruptImage("HEIF picture without a size");
  }
  return HeifFile(std::move(context), std::move(primary), *format);
}

int HeifFile::width() const { return heif_image_handle_get_width(primary_.get()); }
int HeifFile::height() const { return heif_image_handle_get_height(primary_.get()); }
int HeifFile::thumbnails() const {
  return heif_image_handle_get_number_of_thumbnails(primary_.get());
}
bool HeifFile::hasDepth() const { return heif_image_handle_has_depth_image(primary_.get()) != 0; }

std::vector<HeifMetadataBlock> HeifFile::metadata() const {
  const int count = heif_image_handle_get_number_of_metadata_blocks(primary_.get(), nullptr);
  std::vector<heif_item_id> ids(static_cast<size_t>(std::max(count, 0)));
  heif_image_handle_get_list_of_metadata_block_IDs(primary_.get(), nullptr, ids.data(), count);
  std::vector<HeifMetadataBlock> blocks;
  for (const heif_item_id id : ids) {
    HeifMetadataBlock block;
    const char* type = heif_image_handle_get_metadata_type(primary_.get(), id);
    const char* content = heif_image_handle_get_metadata_content_type(primary_.get(), id);
    block.type = type ? type : "";
    block.content_type = content ? content : "";
    block.data.resize(heif_image_handle_get_metadata_size(primary_.get(), id));
    if (!block.data.empty() &&
        heif_image_handle_get_metadata(primary_.get(), id, block.data.data()).code !=
            heif_error_Ok) {
      block.data.clear();
    }
    blocks.push_back(std::move(block));
  }
  return blocks;
}

Result<cv::Mat> HeifFile::decodeRgb() const {
  detail::countPixels();
  heif_image* decoded = nullptr;
  // With default options the rotation and mirroring (irot, imir) are applied.
  const heif_error e = heif_decode_image(primary_.get(), &decoded, heif_colorspace_RGB,
                                         heif_chroma_interleaved_RGB, nullptr);
  if (e.code != heif_error_Ok) {
    return corruptImage(std::string("libheif could not decode the picture: ") +
                        (e.message ? e.message : ""));
  }
  std::unique_ptr<heif_image, decltype(&heif_image_release)> image(decoded, &heif_image_release);
  int stride = 0;
  const std::uint8_t* plane =
      heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
  const int w = heif_image_get_width(image.get(), heif_channel_interleaved);
  const int h = heif_image_get_height(image.get(), heif_channel_interleaved);
  if (!plane || w <= 0 || h <= 0) return corruptImage("libheif gave no pixels");
  cv::Mat rgb(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y) {
    std::memcpy(rgb.ptr(y), plane + static_cast<size_t>(y) * stride, static_cast<size_t>(w) * 3);
  }
  return rgb;
}

}  // namespace consentguard::image
