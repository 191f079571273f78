// How far the protect threshold reaches: for faces made from the shared photos, how often the
// person's own templates are within each threshold (a protected child caught), and how often a
// stranger's face is within it of someone (a photo blocked for nothing). A "stranger" is each
// shared person in turn with their own templates left out, against the seven others.
// `consentguard_bench 1 --protect-eval`. Figures for the closing note of issue 11; nothing
// asserts here (the tests do).
#include <algorithm>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "consentguard/faces/face_engine.h"
#include "consentguard/faces/matcher.h"
#include "consentguard/faces/reference_quality.h"
#include "support/test_support.h"

namespace consentguard::bench {
namespace {

namespace cgt = consentguard::testing;

const std::vector<std::string> kPeople = {"amy",  "bernadette", "howard",  "leonard",
                                          "penny", "raj",        "sheldon", "stuart"};

struct Template {
  std::string person;
  int crop;  // which reference crop it was made from
  faces::Descriptor descriptor;
};

// One face found in a made photo, and whose it is.
struct Probe {
  std::string set;
  std::string person;  // empty for a bystander nobody enrolled
  int crop = 0;        // the reference crop it was made from (left out of the templates), or 0
  faces::FoundFace face;
};

cv::Mat crop(const std::string& person, int n) {
  return cgt::loadRgb(
      cgt::testdata("identities/" + person + "/" + person + std::to_string(n) + ".png"));
}

// The found face whose box holds the centre of `where`, if any.
const faces::FoundFace* faceAt(const std::vector<faces::FoundFace>& found, const cv::Rect& where) {
  const cv::Point c(where.x + where.width / 2, where.y + where.height / 2);
  for (const auto& f : found) {
    if (f.box.contains(c)) return &f;
  }
  return nullptr;
}

cv::Mat jpegRoundTrip(const cv::Mat& rgb, int quality) {
  std::vector<uchar> bytes;
  cv::imencode(".jpg", rgb, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
  return cv::imdecode(bytes, cv::IMREAD_COLOR);  // channel order does not matter for a copy
}

// A crop changed the ways a school's photos differ from reference photos.
std::vector<std::pair<std::string, cv::Mat>> variants(const cv::Mat& c) {
  std::vector<std::pair<std::string, cv::Mat>> out;
  cv::Mat m;
  cv::flip(c, m, 1);
  out.push_back({"crop mirrored", m});
  cv::Mat blurred;
  cv::GaussianBlur(c, blurred, {0, 0}, 1.5);
  out.push_back({"crop blurred", blurred});
  cv::Mat dark;
  c.convertTo(dark, -1, 0.6, -10);
  out.push_back({"crop dark", dark});
  out.push_back({"crop jpeg q20", jpegRoundTrip(c, 20)});
  for (double angle : {20.0, -20.0}) {
    cv::Mat t;
    cv::warpAffine(c, t, cv::getRotationMatrix2D({c.cols / 2.0f, c.rows / 2.0f}, angle, 1.0),
                   c.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    out.push_back({"crop turned 20", t});
  }
  return out;
}

std::vector<Probe> probes(faces::FaceEngine& engine) {
  std::vector<Probe> out;
  for (const auto& person : kPeople) {
    for (int n = 1; n <= 5; ++n) {
      const cv::Mat c = crop(person, n);
      for (const auto& [name, image] : variants(c)) {
        const auto found = engine.analyse(image);
        if (const auto* f = faceAt(found, {20, 20, c.cols - 40, c.rows - 40})) {
          out.push_back({name, person, n, *f});
        }
      }
    }
  }
  // Small faces pasted into a real photo, as in a group photo taken across a hall.
  for (int px : {24, 32, 40, 48, 56, 64}) {
    for (int round = 0; round < 5; ++round) {
      cv::Mat photo = cgt::backgroundWithoutFaces();
      std::vector<std::pair<cv::Rect, int>> placed;
      for (int k = 0; k < 8; ++k) {
        const int n = 1 + (k + round) % 5;
        const cv::Mat c = crop(kPeople[k], n);
        cv::Mat face;
        cv::resize(c, face, cv::Size(), px / (0.7 * c.cols), px / (0.7 * c.cols), cv::INTER_AREA);
        const cv::Rect where(100 + 220 * k, 200 + 400 * (k % 2), face.cols, face.rows);
        face.copyTo(photo(where));
        placed.push_back({where, k});
      }
      const auto found = engine.analyse(photo);
      for (const auto& [where, k] : placed) {
        if (const auto* f = faceAt(found, where)) {
          out.push_back({"small " + std::to_string(px) + " px", kPeople[k], 1 + (k + round) % 5,
                         *f});
        }
      }
    }
  }
  // The group photos: labelled people, and bbt2's bystanders whom nobody enrolled.
  const std::vector<std::pair<std::string, std::vector<std::pair<cv::Rect, std::string>>>> groups =
      {{"groups/bbt1.jpg",
        {{{1004, 63, 96, 156}, "sheldon"},
         {{213, 117, 93, 140}, "raj"},
         {{728, 107, 94, 154}, "howard"},
         {{470, 135, 93, 134}, "leonard"}}},
       {"groups/bbt2.jpg", {{{382, 119, 71, 100}, "sheldon"}, {{94, 124, 78, 89}, "leonard"}}}};
  for (const auto& [file, labelled] : groups) {
    for (bool mirror : {false, true}) {
      cv::Mat photo = cgt::loadRgb(cgt::testdata(file));
      if (mirror) cv::flip(photo, photo, 1);
      for (const auto& f : engine.analyse(photo)) {
        std::string who;
        for (auto [where, person] : labelled) {
          if (mirror) where.x = photo.cols - where.x - where.width;
          if ((where & f.box).area() > 0.3 * where.area()) who = person;
        }
        out.push_back({who.empty() ? "bystanders" : "groups", who, 0, f});
      }
    }
  }
  return out;
}

struct Counts {
  int genuine = 0, stranger = 0;
  std::map<double, int> genuine_within, stranger_within;
  double nearest_stranger = 9;
};

}  // namespace

void evaluateProtection() {
  faces::FaceEngine& engine = cgt::ssdEngine();
  std::vector<Template> templates;
  for (const auto& person : kPeople) {
    for (int n = 1; n <= 5; ++n) {
      if (auto d = engine.describeOnlyFace(crop(person, n))) templates.push_back({person, n, *d});
    }
  }
  const std::vector<double> thresholds = {0.50, 0.53, 0.55, 0.57, 0.58, 0.60, 0.62, 0.65};
  std::map<std::string, Counts> bySet;
  for (const Probe& p : probes(engine)) {
    Counts& c = bySet[p.set];
    double own = 9, other = 9;
    for (const auto& t : templates) {
      if (t.person == p.person && t.crop == p.crop) continue;  // leave its own crop out
      const double d = faces::distance(p.face.descriptor, t.descriptor);
      double& slot = t.person == p.person ? own : other;
      slot = std::min(slot, d);
    }
    if (!p.person.empty()) {
      ++c.genuine;
      for (double t : thresholds) c.genuine_within[t] += own <= t;
    }
    // As a stranger: the person's own templates are left out, as if never enrolled.
    ++c.stranger;
    for (double t : thresholds) c.stranger_within[t] += other <= t;
    c.nearest_stranger = std::min(c.nearest_stranger, other);
  }
  std::cout << "Protect threshold: faces made from ../shared/testdata, " << templates.size()
            << " templates of 8 people (the face's own crop left out)\n"
            << "  own person within T (protected child caught) | a stranger within T of someone "
               "(blocked for nothing)\n  "
            << std::left << std::setw(16) << "set" << std::right;
  for (double t : thresholds) std::cout << std::setw(12) << std::fixed << std::setprecision(2) << t;
  std::cout << "  nearest stranger\n";
  Counts all;
  auto row = [&](const std::string& name, Counts c) {
    std::cout << "  " << std::left << std::setw(16) << name << std::right;
    for (double t : thresholds) {
      std::ostringstream cell;
      cell << (c.genuine ? std::to_string(c.genuine_within[t]) + "/" + std::to_string(c.genuine)
                         : std::string("-"))
           << "|" << c.stranger_within[t] << "/" << c.stranger;
      std::cout << std::setw(12) << cell.str();
    }
    std::cout << std::setw(10) << std::setprecision(3) << c.nearest_stranger << "\n";
  };
  for (auto& [name, c] : bySet) {
    row(name, c);
    all.genuine += c.genuine;
    all.stranger += c.stranger;
    for (double t : thresholds) {
      all.genuine_within[t] += c.genuine_within[t];
      all.stranger_within[t] += c.stranger_within[t];
    }
    all.nearest_stranger = std::min(all.nearest_stranger, c.nearest_stranger);
  }
  row("all", all);
}

// The reference photo checks on the shared crops and on copies made worse in each way.
void evaluateReferences() {
  faces::FaceEngine& engine = cgt::ssdEngine();
  // A face turned about the vertical axis: one side of the crop squeezed, as in perspective.
  auto turned = [](const cv::Mat& c, double squeeze) {
    const float w = static_cast<float>(c.cols), h = static_cast<float>(c.rows);
    const float in = static_cast<float>(squeeze * h / 2);
    const cv::Point2f from[] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    const cv::Point2f to[] = {{0, 0}, {w * 0.8f, in}, {w * 0.8f, h - in}, {0, h}};
    cv::Mat out;
    cv::warpPerspective(c, out, cv::getPerspectiveTransform(from, to), c.size(), cv::INTER_LINEAR,
                        cv::BORDER_REPLICATE);
    return out;
  };
  const std::vector<std::pair<std::string, std::function<cv::Mat(const cv::Mat&)>>> kinds = {
      {"as enrolled", [](const cv::Mat& c) { return c.clone(); }},
      {"blurred 1.5", [](const cv::Mat& c) { cv::Mat o; cv::GaussianBlur(c, o, {0, 0}, 1.5); return o; }},
      {"blurred 2.5", [](const cv::Mat& c) { cv::Mat o; cv::GaussianBlur(c, o, {0, 0}, 2.5); return o; }},
      {"half size", [](const cv::Mat& c) { cv::Mat o; cv::resize(c, o, {}, 0.5, 0.5, cv::INTER_AREA); return o; }},
      {"tilted 35", [](const cv::Mat& c) { cv::Mat o; cv::warpAffine(c, o, cv::getRotationMatrix2D({c.cols / 2.0f, c.rows / 2.0f}, 35, 1.0), c.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE); return o; }},
      {"squeezed", [&](const cv::Mat& c) { return turned(c, 0.3); }},
      {"nose moved", [](const cv::Mat& c) { return cgt::noseMovedAside(c, 0.14); }},
  };
  std::cout << "Reference photo checks (min size " << faces::kMinReferenceFacePx
            << " px, sharpness " << faces::kMinReferenceSharpness << ", turn "
            << faces::kMaxReferenceTurn << ", tilt " << faces::kMaxReferenceTiltDegrees
            << " degrees) on the 40 shared crops and copies of them\n";
  for (const auto& [name, make] : kinds) {
    std::vector<double> sizes, sharp, turn, tilt;
    std::map<std::string, int> refused;
    int accepted = 0, total = 0;
    for (const auto& person : kPeople) {
      for (int n = 1; n <= 5; ++n) {
        const cv::Mat image = make(crop(person, n));
        ++total;
        const auto found = engine.analyse(image);
        if (found.size() != 1) {
          ++refused[found.empty() ? "no_face" : "several_faces"];
          continue;
        }
        const auto q = faces::measureReference(image, found[0]);
        sizes.push_back(q.face_px);
        sharp.push_back(q.sharpness);
        turn.push_back(q.turn);
        tilt.push_back(q.tilt_degrees);
        if (Status s = faces::checkReference(q); s) {
          ++accepted;
        } else {
          ++refused[s.error().code];
        }
      }
    }
    auto range = [](std::vector<double> v) {
      if (v.empty()) return std::string("-");
      std::sort(v.begin(), v.end());
      std::ostringstream out;
      out << std::fixed << std::setprecision(2) << v.front() << ".." << v.back();
      return out.str();
    };
    std::cout << "  " << std::left << std::setw(12) << name << std::right << " accepted "
              << std::setw(2) << accepted << "/" << total << "  size " << range(sizes)
              << "  sharpness " << range(sharp) << "  turn " << range(turn) << "  tilt "
              << range(tilt) << "  refused:";
    for (const auto& [code, count] : refused) std::cout << " " << code << " " << count;
    std::cout << "\n";
  }
}

}  // namespace consentguard::bench
