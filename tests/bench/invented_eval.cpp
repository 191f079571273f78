// Boxes on things that are not faces, before and after the second look (issue 23 part 3), on
// the shared photos and on every child's photo: the real faces found and lost, and each box on
// something else, with its score. The boxes still invented after the second look are saved as
// pictures (the box and a margin around it) under build/invented-boxes/, to be looked at.
// `consentguard_bench 1 --invented-eval`. Nothing asserts here (the tests do).
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "consentguard/faces/detector.h"
#include "support/children_set.h"
#include "support/test_support.h"

namespace consentguard::bench {
namespace {

namespace cgt = consentguard::testing;
namespace fs = std::filesystem;

struct LabelledPhoto {
  std::string name;
  cv::Mat rgb;
  std::vector<cv::Rect> faces;     // where the real faces are
  std::vector<cv::Point2f> marks;  // or a point on each real face (the children's pupils)
};

std::vector<LabelledPhoto> labelledPhotos() {
  std::vector<LabelledPhoto> set;
  set.push_back({"groups/bbt1.jpg", cgt::loadRgb(cgt::testdata("groups/bbt1.jpg")),
                 {{1004, 63, 96, 156}, {213, 117, 93, 140}, {728, 107, 94, 154}, {470, 135, 93, 134}},
                 {}});
  set.push_back({"groups/bbt2.jpg", cgt::loadRgb(cgt::testdata("groups/bbt2.jpg")),
                 {{1, 83, 47, 75}, {382, 119, 71, 100}, {94, 124, 78, 89}}, {}});
  for (int width : {1920, 4032}) {
    const LabelledPhoto& small = set.front();
    const double scale = static_cast<double>(width) / small.rgb.cols;
    LabelledPhoto big{"groups/bbt1.jpg at " + std::to_string(width) + " px", {}, {}, {}};
    cv::resize(small.rgb, big.rgb, cv::Size(), scale, scale, cv::INTER_CUBIC);
    for (const cv::Rect& r : small.faces) {
      big.faces.emplace_back(cvRound(r.x * scale), cvRound(r.y * scale), cvRound(r.width * scale),
                             cvRound(r.height * scale));
    }
    set.push_back(big);
  }
  set.push_back({"a photo with no face (1920 px)", cgt::backgroundWithoutFaces(), {}, {}});
  for (const cgt::ChildPhoto& child : cgt::childPhotos()) {
    set.push_back({"children/" + child.child + "/" + child.file.filename().string(),
                   cgt::loadRgb(child.file), {}, {child.pupilsCentre()}});
  }
  return set;
}

struct Tally {
  int faces = 0, found = 0, other = 0;
  std::vector<std::string> missed;  // a photo's name for each real face not found
  std::vector<std::pair<std::string, faces::FaceBox>> others;
};

Tally evaluate(faces::FaceDetector& detector, const std::vector<LabelledPhoto>& set) {
  Tally t;
  for (const LabelledPhoto& photo : set) {
    const auto boxes = detector.detect(photo.rgb);
    const size_t real = photo.faces.size() + photo.marks.size();
    std::vector<bool> hit(real, false);
    for (const faces::FaceBox& b : boxes) {
      const cv::Point2f centre(b.box.x + b.box.width / 2.0f, b.box.y + b.box.height / 2.0f);
      bool onFace = false;
      for (size_t i = 0; i < photo.faces.size(); ++i) {
        if (photo.faces[i].contains(centre)) onFace = hit[i] = true;
      }
      for (size_t i = 0; i < photo.marks.size(); ++i) {
        if (cv::Rect2f(b.box).contains(photo.marks[i])) onFace = hit[photo.faces.size() + i] = true;
      }
      if (!onFace) t.others.push_back({photo.name, b});
    }
    for (bool h : hit) {
      if (!h) t.missed.push_back(photo.name);
    }
    t.faces += static_cast<int>(real);
    t.found += static_cast<int>(std::count(hit.begin(), hit.end(), true));
  }
  t.other = static_cast<int>(t.others.size());
  return t;
}

std::unique_ptr<faces::FaceDetector> detector(bool secondLook) {
  faces::DetectorOptions options;
  options.ssd_second_look = secondLook;
  return std::move(faces::FaceDetector::create(cgt::modelPaths(), options).value());
}

void saveBox(const fs::path& folder, size_t n, const cv::Mat& rgb, const faces::FaceBox& b) {
  const int margin = std::max(b.box.width, b.box.height) / 2;
  const cv::Rect around = cv::Rect(b.box.x - margin, b.box.y - margin, b.box.width + 2 * margin,
                                   b.box.height + 2 * margin) &
                          cv::Rect(0, 0, rgb.cols, rgb.rows);
  cv::Mat picture = rgb(around).clone();
  cv::rectangle(picture, b.box - around.tl(), cv::Scalar(255, 0, 0), 2);
  cv::Mat bgr;
  cv::cvtColor(picture, bgr, cv::COLOR_RGB2BGR);
  cv::imwrite((folder / ("box" + std::to_string(n) + ".jpg")).string(), bgr);
}

}  // namespace

void evaluateInventedFaces() {
  const std::vector<LabelledPhoto> set = labelledPhotos();
  std::cout << "Boxes on things that are not faces: " << set.size()
            << " photos (the shared groups, bbt1 at 1920 and 4032 px, a photo with no face, "
               "every child's photo)\n";
  const Tally before = evaluate(*detector(false), set);
  const Tally after = evaluate(*detector(true), set);
  for (const auto& [label, t] : {std::pair{"without the second look", &before},
                                 std::pair{"with the second look", &after}}) {
    std::cout << "  " << std::left << std::setw(28) << label << std::right << t->found << " of "
              << t->faces << " real faces found, " << t->other << " box(es) on something else\n";
  }
  for (const std::string& name : after.missed) {
    if (std::find(before.missed.begin(), before.missed.end(), name) == before.missed.end()) {
      std::cout << "  a real face lost by the second look: " << name << "\n";
    }
  }
  for (const std::string& name : before.missed) std::cout << "  not found before: " << name << "\n";
  const fs::path folder = fs::path(CG_BINARY_DIR) / "invented-boxes";
  fs::remove_all(folder);
  fs::create_directories(folder);
  std::cout << "  boxes on something else (score; kept or dropped by the second look):\n";
  size_t n = 0;
  for (const auto& [name, b] : before.others) {
    const bool kept = std::any_of(after.others.begin(), after.others.end(), [&](const auto& o) {
      return o.first == name && (o.second.box & b.box).area() > 0;
    });
    std::cout << "    " << name << " " << b.box.width << "x" << b.box.height << " at (" << b.box.x
              << "," << b.box.y << ") score " << std::fixed << std::setprecision(2) << b.score
              << (kept ? "  KEPT: box" + std::to_string(n) + ".jpg" : "  dropped") << "\n";
    if (kept) {
      const auto photo = std::find_if(set.begin(), set.end(),
                                      [&](const LabelledPhoto& p) { return p.name == name; });
      saveBox(folder, n, photo->rgb, b);
    }
    ++n;
  }
  std::cout << "  pictures of the boxes kept: " << folder.string() << "\n";
}

}  // namespace consentguard::bench
