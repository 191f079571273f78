#include "consentguard/faces/detector.h"

#include <dlib/dnn.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>

namespace consentguard::faces {
namespace {

// dlib's HOG detector scans an 80x80 window; faces much smaller than that are missed.
constexpr double kHogWindow = 80.0;
// The MMOD model was trained to find faces down to about 40x40 pixels.
constexpr double kMmodWindow = 40.0;

cv::Rect toCv(const dlib::rectangle& r) {
  return cv::Rect(r.left(), r.top(), r.width(), r.height());
}

class HogDetector final : public FaceDetector {
 public:
  explicit HogDetector(const DetectorOptions& options)
      : FaceDetector(options, kHogWindow), detector_(dlib::get_frontal_face_detector()) {}
  DetectorKind kind() const override { return DetectorKind::kHog; }

 protected:
  std::vector<FaceBox> detectAtWorkingScale(const cv::Mat& rgb) override {
    dlib::cv_image<dlib::rgb_pixel> image(rgb);
    std::vector<dlib::rect_detection> found;
    detector_(image, found, 0.0);
    std::vector<FaceBox> faces;
    for (const auto& d : found) faces.push_back({toCv(d.rect), d.detection_confidence});
    return faces;
  }

 private:
  dlib::frontal_face_detector detector_;
};

// The network declared in dlib's dnn_mmod_face_detection_ex.cpp.
template <long N, typename S> using con5d = dlib::con<N, 5, 5, 2, 2, S>;
template <long N, typename S> using con5 = dlib::con<N, 5, 5, 1, 1, S>;
template <typename S>
using downsampler = dlib::relu<dlib::affine<con5d<
    32, dlib::relu<dlib::affine<con5d<32, dlib::relu<dlib::affine<con5d<16, S>>>>>>>>>;
template <typename S> using rcon5 = dlib::relu<dlib::affine<con5<45, S>>>;
using MmodNet = dlib::loss_mmod<dlib::con<
    1, 9, 9, 1, 1,
    rcon5<rcon5<rcon5<downsampler<dlib::input_rgb_image_pyramid<dlib::pyramid_down<6>>>>>>>>;

class MmodDetector final : public FaceDetector {
 public:
  MmodDetector(const DetectorOptions& options, MmodNet net)
      : FaceDetector(options, kMmodWindow), net_(std::move(net)) {}
  DetectorKind kind() const override { return DetectorKind::kMmod; }

 protected:
  std::vector<FaceBox> detectAtWorkingScale(const cv::Mat& rgb) override {
    dlib::matrix<dlib::rgb_pixel> image;
    dlib::assign_image(image, dlib::cv_image<dlib::rgb_pixel>(rgb));
    std::vector<FaceBox> faces;
    for (const auto& d : net_(image)) faces.push_back({toCv(d.rect), d.detection_confidence});
    return faces;
  }

 private:
  MmodNet net_;
};

// MMOD and HOG together: MMOD's faces, plus HOG's faces that MMOD did not find.
class CombinedDetector final : public FaceDetector {
 public:
  CombinedDetector(const DetectorOptions& options, MmodNet net)
      : FaceDetector(options, kMmodWindow),
        mmod_(std::make_unique<MmodDetector>(options, std::move(net))),
        hog_(std::make_unique<HogDetector>(options)) {}
  DetectorKind kind() const override { return DetectorKind::kMmod; }

  std::vector<FaceBox> detect(const cv::Mat& rgb) override {
    std::vector<FaceBox> faces = mmod_->detect(rgb);
    const size_t fromMmod = faces.size();
    for (const FaceBox& hog : hog_->detect(rgb)) {
      const cv::Point centre(hog.box.x + hog.box.width / 2, hog.box.y + hog.box.height / 2);
      const bool alreadyFound = std::any_of(faces.begin(), faces.begin() + fromMmod,
                                            [&](const FaceBox& f) { return f.box.contains(centre); });
      if (!alreadyFound) faces.push_back(hog);
    }
    std::sort(faces.begin(), faces.end(),
              [](const FaceBox& a, const FaceBox& b) { return a.box.x < b.box.x; });
    return faces;
  }

 protected:
  std::vector<FaceBox> detectAtWorkingScale(const cv::Mat& rgb) override {
    return mmod_->detect(rgb);  // not used: detect() is overridden
  }

 private:
  std::unique_ptr<MmodDetector> mmod_;
  std::unique_ptr<HogDetector> hog_;
};

}  // namespace

std::string detectorName(DetectorKind kind) {
  return kind == DetectorKind::kMmod ? "MMOD CNN + HOG" : "HOG";
}

Result<std::unique_ptr<FaceDetector>> FaceDetector::create(const ModelPaths& models,
                                                           const DetectorOptions& options) {
  std::error_code ec;
  if (options.force_hog || !std::filesystem::exists(models.mmodDetector(), ec)) {
    return std::unique_ptr<FaceDetector>(std::make_unique<HogDetector>(options));
  }
  try {
    MmodNet net;
    dlib::deserialize(models.mmodDetector().string()) >> net;
    return std::unique_ptr<FaceDetector>(std::make_unique<CombinedDetector>(options, std::move(net)));
  } catch (const std::exception& e) {
    // Present but unreadable is an error, not a silent fall-back to a weaker detector.
    return makeError("model_invalid",
                     "The face detector model file is damaged. Copy it again, or remove it to use "
                     "the built-in detector.",
                     models.mmodDetector().string() + ": " + e.what());
  }
}

double FaceDetector::workingScale(cv::Size photo) const {
  const double longSide = std::max(photo.width, photo.height);
  const double smallestFace = std::max(options_.min_face_fraction * longSide, options_.min_face_px);
  return std::min(minimum_window_ / smallestFace, options_.max_upscale);
}

std::vector<FaceBox> FaceDetector::detect(const cv::Mat& rgb) {
  const double scale = workingScale(rgb.size());
  cv::Mat working = rgb;
  if (std::abs(scale - 1.0) > 1e-3) {
    cv::resize(rgb, working, cv::Size(), scale, scale,
               scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
  }
  std::vector<FaceBox> faces = detectAtWorkingScale(working);
  const cv::Rect bounds(0, 0, rgb.cols, rgb.rows);
  for (auto& face : faces) {
    face.box = cv::Rect(cvRound(face.box.x / scale), cvRound(face.box.y / scale),
                        cvRound(face.box.width / scale), cvRound(face.box.height / scale));
  }
  // Keep faces that touch the edge, clipped: half a face can still be recognised.
  std::erase_if(faces, [&](FaceBox& f) {
    f.box &= bounds;
    return f.box.area() == 0;
  });
  std::sort(faces.begin(), faces.end(),
            [](const FaceBox& a, const FaceBox& b) { return a.box.x < b.box.x; });
  return faces;
}

}  // namespace consentguard::faces
