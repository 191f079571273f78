// How well each detector setting finds faces, on a test set made from the shared photos, with
// the score margin: the weakest real face found and the strongest box on anything else. Also
// the recognition distances each setting's boxes lead to, and how far descriptors of the
// earlier pipeline (dlib's boxes) lie from this one's. `consentguard_bench 1 --detector-eval`
// (`--detector-eval ssd`: the SSD settings only).
// Figures for the closing note of issue 10; nothing asserts here (the tests do).
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <opencv2/imgproc.hpp>

#include "consentguard/faces/face_engine.h"
#include "consentguard/faces/matcher.h"
#include "support/test_support.h"

namespace consentguard::bench {
namespace {

namespace cgt = consentguard::testing;

const std::vector<std::string> kPeople = {"amy",  "bernadette", "howard",  "leonard",
                                          "penny", "raj",        "sheldon", "stuart"};

struct Photo {
  std::string set;
  cv::Mat rgb;
  std::vector<cv::Rect> faces;  // where the real faces are
};

cv::Mat crop(const std::string& person, int n) {
  return cgt::loadRgb(cgt::testdata("identities/" + person + "/" + person + std::to_string(n) +
                                    ".png"));
}

std::vector<Photo> testSet() {
  std::vector<Photo> set;
  // Group photos: the faces face-api's SSD finds (all real; bbt2's left one is a bystander).
  set.push_back({"groups", cgt::loadRgb(cgt::testdata("groups/bbt1.jpg")),
                 {{1004, 63, 96, 156}, {213, 117, 93, 140}, {728, 107, 94, 154}, {470, 135, 93, 134}}});
  set.push_back({"groups", cgt::loadRgb(cgt::testdata("groups/bbt2.jpg")),
                 {{1, 83, 47, 75}, {382, 119, 71, 100}, {94, 124, 78, 89}}});
  for (size_t i = 0; i < 2; ++i) {
    Photo mirrored = set[i];
    mirrored.rgb = cv::Mat();
    cv::flip(set[i].rgb, mirrored.rgb, 1);
    for (auto& r : mirrored.faces) r.x = mirrored.rgb.cols - r.x - r.width;
    set.push_back(mirrored);
  }
  // Reference crops, as they are, mirrored, and turned 15 degrees each way.
  for (const auto& person : kPeople) {
    for (int n = 1; n <= 5; ++n) {
      const cv::Mat c = crop(person, n);
      const cv::Rect whole(20, 20, c.cols - 40, c.rows - 40);
      cv::Mat m;
      cv::flip(c, m, 1);
      set.push_back({"crops", c, {whole}});
      set.push_back({"crops", m, {whole}});
      for (double angle : {15.0, -15.0}) {
        cv::Mat t;
        cv::warpAffine(c, t, cv::getRotationMatrix2D({75, 75}, angle, 1.0), c.size(),
                       cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        set.push_back({"crops", t, {whole}});
      }
    }
  }
  // Small faces pasted into a real 1920 px photo, and the same mirrored.
  for (int px : {24, 28, 32, 36, 40, 48, 56, 64}) {
    Photo p{"small " + std::to_string(px) + "px", cgt::backgroundWithoutFaces(), {}};
    for (int k = 0; k < 8; ++k) {
      cv::Mat face;
      const cv::Mat c = crop(kPeople[k], 1 + (k + px) % 5);
      cv::resize(c, face, cv::Size(), px / (0.7 * c.cols), px / (0.7 * c.cols), cv::INTER_AREA);
      const cv::Rect where(100 + 220 * k, 200 + 400 * (k % 2), face.cols, face.rows);
      face.copyTo(p.rgb(where));
      p.faces.push_back(where);
    }
    Photo m = p;
    m.rgb = cv::Mat();
    cv::flip(p.rgb, m.rgb, 1);
    for (auto& r : m.faces) r.x = m.rgb.cols - r.x - r.width;
    set.push_back(p);
    set.push_back(m);
  }
  // Large faces on a plain backdrop (no body or scene around them), as in a portrait on a
  // studio backdrop.
  for (int px : {180, 240, 300}) {
    Photo p{"plain " + std::to_string(px) + "px", cgt::plainBackdrop(), {}};
    for (int k = 0; k < 4; ++k) {
      cv::Mat face;
      const cv::Mat c = crop(kPeople[(k + px) % 8], 1 + (k + px) % 5);
      cv::resize(c, face, cv::Size(), px / (0.7 * c.cols), px / (0.7 * c.cols), cv::INTER_AREA);
      const cv::Rect where(60 + 470 * k, 150 + 250 * (k % 2), face.cols, face.rows);
      face.copyTo(p.rgb(where));
      p.faces.push_back(where);
    }
    set.push_back(p);
  }
  // No face at all.
  cv::Mat b = cgt::backgroundWithoutFaces(), turned, small;
  cv::rotate(b, turned, cv::ROTATE_90_CLOCKWISE);
  cv::resize(b, small, {640, 360}, 0, 0, cv::INTER_AREA);
  cv::Mat flipped;
  cv::flip(b, flipped, 0);
  for (const cv::Mat& m : {b, turned, small, flipped}) set.push_back({"no face", m, {}});
  return set;
}

struct Tally {
  int faces = 0, found = 0, false_boxes = 0;
  double weakest_face = 1e9, strongest_other = -1e9;
};

void evaluate(const std::string& label, faces::FaceDetector& detector, double threshold,
              const std::vector<Photo>& set) {
  std::map<std::string, Tally> tallies;
  Tally all;
  for (const Photo& photo : set) {
    Tally& t = tallies[photo.set];
    const auto boxes = detector.detect(photo.rgb);
    std::vector<bool> hit(photo.faces.size(), false);
    for (const auto& b : boxes) {
      const cv::Point c(b.box.x + b.box.width / 2, b.box.y + b.box.height / 2);
      bool onFace = false;
      for (size_t i = 0; i < photo.faces.size(); ++i) {
        if (photo.faces[i].contains(c)) {
          onFace = true;
          if (b.score >= threshold) hit[i] = true;
          t.weakest_face = std::min(t.weakest_face, b.score);
        }
      }
      if (!onFace) {
        t.strongest_other = std::max(t.strongest_other, b.score);
        if (b.score >= threshold) ++t.false_boxes;
      }
    }
    t.faces += static_cast<int>(photo.faces.size());
    t.found += static_cast<int>(std::count(hit.begin(), hit.end(), true));
  }
  std::cout << "  " << label << " (boxes at or above " << threshold << " count)\n";
  for (const auto& [name, t] : tallies) {
    std::cout << "    " << std::left << std::setw(12) << name << std::right << std::setw(4)
              << t.found << "/" << std::setw(3) << t.faces << " found, " << t.false_boxes
              << " false box(es); weakest face " << std::setprecision(2) << std::fixed
              << (t.weakest_face > 1e8 ? 0 : t.weakest_face) << ", strongest other "
              << (t.strongest_other < -1e8 ? 0 : t.strongest_other) << "\n";
  }
}

std::unique_ptr<faces::FaceDetector> ssdDetector(float minScore, bool scanWhole,
                                                 bool turnedFaces = true) {
  faces::DetectorOptions options;
  options.ssd_min_score = minScore;
  options.ssd_scan_whole_photo = scanWhole;
  options.ssd_turned_faces = turnedFaces;
  return std::move(faces::FaceDetector::create(cgt::modelPaths(), options).value());
}

void describeDistances(const std::string& label, faces::FaceEngine& engine) {
  // Leave-one-out over the reference crops: each crop against the person's other four.
  std::vector<faces::EnrolledTemplate> templates;
  for (const auto& person : kPeople) {
    for (int n = 1; n <= 5; ++n) {
      auto d = engine.describeOnlyFace(crop(person, n));
      if (d) templates.push_back({person, *d, true});
    }
  }
  std::vector<double> same, other;
  for (size_t i = 0; i < templates.size(); ++i) {
    double nearestSame = 9, nearestOther = 9;
    for (size_t j = 0; j < templates.size(); ++j) {
      if (i == j) continue;
      const double d = faces::distance(templates[i].descriptor, templates[j].descriptor);
      double& slot = templates[i].person == templates[j].person ? nearestSame : nearestOther;
      slot = std::min(slot, d);
    }
    same.push_back(nearestSame);
    other.push_back(nearestOther);
  }
  std::sort(same.begin(), same.end());
  std::sort(other.begin(), other.end());
  std::cout << std::setprecision(3) << "  " << label << ": " << templates.size()
            << " crops enrolled; own nearest other crop: min " << same.front() << ", median "
            << same[same.size() / 2] << ", max " << same.back()
            << "; nearest other person: min " << other.front() << "\n";
}

}  // namespace

void evaluateDetectors(bool ssdOnly) {
  const std::vector<Photo> set = testSet();
  std::cout << "Detectors on " << set.size() << " test photos made from ../shared/testdata\n";
  evaluate("ssd (default: small faces checked around proposals)", *ssdDetector(0.2f, false), 0.4,
           set);
  evaluate("ssd without the turned pass (as before issue 21)", *ssdDetector(0.2f, false, false),
           0.4, set);
  evaluate("ssd, scanning the whole photo for small faces", *ssdDetector(0.2f, true), 0.4, set);
  if (ssdOnly) return;
  evaluate("hog", cgt::hogEngine().detector(), 0.0, set);
  if (auto* mmod = cgt::mmodEngine()) evaluate("mmod+hog", mmod->detector(), 0.0, set);

  std::cout << "Recognition distances from each detector's boxes\n";
  describeDistances("ssd", cgt::ssdEngine());
  describeDistances("hog", cgt::hogEngine());
  if (auto* mmod = cgt::mmodEngine()) describeDistances("mmod+hog", *mmod);

  // Templates of the earlier pipeline (dlib's boxes) against this one's descriptors.
  std::vector<double> moved;
  for (const auto& person : kPeople) {
    for (int n = 1; n <= 5; ++n) {
      auto before = cgt::hogEngine().describeOnlyFace(crop(person, n));
      auto now = cgt::ssdEngine().describeOnlyFace(crop(person, n));
      if (before && now) moved.push_back(faces::distance(*before, *now));
    }
  }
  std::sort(moved.begin(), moved.end());
  std::cout << "  the same crop, hog pipeline against ssd pipeline: " << moved.size()
            << " crops, distance median " << moved[moved.size() / 2] << ", max " << moved.back()
            << "\n";
}

}  // namespace consentguard::bench
