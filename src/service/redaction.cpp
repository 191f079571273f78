#include "redaction.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace consentguard::service {

Result<RedactedPhoto> redactFaces(const std::vector<std::uint8_t>& original,
                                  const std::vector<cv::Rect>& faces, faces::FaceEngine& engine,
                                  const image::LoadLimits& limits) {
  auto image = image::decodeImage(original, limits);
  if (!image) return image.error();
  cv::Mat rgb = image->rgb.clone();
  const cv::Rect whole(0, 0, rgb.cols, rgb.rows);
  RedactedPhoto redacted;
  for (const cv::Rect& face : faces) {
    const int dx = face.width / 4, dy = face.height / 4;
    const cv::Rect area =
        cv::Rect(face.x - dx, face.y - dy, face.width + 2 * dx, face.height + 2 * dy) & whole;
    if (area.area() == 0) continue;
    rgb(area).setTo(cv::Scalar(0, 0, 0));
    redacted.covered.push_back(area);
  }
  for (const auto& found : engine.analyse(rgb)) {
    for (const cv::Rect& area : redacted.covered) {
      if ((found.box & area).area() > 0) {
        return makeError(
            "not_covered",
            "A face can still be found in the covered copy, so it was not published. "
            "Reject the photo, or crop it before submitting it again.",
            "face at " + std::to_string(found.box.x) + "," + std::to_string(found.box.y));
      }
    }
  }
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  std::vector<uchar> jpeg;
  if (!cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, 92})) {
    return makeError("encode_failed", "The covered copy could not be made.");
  }
  redacted.jpeg.assign(jpeg.begin(), jpeg.end());
  return redacted;
}

}  // namespace consentguard::service
