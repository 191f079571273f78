#include "turned_pass.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include <opencv2/imgproc.hpp>

#include "detectors.h"
#include "hog_look.h"
#include "turns.h"

namespace consentguard::faces {
namespace {

constexpr int kTurnedSide = 320;
// HOG judges each candidate, so the SSD's own bar can be low: at 0.5 the circle of pasted faces
// lost one face at 320 px (it scored 0.47).
constexpr float kTurnedMinScore = 0.4f;
constexpr float kTurnedMinWidth = 24.0f;  // px of the turned copy, as the whole pass's
constexpr float kNmsIou = 0.5f;
constexpr float kNmsOverSmaller = 0.6f;
constexpr float kOverlaps = 0.3f;  // of the smaller box: one face

bool overlap(const cv::Rect& a, const cv::Rect& b) {
  return (a & b).area() > kOverlaps * std::min(a.area(), b.area());
}

}  // namespace

TurnedCandidates findTurnedCandidates(const cv::Mat& rgb, SsdNetwork& network) {
  const double shrink =
      std::min(1.0, static_cast<double>(kTurnedSide) / std::max(rgb.cols, rgb.rows));
  cv::Mat small = rgb;
  if (shrink < 1.0) {
    cv::resize(rgb, small,
               cv::Size(std::max(1, cvRound(rgb.cols * shrink)),
                        std::max(1, cvRound(rgb.rows * shrink))),
               0, 0, cv::INTER_AREA);
  }
  static_assert(kQuarterTurns == std::array<int, 3>{90, 180, 270});
  std::array<std::vector<SsdCandidate>, kQuarterTurns.size()> found;
  auto quarters =
      network.runBatch({turnPhoto(small, 90), turnPhoto(small, 270)}, kTurnedMinScore, false);
  found[0] = std::move(quarters[0]);
  found[2] = std::move(quarters[1]);
  found[1] = network.run(turnPhoto(small, 180), kTurnedMinScore, false);

  TurnedCandidates out;
  const auto back = static_cast<float>(1.0 / shrink);
  for (size_t t = 0; t < found.size(); ++t) {
    const int turn = kQuarterTurns[t];
    for (const SsdCandidate& c : suppressOverlaps(found[t], kNmsIou, kNmsOverSmaller)) {
      if (c.box.width < kTurnedMinWidth) continue;
      const cv::Rect2f box(c.box.x * back, c.box.y * back, c.box.width * back,
                           c.box.height * back);
      out[t].push_back({fromTurned(box, rgb.size(), turn), c.score,
                        fromTurned(cv::Rect2f(ssdLandmarkBox(box)), rgb.size(), turn), turn});
    }
  }
  return out;
}

namespace {

// HOG's answers for one photo, each box and turn asked once.
class HogJudge {
 public:
  HogJudge(dlib::frontal_face_detector& hog, const cv::Mat& rgb) : hog_(hog), rgb_(rgb) {}
  bool sees(const FaceBox& f) {
    const auto key = std::make_tuple(f.box.x, f.box.y, f.box.width, f.box.height, f.turn);
    const auto known = answers_.find(key);
    if (known != answers_.end()) return known->second;
    return answers_[key] = hogSeesFace(hog_, rgb_, f.box, f.turn);
  }

 private:
  dlib::frontal_face_detector& hog_;
  const cv::Mat& rgb_;
  std::map<std::tuple<int, int, int, int, int>, bool> answers_;
};

// Adds `face` unless a face already found overlaps it and is the better look (see the header);
// the overlapping faces it beats are dropped.
void addOrReplace(HogJudge& judge, const FaceBox& face, bool fromStoredTurn,
                  std::vector<FaceBox>& faces) {
  for (const FaceBox& f : faces) {
    if (!overlap(f.box, face.box)) continue;
    if (f.turn == face.turn) return;
    const bool oldSeen = judge.sees(f);
    const bool keepOld = fromStoredTurn ? oldSeen && !judge.sees(face) : !judge.sees(face) || oldSeen;
    if (keepOld) return;
  }
  if (!fromStoredTurn && !judge.sees(face)) return;
  std::erase_if(faces, [&](const FaceBox& f) { return overlap(f.box, face.box); });
  faces.push_back(face);
}

}  // namespace

void addTurnedFaces(const cv::Mat& rgb, TurnedCandidates candidates,
                    dlib::frontal_face_detector& hog, const UprightDetection& detectUpright,
                    std::vector<FaceBox>& faces) {
  HogJudge judge(hog, rgb);
  for (auto& atTurn : candidates) {
    std::erase_if(atTurn, [&](const FaceBox& f) { return !judge.sees(f); });
  }
  // The turn with the most faces HOG sees, against the upright faces HOG sees.
  size_t storedTurn = kQuarterTurns.size(), most = 0;
  for (size_t t = 0; t < candidates.size(); ++t) {
    if (candidates[t].size() > most) {
      most = candidates[t].size();
      storedTurn = t;
    }
  }
  if (most > 0) {
    const auto seenUpright = std::count_if(faces.begin(), faces.end(),
                                           [&](const FaceBox& f) { return judge.sees(f); });
    if (most <= static_cast<size_t>(seenUpright)) storedTurn = kQuarterTurns.size();
  }
  if (storedTurn < kQuarterTurns.size()) {
    const int turn = kQuarterTurns[storedTurn];
    for (FaceBox f : detectUpright(turnPhoto(rgb, turn))) {
      f.box = fromTurned(cv::Rect2f(f.box), rgb.size(), turn);
      if (!f.landmark_box.empty()) {
        f.landmark_box = fromTurned(cv::Rect2f(f.landmark_box), rgb.size(), turn);
      }
      f.turn = turn;
      addOrReplace(judge, f, /*fromStoredTurn=*/true, faces);
    }
  }
  for (const auto& atTurn : candidates) {
    for (const FaceBox& f : atTurn) addOrReplace(judge, f, /*fromStoredTurn=*/false, faces);
  }
}

}  // namespace consentguard::faces
