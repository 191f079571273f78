// The face engine end to end on real photos with real backgrounds (issue 23): the shared group
// photos, 1920 px and 4032 px copies of bbt1.jpg (upscaled, so that its clutter stays), and
// the children's photos, with the synthetic bench photo as one row among them. Each photo runs
// from its JPEG's bytes, and each stage's time is printed: where the time goes. A change to the
// pipeline is to be measured here against the pipeline before it, in one run.
// `consentguard_bench N --real-photos` (N runs per photo; the median of them counts).
#include <algorithm>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <opencv2/imgproc.hpp>

#include "bench_timing.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/image/image_loader.h"
#include "support/children_set.h"
#include "support/test_support.h"

std::vector<std::uint8_t> jpegOf(const cv::Mat& rgb);  // engine_bench.cpp
std::vector<std::uint8_t> makeBenchPhoto();             // engine_bench.cpp

namespace consentguard::bench {
namespace {

namespace cgt = consentguard::testing;

struct RealPhoto {
  std::string name;
  std::vector<std::uint8_t> jpeg;
  bool synthetic = false;
};

// The children's photos: every `step`th, so that the set spans the ages and the sizes.
constexpr size_t kChildStep = 8;

std::vector<RealPhoto> realPhotos() {
  std::vector<RealPhoto> photos;
  const cv::Mat bbt1 = cgt::loadRgb(cgt::testdata("groups/bbt1.jpg"));
  for (const std::string name : {"groups/bbt1.jpg", "groups/bbt2.jpg"}) {
    photos.push_back({name, *image::readFileBytes(cgt::testdata(name))});
  }
  for (int width : {1920, 4032}) {
    cv::Mat big;
    cv::resize(bbt1, big, cv::Size(width, cvRound(bbt1.rows * width / double(bbt1.cols))), 0, 0,
               cv::INTER_CUBIC);
    photos.push_back({"bbt1.jpg at " + std::to_string(width) + " px", jpegOf(big)});
  }
  const auto children = cgt::childPhotos();
  for (size_t i = 0; i < children.size(); i += kChildStep) {
    photos.push_back({"children/" + children[i].file.filename().string(),
                      *image::readFileBytes(children[i].file)});
  }
  photos.push_back({"synthetic bench photo (1920 px, 5 faces)", makeBenchPhoto(), true});
  return photos;
}

struct PhotoTiming {
  double total_ms = 0, decode_ms = 0, detect_ms = 0, landmarks_ms = 0, describe_ms = 0;
  size_t faces = 0;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Each stage's median over `runs` runs from the JPEG's bytes, after one to warm up.
PhotoTiming endToEnd(faces::FaceEngine& engine, const std::vector<std::uint8_t>& jpeg, int runs) {
  std::vector<double> total, decode, detect, landmarks, describe;
  PhotoTiming t;
  for (int i = 0; i <= runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto image = image::decodeImage(jpeg);
    const auto decoded = std::chrono::steady_clock::now();
    faces::StageTimings stages;
    t.faces = engine.analyse(image->rgb, &stages).size();
    const auto end = std::chrono::steady_clock::now();
    if (i == 0) continue;
    total.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    decode.push_back(std::chrono::duration<double, std::milli>(decoded - start).count());
    detect.push_back(stages.detect_ms);
    landmarks.push_back(stages.landmarks_ms);
    describe.push_back(stages.describe_ms);
  }
  t.total_ms = median(total);
  t.decode_ms = median(decode);
  t.detect_ms = median(detect);
  t.landmarks_ms = median(landmarks);
  t.describe_ms = median(describe);
  return t;
}

}  // namespace

std::vector<std::vector<std::uint8_t>> realPhotoJpegs() {
  std::vector<std::vector<std::uint8_t>> jpegs;
  for (RealPhoto& photo : realPhotos()) {
    if (!photo.synthetic) jpegs.push_back(std::move(photo.jpeg));
  }
  return jpegs;
}

void benchRealPhotos(int runs) {
  const std::vector<RealPhoto> photos = realPhotos();
  faces::FaceEngine& engine = cgt::ssdEngine();
  std::cout << "Real photos end to end, " << runs
            << " runs each, median (ms): total = decode + detect + landmarks + descriptors\n";
  std::vector<double> totals;
  std::string worst;
  double worstMs = 0;
  for (const RealPhoto& photo : photos) {
    const PhotoTiming t = endToEnd(engine, photo.jpeg, runs);
    std::cout << "  " << std::left << std::setw(44) << photo.name << std::right << std::fixed
              << std::setprecision(1) << std::setw(8) << t.total_ms << " = " << t.decode_ms
              << " + " << t.detect_ms << " + " << t.landmarks_ms << " + " << t.describe_ms
              << "  (" << t.faces << " faces)\n";
    if (photo.synthetic) continue;  // the real photos' figures below leave it out
    totals.push_back(t.total_ms);
    if (t.total_ms > worstMs) worstMs = t.total_ms, worst = photo.name;
  }
  std::cout << std::fixed << std::setprecision(1) << "  real photos (" << totals.size()
            << "): median " << median(totals) << " ms, worst " << worstMs << " ms (" << worst
            << "); the target is 150 ms for a 1920 px photo\n";
}

}  // namespace consentguard::bench
