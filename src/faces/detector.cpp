#include "consentguard/faces/detector.h"

#include <dlib/dnn.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <sstream>

#include "detectors.h"

namespace consentguard::faces {
namespace {

namespace fs = std::filesystem;

// dlib's HOG detector scans an 80x80 window; faces much smaller than that are missed.
constexpr double kHogWindow = 80.0;
// The MMOD model was trained to find faces down to about 40x40 pixels.
constexpr double kMmodWindow = 40.0;

cv::Rect toCv(const dlib::rectangle& r) {
  return cv::Rect(r.left(), r.top(), r.width(), r.height());
}

// dlib's detectors run on the photo scaled so that the smallest face we promise to find
// reaches the detector's own minimum window.
class ScaledDlibDetector : public FaceDetector {
 public:
  ScaledDlibDetector(const DetectorOptions& options, double minimumWindow)
      : options_(options), minimum_window_(minimumWindow) {}

  std::vector<FaceBox> detect(const cv::Mat& rgb) override {
    const double longSide = std::max(rgb.cols, rgb.rows);
    const double smallestFace =
        std::max(options_.min_face_fraction * longSide, options_.min_face_px);
    const double scale = std::min(minimum_window_ / smallestFace, options_.max_upscale);
    cv::Mat working = rgb;
    if (std::abs(scale - 1.0) > 1e-3) {
      cv::resize(rgb, working, cv::Size(), scale, scale,
                 scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    std::vector<FaceBox> faces = detectAtWorkingScale(working);
    for (auto& face : faces) {
      face.box = cv::Rect(cvRound(face.box.x / scale), cvRound(face.box.y / scale),
                          cvRound(face.box.width / scale), cvRound(face.box.height / scale));
    }
    tidyBoxes(faces, rgb.size());
    return faces;
  }

 protected:
  virtual std::vector<FaceBox> detectAtWorkingScale(const cv::Mat& rgb) = 0;

 private:
  DetectorOptions options_;
  double minimum_window_;
};

class HogDetector final : public ScaledDlibDetector {
 public:
  explicit HogDetector(const DetectorOptions& options)
      : ScaledDlibDetector(options, kHogWindow), detector_(dlib::get_frontal_face_detector()) {}
  std::string name() const override { return "hog"; }

 protected:
  std::vector<FaceBox> detectAtWorkingScale(const cv::Mat& rgb) override {
    dlib::cv_image<dlib::rgb_pixel> image(rgb);
    std::vector<dlib::rect_detection> found;
    detector_(image, found, 0.0);
    std::vector<FaceBox> faces;
    for (const auto& d : found) faces.push_back({toCv(d.rect), d.detection_confidence, {}});
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

class MmodDetector final : public ScaledDlibDetector {
 public:
  MmodDetector(const DetectorOptions& options, MmodNet net)
      : ScaledDlibDetector(options, kMmodWindow), net_(std::move(net)) {}
  std::string name() const override { return "mmod"; }

 protected:
  std::vector<FaceBox> detectAtWorkingScale(const cv::Mat& rgb) override {
    dlib::matrix<dlib::rgb_pixel> image;
    dlib::assign_image(image, dlib::cv_image<dlib::rgb_pixel>(rgb));
    std::vector<FaceBox> faces;
    for (const auto& d : net_(image)) faces.push_back({toCv(d.rect), d.detection_confidence, {}});
    return faces;
  }

 private:
  MmodNet net_;
};

// Several detectors together: the first one's faces, then each next one's faces whose centre
// is in none of the boxes found so far.
class UnionDetector final : public FaceDetector {
 public:
  explicit UnionDetector(std::vector<std::unique_ptr<FaceDetector>> parts)
      : parts_(std::move(parts)) {}
  std::string name() const override {
    std::string text;
    for (const auto& part : parts_) text += (text.empty() ? "" : "+") + part->name();
    return text;
  }
  std::vector<FaceBox> detect(const cv::Mat& rgb) override {
    std::vector<FaceBox> faces;
    for (const auto& part : parts_) {
      const size_t before = faces.size();
      for (const FaceBox& found : part->detect(rgb)) {
        const cv::Point centre(found.box.x + found.box.width / 2,
                               found.box.y + found.box.height / 2);
        const bool known = std::any_of(faces.begin(), faces.begin() + before,
                                       [&](const FaceBox& f) { return f.box.contains(centre); });
        if (!known) faces.push_back(found);
      }
    }
    tidyBoxes(faces, rgb.size());
    return faces;
  }

 private:
  std::vector<std::unique_ptr<FaceDetector>> parts_;
};

Error missing(const std::string& what, const fs::path& path, const std::string& fix) {
  return makeError("model_missing",
                   "The " + what + " model is missing, so no photo can be checked. " + fix,
                   path.string() + ": file not found");
}

Result<std::unique_ptr<FaceDetector>> createOne(DetectorKind kind, const ModelPaths& models,
                                                const DetectorOptions& options) {
  std::error_code ec;
  switch (kind) {
    case DetectorKind::kHog:
      return std::unique_ptr<FaceDetector>(std::make_unique<HogDetector>(options));
    case DetectorKind::kSsd: {
      for (const fs::path& file : {models.ssdManifest(), models.ssdWeights(),
                                   models.tinyManifest(), models.tinyWeights()}) {
        if (!fs::exists(file, ec)) {
          return missing("SSD face detector", file,
                         "Run scripts/fetch-models (or scripts/setup) to fetch it.");
        }
      }
      auto network = SsdNetwork::load(models.ssdManifest(), models.ssdWeights());
      if (!network) return network.error();
      auto proposer = TinyNetwork::load(models.tinyManifest(), models.tinyWeights());
      if (!proposer) return proposer.error();
      std::unique_ptr<SsdNetwork> turnedNetwork;
      if (options.ssd_turned_faces) {
        auto second = SsdNetwork::load(models.ssdManifest(), models.ssdWeights());
        if (!second) return second.error();
        turnedNetwork = std::move(second.value());
      }
      std::unique_ptr<SecondLook> secondLook;
      if (options.ssd_second_look) {
        auto looker = TinyNetwork::load(models.tinyManifest(), models.tinyWeights());
        if (!looker) return looker.error();
        secondLook = std::make_unique<SecondLook>(std::move(looker.value()));
      }
      return makeSsdDetector(std::move(network.value()), std::move(proposer.value()),
                             std::move(turnedNetwork), std::move(secondLook), options);
    }
    case DetectorKind::kMmod: {
      if (!fs::exists(models.mmodDetector(), ec)) {
        return missing("MMOD face detector", models.mmodDetector(),
                       "Copy mmod_human_face_detector.dat into the models folder, or set "
                       "engine.detector = ssd.");
      }
      try {
        MmodNet net;
        dlib::deserialize(models.mmodDetector().string()) >> net;
        return std::unique_ptr<FaceDetector>(
            std::make_unique<MmodDetector>(options, std::move(net)));
      } catch (const std::exception& e) {
        return makeError("model_invalid",
                         "The MMOD face detector model file is damaged. Copy it again, or set "
                         "engine.detector = ssd.",
                         models.mmodDetector().string() + ": " + e.what());
      }
    }
  }
  return makeError("bad_detector", "Unknown face detector.");
}

}  // namespace

Result<std::vector<DetectorKind>> parseDetectorList(const std::string& text) {
  std::vector<DetectorKind> kinds;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) {
    std::istringstream parts(item);
    std::string name;
    while (std::getline(parts, name, '+')) {
      name.erase(0, name.find_first_not_of(" \t"));
      name.erase(name.find_last_not_of(" \t") + 1);
      DetectorKind kind;
      if (name == "ssd") kind = DetectorKind::kSsd;
      else if (name == "mmod") kind = DetectorKind::kMmod;
      else if (name == "hog") kind = DetectorKind::kHog;
      else {
        return makeError("bad_detector",
                         "'" + name + "' is not a face detector. Use ssd, mmod or hog, or a list "
                         "of them such as ssd,hog.");
      }
      if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
    }
  }
  if (kinds.empty()) {
    return makeError("bad_detector", "No face detector is named. Use ssd (the default).");
  }
  return kinds;
}

std::string detectorListName(const std::vector<DetectorKind>& kinds) {
  std::string text;
  for (DetectorKind kind : kinds) {
    text += text.empty() ? "" : "+";
    text += kind == DetectorKind::kSsd ? "ssd" : kind == DetectorKind::kMmod ? "mmod" : "hog";
  }
  return text;
}

void tidyBoxes(std::vector<FaceBox>& faces, cv::Size photo) {
  const cv::Rect bounds(0, 0, photo.width, photo.height);
  // Keep faces that touch the edge, clipped: half a face can still be recognised.
  std::erase_if(faces, [&](FaceBox& f) {
    f.box &= bounds;
    return f.box.area() == 0;
  });
  std::stable_sort(faces.begin(), faces.end(),
                   [](const FaceBox& a, const FaceBox& b) { return a.box.x < b.box.x; });
}

Result<std::unique_ptr<FaceDetector>> FaceDetector::create(const ModelPaths& models,
                                                           const DetectorOptions& options) {
  if (options.kinds.empty()) return makeError("bad_detector", "No face detector is configured.");
  std::vector<std::unique_ptr<FaceDetector>> parts;
  for (DetectorKind kind : options.kinds) {
    auto part = createOne(kind, models, options);
    if (!part) return part.error();
    parts.push_back(std::move(part.value()));
  }
  if (parts.size() == 1) return std::move(parts.front());
  return std::unique_ptr<FaceDetector>(std::make_unique<UnionDetector>(std::move(parts)));
}

}  // namespace consentguard::faces
