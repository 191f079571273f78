#include "consentguard/faces/aligner.h"

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>
#include <dlib/opencv/cv_image.h>

#include <opencv2/imgproc.hpp>

#include "hog_look.h"

namespace consentguard::faces {

namespace {
constexpr unsigned long kChipSize = 150;
// dlib's recognition network was trained on chips with 25% padding around the landmarks.
constexpr double kChipPadding = 0.25;
}  // namespace

struct FaceAligner::Model {
  dlib::shape_predictor predictor;
  dlib::frontal_face_detector hog = dlib::get_frontal_face_detector();
};

FaceAligner::FaceAligner(std::unique_ptr<Model> model) : model_(std::move(model)) {}
FaceAligner::~FaceAligner() = default;

Result<std::unique_ptr<FaceAligner>> FaceAligner::load(const std::filesystem::path& path) {
  auto model = std::make_unique<Model>();
  try {
    dlib::deserialize(path.string()) >> model->predictor;
  } catch (const std::exception& e) {
    return makeError("model_missing",
                     "The face landmark model is missing or damaged. Run scripts/setup to install "
                     "it.",
                     path.string() + ": " + e.what());
  }
  return std::unique_ptr<FaceAligner>(new FaceAligner(std::move(model)));
}

AlignedFace FaceAligner::align(const cv::Mat& rgb, const cv::Rect& face) const {
  const dlib::cv_image<dlib::rgb_pixel> image(rgb);
  const dlib::rectangle box(face.x, face.y, face.x + face.width - 1, face.y + face.height - 1);
  const dlib::full_object_detection shape = model_->predictor(image, box);

  AlignedFace aligned;
  for (unsigned long i = 0; i < shape.num_parts(); ++i) {
    aligned.landmarks.emplace_back(static_cast<float>(shape.part(i).x()),
                                   static_cast<float>(shape.part(i).y()));
  }
  dlib::matrix<dlib::rgb_pixel> chip;
  dlib::extract_image_chip(image, dlib::get_face_chip_details(shape, kChipSize, kChipPadding), chip);
  aligned.chip.create(kChipSize, kChipSize, CV_8UC3);
  std::memcpy(aligned.chip.data, &chip(0, 0), kChipSize * kChipSize * 3);
  return aligned;
}

AlignedFace FaceAligner::alignFromOtherDetector(const cv::Mat& rgb, const cv::Rect& found,
                                                const cv::Rect& fallback) {
  // Enough room around the face for dlib's box, which can stick out of the SSD's by a quarter,
  // at a scale where the face just fills HOG's 80 px window.
  const cv::Rect region =
      grownWithin(found, std::max(found.width, found.height) / 4, rgb.size());
  // The hit whose centre lies in the found box, nearest its centre.
  const cv::Point2d centre(found.x + found.width / 2.0, found.y + found.height / 2.0);
  double best = 1e18;
  cv::Rect chosen = fallback;
  for (const cv::Rect2f& hit : hogFacesIn(model_->hog, rgb, region, 90.0 / std::max(1, found.width))) {
    const cv::Rect box(cvRound(hit.x), cvRound(hit.y), cvRound(hit.width), cvRound(hit.height));
    const cv::Point2d c(box.x + box.width / 2.0, box.y + box.height / 2.0);
    const double d = std::hypot(c.x - centre.x, c.y - centre.y);
    if (found.contains(cv::Point(cvRound(c.x), cvRound(c.y))) && d < best) {
      best = d;
      chosen = box;
    }
  }
  return align(rgb, chosen);
}

}  // namespace consentguard::faces
