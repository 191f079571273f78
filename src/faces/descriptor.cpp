#include "consentguard/faces/descriptor.h"

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "resnet.h"

namespace consentguard::faces {

struct FaceDescriber::Network {
  resnet::RuntimeNet net;
};

double distance(const Descriptor& a, const Descriptor& b) {
  double sum = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = double(a[i]) - double(b[i]);
    sum += d * d;
  }
  return std::sqrt(sum);
}

FaceDescriber::FaceDescriber(std::unique_ptr<Network> network) : network_(std::move(network)) {}
FaceDescriber::~FaceDescriber() = default;

Result<std::unique_ptr<FaceDescriber>> FaceDescriber::load(const std::filesystem::path& model) {
  auto network = std::make_unique<Network>();
  try {
    dlib::deserialize(model.string()) >> network->net;
  } catch (const std::exception& e) {
    return makeError("model_missing",
                     "The face-recognition model is missing or damaged. Run scripts/setup to "
                     "fetch and convert it.",
                     model.string() + ": " + e.what());
  }
  return std::unique_ptr<FaceDescriber>(new FaceDescriber(std::move(network)));
}

std::vector<Descriptor> FaceDescriber::describe(const std::vector<cv::Mat>& chips) {
  std::vector<dlib::matrix<dlib::rgb_pixel>> inputs(chips.size());
  for (size_t i = 0; i < chips.size(); ++i) {
    CV_Assert(chips[i].type() == CV_8UC3 && chips[i].rows == resnet::kChipSize &&
              chips[i].cols == resnet::kChipSize);
    inputs[i].set_size(resnet::kChipSize, resnet::kChipSize);
    const cv::Mat continuous = chips[i].isContinuous() ? chips[i] : chips[i].clone();
    std::memcpy(&inputs[i](0, 0), continuous.data, continuous.total() * 3);
  }
  std::vector<Descriptor> descriptors;
  if (inputs.empty()) return descriptors;
  for (const auto& out : network_->net(inputs, 16)) {
    Descriptor d;
    for (int j = 0; j < resnet::kDescriptorSize; ++j) d[j] = out(j);
    descriptors.push_back(d);
  }
  return descriptors;
}

cv::Mat FaceDescriber::squareCropLikeFaceApi(const cv::Mat& rgb) {
  const int side = std::max(rgb.cols, rgb.rows);
  cv::Mat square(side, side, CV_8UC3, cv::Scalar(0, 0, 0));
  rgb.copyTo(square(cv::Rect((side - rgb.cols) / 2, (side - rgb.rows) / 2, rgb.cols, rgb.rows)));
  cv::Mat chip;
  cv::resize(square, chip, cv::Size(resnet::kChipSize, resnet::kChipSize), 0, 0, cv::INTER_LINEAR);
  return chip;
}

}  // namespace consentguard::faces
