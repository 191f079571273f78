#include "consentguard/image/exif_orientation.h"

#include <libexif/exif-data.h>

#include <memory>
#include <opencv2/core.hpp>

#include "read_parts.h"

namespace consentguard::image {

int readExifOrientation(std::span<const std::uint8_t> jpeg) {
  detail::countMetadata();
  std::unique_ptr<ExifData, decltype(&exif_data_unref)> data(
      exif_data_new_from_data(jpeg.data(), static_cast<unsigned int>(jpeg.size())),
      &exif_data_unref);
  if (!data) return 1;
  ExifEntry* entry = exif_content_get_entry(data->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
  if (!entry || entry->format != EXIF_FORMAT_SHORT || entry->components < 1 || entry->size < 2) {
    return 1;
  }
  const int value = exif_get_short(entry->data, exif_data_get_byte_order(data.get()));
  return (value >= 1 && value <= 8) ? value : 1;
}

cv::Mat applyOrientation(const cv::Mat& pixels, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2:
      cv::flip(pixels, out, 1);
      break;  // mirrored left-right
    case 3:
      cv::rotate(pixels, out, cv::ROTATE_180);
      break;
    case 4:
      cv::flip(pixels, out, 0);
      break;  // mirrored top-bottom
    case 5:
      cv::transpose(pixels, out);
      break;  // mirrored along the diagonal
    case 6:
      cv::rotate(pixels, out, cv::ROTATE_90_CLOCKWISE);
      break;
    case 7:
      cv::transpose(pixels, out);
      cv::flip(out, out, -1);
      break;  // anti-diagonal
    case 8:
      cv::rotate(pixels, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      out = pixels;
      break;
  }
  return out;
}

}  // namespace consentguard::image
