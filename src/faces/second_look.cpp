#include "second_look.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "hog_look.h"

namespace consentguard::faces {
namespace {

// The box's square, three times its side and then one and a half times, at kLookSide px: the
// face about 85 px and then 170 px, inside TinyFaceDetector's anchors (51 to 340 px). A face that
// fills its photo (a child's 0.48 box, 310 px of a 432 px photo) was seen only at the closer
// look. One shape, so the network is set up once.
constexpr int kLookSide = 258;  // 256 and the 2 px the unpadded first convolution loses
constexpr std::array<float, 2> kAround = {3.0f, 1.5f};
// TinyFaceDetector's score to agree. Measured with `consentguard_bench 1 --invented-eval`.
constexpr float kTinyAgrees = 0.3f;

}  // namespace

SecondLook::SecondLook(std::unique_ptr<TinyNetwork> network) : network_(std::move(network)) {}

bool SecondLook::agrees(const cv::Mat& rgb, const cv::Rect2f& box) {
  for (float around : kAround) {
    if (tinyAgrees(rgb, box, around)) return true;
  }
  return hogSeesFace(hog_, rgb, cv::Rect(box), 0);
}

bool SecondLook::tinyAgrees(const cv::Mat& rgb, const cv::Rect2f& box, float around) {
  const float side = around * std::max(box.width, box.height);
  const cv::Point2f centre(box.x + box.width / 2, box.y + box.height / 2);
  const cv::Rect source(cvFloor(centre.x - side / 2), cvFloor(centre.y - side / 2), cvCeil(side),
                        cvCeil(side));
  const cv::Rect inside = source & cv::Rect(0, 0, rgb.cols, rgb.rows);
  if (inside.area() == 0) return false;
  // Grey where the square runs off the photo, as the network sees no edge there.
  cv::Mat square(source.size(), CV_8UC3, cv::Scalar::all(128));
  rgb(inside).copyTo(square(inside - source.tl()));
  const float scale = static_cast<float>(kLookSide) / static_cast<float>(source.width);
  cv::resize(square, square, cv::Size(kLookSide, kLookSide), 0, 0,
             scale < 1.0f ? cv::INTER_AREA : cv::INTER_LINEAR);
  const cv::Point2f middle(kLookSide / 2.0f, kLookSide / 2.0f);
  const float expected = std::max(box.width, box.height) * scale;
  for (const SsdCandidate& c : network_->run(square, kTinyAgrees)) {
    const cv::Point2f at(c.box.x + c.box.width / 2, c.box.y + c.box.height / 2);
    const float size = std::max(c.box.width, c.box.height);
    if (cv::norm(at - middle) < 0.5f * expected && size > 0.5f * expected &&
        size < 2.0f * expected) {
      return true;
    }
  }
  return false;
}

}  // namespace consentguard::faces
