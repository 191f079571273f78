#include "consentguard/check/contact_sheet.h"

#include <algorithm>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace consentguard::check {
namespace {

constexpr int kColumns = 6;
constexpr int kCaption = 18;  // pixels under each frame for its time
constexpr int kGap = 4;

cv::Scalar colourOf(const std::string& status) {
  if (status == "consented" || status == "staff") return {60, 170, 40};      // green (BGR)
  if (status == "no_photo" || status == "no_consent") return {30, 30, 220};  // red
  return {0, 165, 255};  // amber: a person must look
}

std::string timeOf(std::int64_t ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%d:%04.1f", static_cast<int>(ms / 60000),
                static_cast<double>(ms % 60000) / 1000);
  return text;
}

}  // namespace

cv::Mat contactSheet(const VideoCheckResult& result) {
  std::vector<const VideoFrame*> shown;
  const size_t count = result.frames.size();
  const size_t keep = std::min<size_t>(count, kMaxContactSheetFrames);
  for (size_t i = 0; i < keep; ++i) shown.push_back(&result.frames[i * count / keep]);
  if (shown.empty()) return {};
  int cellW = 0, cellH = 0;
  for (const auto* f : shown) {
    cellW = std::max(cellW, f->thumbnail.cols);
    cellH = std::max(cellH, f->thumbnail.rows);
  }
  const int columns = std::min<int>(kColumns, static_cast<int>(shown.size()));
  const int rows = (static_cast<int>(shown.size()) + columns - 1) / columns;
  cv::Mat sheet(rows * (cellH + kCaption + kGap) + kGap, columns * (cellW + kGap) + kGap, CV_8UC3,
                cv::Scalar(255, 255, 255));
  for (size_t i = 0; i < shown.size(); ++i) {
    const VideoFrame& frame = *shown[i];
    const int x0 = kGap + static_cast<int>(i % columns) * (cellW + kGap);
    const int y0 = kGap + static_cast<int>(i / columns) * (cellH + kCaption + kGap);
    const int dx = (cellW - frame.thumbnail.cols) / 2;
    cv::Mat tile = sheet(cv::Rect(x0 + dx, y0, frame.thumbnail.cols, frame.thumbnail.rows));
    cv::cvtColor(frame.thumbnail, tile, cv::COLOR_RGB2BGR);
    for (const auto& [box, person] : frame.faces) {
      const std::string status = person >= 0 && person < static_cast<int>(result.people.size())
                                     ? result.people[static_cast<size_t>(person)].face.status
                                     : std::string();
      const cv::Scalar colour = colourOf(status);
      const cv::Rect shownBox(static_cast<int>(box.x * frame.scale),
                              static_cast<int>(box.y * frame.scale),
                              std::max(2, static_cast<int>(box.width * frame.scale)),
                              std::max(2, static_cast<int>(box.height * frame.scale)));
      cv::rectangle(tile, shownBox, colour, 2);
      const std::string label = std::to_string(person + 1);
      int baseline = 0;
      const cv::Size size = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, 0.5, 1, &baseline);
      const cv::Point at(
          std::clamp(shownBox.x, 0, std::max(0, tile.cols - size.width - 4)),
          std::clamp(shownBox.y - size.height - 4, 0, std::max(0, tile.rows - size.height - 4)));
      cv::rectangle(tile,
                    cv::Rect(at.x, at.y, size.width + 4, size.height + 4) &
                        cv::Rect(0, 0, tile.cols, tile.rows),
                    colour, cv::FILLED);
      cv::putText(tile, label, cv::Point(at.x + 2, at.y + size.height + 1),
                  cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
    }
    cv::putText(sheet, timeOf(frame.ms) + (frame.scene_cut ? " cut" : ""),
                cv::Point(x0 + 2, y0 + cellH + kCaption - 5), cv::FONT_HERSHEY_SIMPLEX, 0.42,
                cv::Scalar(40, 40, 40), 1, cv::LINE_AA);
  }
  return sheet;
}

std::vector<std::uint8_t> contactSheetJpeg(const VideoCheckResult& result) {
  const cv::Mat sheet = contactSheet(result);
  std::vector<std::uint8_t> jpeg;
  if (!sheet.empty()) cv::imencode(".jpg", sheet, jpeg, {cv::IMWRITE_JPEG_QUALITY, 80});
  return jpeg;
}

}  // namespace consentguard::check
