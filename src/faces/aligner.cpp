#include "consentguard/faces/aligner.h"

#include <dlib/image_processing.h>
#include <dlib/image_transforms.h>
#include <dlib/opencv/cv_image.h>

namespace consentguard::faces {

namespace {
constexpr unsigned long kChipSize = 150;
// dlib's recognition network was trained on chips with 25% padding around the landmarks.
constexpr double kChipPadding = 0.25;
}  // namespace

struct FaceAligner::Model {
  dlib::shape_predictor predictor;
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

}  // namespace consentguard::faces
