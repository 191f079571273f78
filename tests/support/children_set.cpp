#include "support/children_set.h"

#include <algorithm>
#include <fstream>
#include <opencv2/core.hpp>

namespace consentguard::testing {
namespace {

// FG-NET's .pts: "version: 1", "n_points: 68", "{", 68 "x y" lines, "}".
std::vector<cv::Point2f> readPoints(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::vector<cv::Point2f> points;
  while (std::getline(in, line) && line.find('{') == std::string::npos) {
  }
  float x = 0, y = 0;
  while (in >> x >> y) points.emplace_back(x, y);
  return points;
}

cv::Point2f meanOf(const std::vector<cv::Point2f>& points, int from, int to) {
  cv::Point2f sum(0, 0);
  for (int k = from; k <= to; ++k) sum += points[k];
  return sum * (1.0f / static_cast<float>(to - from + 1));
}

// The four points both layouts place the same way: the eye centres and the mouth corners.
// dlib (iBUG): eyes 36-41 and 42-47. FG-NET: pupils 31 and 36. Mouth corners 48 and 54 in both.
std::vector<cv::Point2f> engineKeyPoints(const std::vector<cv::Point2f>& ibug) {
  return {meanOf(ibug, 36, 41), meanOf(ibug, 42, 47), ibug[48], ibug[54]};
}

std::vector<cv::Point2f> handKeyPoints(const std::vector<cv::Point2f>& fgnet) {
  return {fgnet[31], fgnet[36], fgnet[48], fgnet[54]};
}

double keyPointError(const std::vector<cv::Point2f>& engine, const std::vector<cv::Point2f>& hand,
                     double scale) {
  // The person's left and right: match each engine point to the nearer of the pair.
  double sum = 0;
  for (size_t pair = 0; pair < 4; pair += 2) {
    const double straight =
        cv::norm(engine[pair] - hand[pair]) + cv::norm(engine[pair + 1] - hand[pair + 1]);
    const double crossed =
        cv::norm(engine[pair] - hand[pair + 1]) + cv::norm(engine[pair + 1] - hand[pair]);
    sum += std::min(straight, crossed);
  }
  return sum / 4 / std::max(1.0, scale);
}

}  // namespace

cv::Point2f ChildPhoto::pupilsCentre() const { return (points[31] + points[36]) * 0.5f; }
double ChildPhoto::pupilDistance() const { return cv::norm(points[31] - points[36]); }

std::vector<ChildPhoto> childPhotos() {
  std::vector<ChildPhoto> photos;
  const fs::path root = testdata("children");
  if (!fs::is_directory(root)) return photos;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    // PPPAaa.JPG, sometimes with a letter after the age (010A07a.JPG).
    if (entry.path().extension() != ".JPG" || name.size() < 7 || name[3] != 'A') continue;
    std::string stem = entry.path().stem().string();
    std::string pts = stem;
    pts[3] = 'a';
    const fs::path ptsFile = entry.path().parent_path() / (pts + ".pts");
    ChildPhoto photo{stem.substr(0, 3), std::atoi(stem.substr(4, 2).c_str()), entry.path(),
                     readPoints(ptsFile)};
    if (photo.points.size() == 68) photos.push_back(std::move(photo));
  }
  std::sort(photos.begin(), photos.end(),
            [](const ChildPhoto& a, const ChildPhoto& b) { return a.file < b.file; });
  return photos;
}

std::vector<ChildFace> describeChildren(faces::FaceEngine& engine) {
  std::vector<ChildFace> out;
  for (const ChildPhoto& photo : childPhotos()) {
    ChildFace face{photo};
    const cv::Mat rgb = loadRgb(photo.file);
    const cv::Point2f centre = photo.pupilsCentre();
    const faces::FoundFace* chosen = nullptr;
    double best = 1e18;
    const auto found = engine.analyse(rgb);
    for (const auto& f : found) {
      const cv::Point2f c(f.box.x + f.box.width / 2.0f, f.box.y + f.box.height / 2.0f);
      if (f.box.contains(cv::Point(cvRound(centre.x), cvRound(centre.y))) &&
          cv::norm(c - centre) < best) {
        best = cv::norm(c - centre);
        chosen = &f;
      }
    }
    if (chosen) {
      face.found = true;
      face.face_px = chosen->box.width;
      cv::Mat mirrored;
      cv::flip(chosen->chip, mirrored, 1);
      const auto both = engine.describer().describe({chosen->chip, mirrored});
      face.descriptor = both[0];
      face.mirrored = both[1];
      face.product = chosen->descriptor;
      face.landmark_error = keyPointError(engineKeyPoints(chosen->landmarks),
                                          handKeyPoints(photo.points), photo.pupilDistance());
    }
    out.push_back(std::move(face));
  }
  return out;
}

std::vector<Sample> childSamples(const std::vector<ChildFace>& faces, bool mirrorAveraged) {
  std::vector<Sample> samples;
  for (const ChildFace& f : faces) {
    if (!f.found) continue;
    Sample s{f.photo.child, f.photo.age, mirrorAveraged ? f.product : f.descriptor};
    samples.push_back(std::move(s));
  }
  return samples;
}

}  // namespace consentguard::testing

namespace consentguard::testing {

std::vector<Sample> adultSamples(faces::FaceEngine& engine, bool mirrorAveraged) {
  std::vector<Sample> samples;
  for (const std::string person : {"amy", "bernadette", "howard", "leonard", "penny", "raj",
                                   "sheldon", "stuart"}) {
    for (int n = 1; n <= 5; ++n) {
      const auto found = engine.analyse(
          loadRgb(testdata("identities/" + person + "/" + person + std::to_string(n) + ".png")));
      const auto largest = std::max_element(found.begin(), found.end(), [](auto& a, auto& b) {
        return a.box.area() < b.box.area();
      });
      if (largest == found.end()) continue;
      // The engine's descriptor is mirror-averaged; the chip alone gives the plain one.
      Sample s{person, 0,
               mirrorAveraged ? largest->descriptor
                              : engine.describer().describe({largest->chip}).front()};
      samples.push_back(std::move(s));
    }
  }
  return samples;
}

}  // namespace consentguard::testing
