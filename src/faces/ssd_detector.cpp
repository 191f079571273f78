// The SSD face detector's passes, and why (measured in issue 10):
// - The whole pass: the photo padded to a square (bottom and right, black) and resized to
//   512x512, as face-api does. It finds large and turned faces, but misses faces under about
//   24 px of its 512 frame (90 px in a 1920 px photo) and places boxes on small faces badly,
//   so its boxes narrower than 24 px are dropped.
// - The small-face pass: the SSD near the photo's own resolution, with the anchors fixed in
//   pixels, through the two heads whose anchors are small (the layers feeding only the large
//   heads are skipped). The photo is scaled so that the smallest face we promise to find lands
//   at 32 px (the network finds some faces down to 28 px, not reliably), never upscaled; the
//   pass is skipped when the whole pass already sees faces that small. Its boxes wider than
//   160 px are dropped: large faces are the whole pass's.
//   Scanning a 1920x1080 photo so costs 25 GMAC (about 500 ms on two cores), so by default
//   TinyFaceDetector (a tenth of the cost) first proposes where small faces may be, at a low
//   score, and the SSD scans only a window around each proposal that is not on a face the
//   whole pass found. Each SSD box must lie on its proposal. Where there are more proposals
//   than kMaxProposals, the whole photo is scanned.
//   Each proposal is also looked at at 0.7 or 1.3 of its size (kProposalScales); a scan of
//   the whole photo looks again at 0.7. A confident proposal the SSD still does not confirm is
//   shown to dlib's HOG detector, at a scale where the face fills its window.
// - The zoomed-out pass: the photo shrunk to 160 px, and to 96 px, inside 256 px grey squares.
//   A face that fills the frame (a reference photo, a close portrait) is found by neither pass
//   above.
// - The turned pass (turned_pass.h): faces turned a quarter or half turn, on small turned
//   copies of the photo, with dlib's HOG as the judge.
// A box of the other passes that covers more than 0.3 of a whole-pass box (or is so covered) is
// dropped: in bbt1.jpg the small-face pass put a second box (0.42) on the upper half of a face
// the whole pass had found. The rest are pooled, best first, and a box is dropped when its IoU
// with a kept box is over 0.5 or its intersection over the smaller box is over 0.6.
#include <dlib/image_processing/frontal_face_detector.h>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <future>

#include "detectors.h"
#include "hog_look.h"
#include "second_look.h"
#include "turned_pass.h"

namespace consentguard::faces {
namespace {

constexpr int kWholeSide = SsdNetwork::kInputSize;
constexpr float kWholeMinWidth = 24.0f;       // in the 512 frame
constexpr float kSmallPassMaxWidth = 160.0f;  // in the small-face pass's pixels
constexpr double kNetworkSmallestFace = 32.0;  // px; 28 px faces are found only at times
constexpr int kZoomedOutSide = 256;
// Two sizes in one batch: on grey, tight crops scored 0.88-0.98 at 160 px and 0.72-0.98 at 96,
// each finding some the other missed; 128 px scored only 0.12-0.35 (and black was worse).
constexpr std::array<int, 2> kZoomedOutImages = {160, 96};
constexpr int kZoomedOutGrey = 128;
// The network misses some faces at their own size that it finds at another: reference crops
// pasted into a photo, 9 of 16 found at 56 px (all at 0.7 of it), 12 of 16 at 32 px. So each
// proposal is looked at again at 0.7 where its face stays 32 px or more, and at 1.3 where it
// is under 48 px.
constexpr float kSecondScale = 0.7f;
struct ProposalScale {
  float factor, min_side, max_side;  // sides of the proposals it is for, in the pass's pixels
};
constexpr std::array<ProposalScale, 3> kProposalScales = {
    {{1.0f, 0.0f, 1e9f}, {kSecondScale, 46.0f, 1e9f}, {1.3f, 0.0f, 48.0f}}};
// TinyFaceDetector's scores. Pasted 32 px faces scored from 0.06 up: 0.05 with a HOG look at
// every proposal found one more in 16 but doubled the time of detection.
constexpr float kProposalMinScore = 0.1f;
constexpr float kHogConfirmMinScore = 0.15f;
constexpr float kProposalMaxSide = 160.0f;  // as the small-face pass's boxes
constexpr size_t kMaxProposals = 48;
constexpr float kOverlapsWholeBox = 0.3f;  // of the smaller box
constexpr float kNmsIou = 0.5f;
constexpr float kNmsOverSmaller = 0.6f;

void scaleInto(const std::vector<SsdCandidate>& found, float scale, cv::Point2f offset,
               std::vector<SsdCandidate>& pool) {
  for (SsdCandidate c : found) {
    c.box = cv::Rect2f((c.box.x - offset.x) * scale, (c.box.y - offset.y) * scale,
                       c.box.width * scale, c.box.height * scale);
    pool.push_back(c);
  }
}

class SsdDetector final : public FaceDetector {
 public:
  SsdDetector(std::unique_ptr<SsdNetwork> network, std::unique_ptr<TinyNetwork> proposer,
              std::unique_ptr<SsdNetwork> turnedNetwork, std::unique_ptr<SecondLook> secondLook,
              const DetectorOptions& options)
      : network_(std::move(network)),
        proposer_(std::move(proposer)),
        turnedNetwork_(std::move(turnedNetwork)),
        secondLook_(std::move(secondLook)),
        options_(options) {}
  std::string name() const override { return "ssd"; }

  std::vector<FaceBox> detect(const cv::Mat& rgb) override {
    if (!turnedNetwork_) return detectUpright(rgb);
    auto turnedFound = std::async(std::launch::async,
                                  [&] { return findTurnedCandidates(rgb, *turnedNetwork_); });
    std::vector<FaceBox> faces = detectUpright(rgb);
    TurnedCandidates turned = turnedFound.get();
    addTurnedFaces(rgb, std::move(turned), hog_,
                   [this](const cv::Mat& photo) { return detectUpright(photo); }, faces);
    tidyBoxes(faces, rgb.size());
    return faces;
  }

 private:
  // `alsoOnWholeNetwork`, if given, runs on the whole pass's thread once that is free: the
  // turned pass uses the same network, and so overlaps the small-face pass.
  std::vector<FaceBox> detectUpright(const cv::Mat& rgb,
                                     const std::function<void()>& alsoOnWholeNetwork = {}) {
    std::vector<SsdCandidate> whole, zoomed, others;
    // The whole and zoomed-out passes use one network, the small-face pass the others: they
    // run side by side, since OpenCV keeps two cores busy better with two networks at once.
    std::promise<void> wholeDone;
    auto wholeFound = wholeDone.get_future();
    auto large = std::async(std::launch::async, [&] {
      try {
        wholePass(rgb, whole);
      } catch (...) {
        wholeDone.set_exception(std::current_exception());
        throw;
      }
      wholeDone.set_value();
      zoomedOutPass(rgb, zoomed);
      if (alsoOnWholeNetwork) alsoOnWholeNetwork();
    });
    smallFacePass(rgb, [&] { wholeFound.wait(); }, whole, others);
    large.get();
    if (secondLook_) {
      const auto invented = [&](const SsdCandidate& c) {
        return c.score < SecondLook::kSureScore && !secondLook_->agrees(rgb, c.box);
      };
      std::erase_if(whole, invented);
      std::erase_if(zoomed, invented);
    }
    others.insert(others.end(), zoomed.begin(), zoomed.end());
    // The whole pass places boxes on the faces it finds best; another pass's box that overlaps
    // one of them is a part or a duplicate of that face.
    std::erase_if(others, [&](const SsdCandidate& c) {
      return std::any_of(whole.begin(), whole.end(), [&](const SsdCandidate& w) {
        return (c.box & w.box).area() > kOverlapsWholeBox * std::min(c.box.area(), w.box.area());
      });
    });
    std::vector<SsdCandidate> pool = std::move(whole);
    pool.insert(pool.end(), others.begin(), others.end());
    std::vector<FaceBox> faces;
    for (const SsdCandidate& c : suppressOverlaps(std::move(pool), kNmsIou, kNmsOverSmaller)) {
      const cv::Rect box(cvRound(c.box.x), cvRound(c.box.y), cvRound(c.box.width),
                         cvRound(c.box.height));
      faces.push_back({box, c.score, c.dlib_box ? cv::Rect() : ssdLandmarkBox(c.box)});
    }
    tidyBoxes(faces, rgb.size());
    return faces;
  }

  void wholePass(const cv::Mat& rgb, std::vector<SsdCandidate>& pool) {
    const float minWidth = kWholeMinWidth * std::max(rgb.cols, rgb.rows) / kWholeSide;
    for (const SsdCandidate& c : network_->detectWholeImage(rgb, options_.ssd_min_score)) {
      if (c.box.width >= minWidth) pool.push_back(c);
    }
  }

  // `awaitWhole` waits for the whole pass, whose boxes are then in `whole`.
  void smallFacePass(const cv::Mat& rgb, const std::function<void()>& awaitWhole,
                     const std::vector<SsdCandidate>& whole, std::vector<SsdCandidate>& pool) {
    const int side = std::max(rgb.cols, rgb.rows);
    const double smallest = smallestFace(side);
    if (kWholeMinWidth * side / kWholeSide <= smallest) return;  // the whole pass sees them
    const double scale = std::min(1.0, kNetworkSmallestFace / smallest);
    cv::Mat working = rgb;
    if (scale < 1.0) cv::resize(rgb, working, cv::Size(), scale, scale, cv::INTER_AREA);
    std::vector<SsdCandidate> found, large;
    auto foundByWholePass = [&](const SsdCandidate& p) {
      awaitWhole();
      const cv::Point2f centre((p.box.x + p.box.width / 2) / static_cast<float>(scale),
                               (p.box.y + p.box.height / 2) / static_cast<float>(scale));
      return std::any_of(whole.begin(), whole.end(),
                         [&](const SsdCandidate& w) { return w.box.contains(centre); });
    };
    if (options_.ssd_scan_whole_photo ||
        !scanProposals(working, foundByWholePass, found, large)) {
      found = network_->run(working, options_.ssd_min_score, true);
      scaleInto(network_->run(resized(working, kSecondScale), options_.ssd_min_score, true),
                1.0f / kSecondScale, {0, 0}, found);
    }
    std::erase_if(found, [](const SsdCandidate& c) { return c.box.width > kSmallPassMaxWidth; });
    found.insert(found.end(), large.begin(), large.end());
    scaleInto(found, static_cast<float>(1.0 / scale), {0, 0}, pool);
  }

  // The SSD on a window around each of TinyFaceDetector's proposals; false when there are too
  // many proposals for that to be cheaper than scanning the whole photo.
  // A proposal on a face the whole pass found needs no second look (`known`).
  // A large proposal the whole pass did not find goes to dlib's HOG (into `large`): the whole
  // pass misses some big faces without a body around them (a 200 px crop pasted on a plain
  // backdrop of a 1920 px photo scored under 0.4), which HOG finds with ease.
  bool scanProposals(const cv::Mat& working,
                     const std::function<bool(const SsdCandidate&)>& known,
                     std::vector<SsdCandidate>& found, std::vector<SsdCandidate>& large) {
    std::vector<SsdCandidate> proposals =
        suppressOverlaps(proposer_->run(working, kProposalMinScore), 0.3f, 0.6f);
    std::erase_if(proposals, [&](const SsdCandidate& p) { return known(p); });
    std::vector<SsdCandidate> largeProposals;
    std::erase_if(proposals, [&](const SsdCandidate& p) {
      if (std::max(p.box.width, p.box.height) <= kProposalMaxSide) return false;
      largeProposals.push_back(p);
      return true;
    });
    // Every large proposal, however weak: TinyFaceDetector scored one such face 0.11. They are
    // few, and HOG is quick at a face's own size.
    confirmWithHog(working, largeProposals, kProposalMinScore, large);
    if (proposals.size() > kMaxProposals) return false;
    for (const ProposalScale& scale : kProposalScales) {
      std::vector<SsdCandidate> chosen;
      for (const SsdCandidate& p : proposals) {
        const float size = std::max(p.box.width, p.box.height);
        if (size < scale.min_side || size > scale.max_side) continue;
        const float f = scale.factor;
        chosen.push_back(
            {cv::Rect2f(p.box.x * f, p.box.y * f, p.box.width * f, p.box.height * f), p.score});
      }
      if (chosen.empty()) continue;
      std::vector<SsdCandidate> more;
      checkWindows(working, scale.factor, chosen, more);
      scaleInto(more, 1.0f / scale.factor, {0, 0}, found);
    }
    confirmWithHog(working, proposals, kHogConfirmMinScore, found);
    return true;
  }

  // A confident proposal that the SSD did not confirm: dlib's HOG looks at it, at a scale where
  // the face fills HOG's window. The SSD misses some small faces that have no head around
  // them (reference crops pasted into a photo: 12 of 16 at 32 px), which HOG finds.
  void confirmWithHog(const cv::Mat& working, const std::vector<SsdCandidate>& proposals,
                      float minScore, std::vector<SsdCandidate>& found) {
    const size_t fromSsd = found.size();
    for (const SsdCandidate& p : proposals) {
      if (p.score < minScore) continue;
      const cv::Rect2f near = nearProposal(p.box);
      const bool confirmed = std::any_of(found.begin(), found.begin() + fromSsd, [&](const auto& c) {
        return near.contains({c.box.x + c.box.width / 2, c.box.y + c.box.height / 2});
      });
      if (confirmed) continue;
      const cv::Rect region = cv::Rect(near) & cv::Rect(0, 0, working.cols, working.rows);
      const double scale = 90.0 / std::max(1.0f, std::max(p.box.width, p.box.height));
      for (const cv::Rect2f& box : hogFacesIn(hog_, working, region, scale)) {
        if (near.contains({box.x + box.width / 2, box.y + box.height / 2})) {
          found.push_back({box, p.score, true});  // scored as the proposal
        }
      }
    }
  }

  // Where a box must lie to be the proposed face: the proposal grown by half its size.
  static cv::Rect2f nearProposal(const cv::Rect2f& proposal) {
    const float grow = std::max(proposal.width, proposal.height) * 0.5f;
    return cv::Rect2f(proposal.x - grow, proposal.y - grow, proposal.width + 2 * grow,
                      proposal.height + 2 * grow);
  }

  static cv::Mat resized(const cv::Mat& image, float factor) {
    cv::Mat out;
    cv::resize(image, out, cv::Size(), factor, factor,
               factor < 1.0f ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
  }

  // The SSD on a window around each proposal, in the pixels of `image` scaled by `factor`
  // (proposals and results too); only the windows are scaled, never the whole photo.
  void checkWindows(const cv::Mat& image, float factor,
                    const std::vector<SsdCandidate>& proposals, std::vector<SsdCandidate>& found) {
    // Windows of a few sizes, each batch through the network in one pass.
    // Windows start on the 32 px grid of the whole photo, so that the network sees each face
    // as a scan of the whole photo would (it is not shift-invariant: a 32 px face scored 0.39
    // to 0.60 in windows placed anyhow, 0.50 to 0.77 in aligned ones).
    constexpr std::array<int, 3> kWindows = {128, 192, 256};
    std::array<std::vector<cv::Mat>, kWindows.size()> crops;
    std::array<std::vector<std::pair<cv::Point2f, cv::Rect2f>>, kWindows.size()> placed;
    for (const SsdCandidate& p : proposals) {
      const float size = std::max(p.box.width, p.box.height);
      size_t w = 0;
      while (w + 1 < kWindows.size() && kWindows[w] < 2.6f * size) ++w;
      const int window = kWindows[w];
      const cv::Point2f centre(p.box.x + p.box.width / 2, p.box.y + p.box.height / 2);
      const auto aligned = [](float v) { return static_cast<int>(std::floor(v / 32)) * 32; };
      const cv::Rect area(aligned(centre.x - window / 2.0f), aligned(centre.y - window / 2.0f),
                          window, window);
      // The window in the photo's own pixels, black where it runs off the photo.
      const cv::Rect source(cvFloor(area.x / factor), cvFloor(area.y / factor),
                            cvCeil(window / factor), cvCeil(window / factor));
      const cv::Rect inside = source & cv::Rect(0, 0, image.cols, image.rows);
      if (inside.area() == 0) continue;
      cv::Mat crop(source.size(), CV_8UC3, cv::Scalar::all(0));
      image(inside).copyTo(crop(inside - source.tl()));
      if (crop.cols != window || crop.rows != window) {
        cv::resize(crop, crop, cv::Size(window, window), 0, 0,
                   factor < 1.0f ? cv::INTER_AREA : cv::INTER_LINEAR);
      }
      crops[w].push_back(crop);
      placed[w].push_back({cv::Point2f(static_cast<float>(area.x), static_cast<float>(area.y)),
                           p.box});
    }
    for (size_t w = 0; w < kWindows.size(); ++w) {
      if (crops[w].empty()) continue;
      const auto results = network_->runBatch(crops[w], options_.ssd_min_score, true);
      for (size_t n = 0; n < results.size(); ++n) {
        const auto& [origin, proposal] = placed[w][n];
        for (SsdCandidate c : results[n]) {
          c.box.x += origin.x;
          c.box.y += origin.y;
          // The box must be the proposed face, not part of a neighbour cut by the window.
          const cv::Point2f centre(c.box.x + c.box.width / 2, c.box.y + c.box.height / 2);
          if (nearProposal(proposal).contains(centre)) found.push_back(c);
        }
      }
    }
  }

  void zoomedOutPass(const cv::Mat& rgb, std::vector<SsdCandidate>& pool) {
    const int side = std::max(rgb.cols, rgb.rows);
    std::vector<cv::Mat> canvases;
    std::vector<std::pair<double, cv::Point2f>> placed;  // shrink factor, offset
    for (int size : kZoomedOutImages) {
      const double shrink = static_cast<double>(size) / side;
      cv::Mat small;
      cv::resize(rgb, small,
                 cv::Size(std::max(1, cvRound(rgb.cols * shrink)),
                          std::max(1, cvRound(rgb.rows * shrink))),
                 0, 0, cv::INTER_AREA);
      const int left = (kZoomedOutSide - small.cols) / 2;
      const int top = (kZoomedOutSide - small.rows) / 2;
      cv::Mat canvas(kZoomedOutSide, kZoomedOutSide, CV_8UC3, cv::Scalar::all(kZoomedOutGrey));
      small.copyTo(canvas(cv::Rect(left, top, small.cols, small.rows)));
      canvases.push_back(canvas);
      placed.push_back({shrink, cv::Point2f(static_cast<float>(left), static_cast<float>(top))});
    }
    const auto found = network_->runBatch(canvases, options_.ssd_min_score, false);
    for (size_t i = 0; i < found.size(); ++i) {
      scaleInto(found[i], static_cast<float>(1.0 / placed[i].first), placed[i].second, pool);
    }
  }

  double smallestFace(int longSide) const {
    return std::max(options_.min_face_px, options_.ssd_smallest_face_fraction * longSide);
  }

  std::unique_ptr<SsdNetwork> network_;
  std::unique_ptr<TinyNetwork> proposer_;
  std::unique_ptr<SsdNetwork> turnedNetwork_;  // the turned pass's own, to run beside the others
  std::unique_ptr<SecondLook> secondLook_;     // none when options_.ssd_second_look is off
  dlib::frontal_face_detector hog_ = dlib::get_frontal_face_detector();
  DetectorOptions options_;
};

}  // namespace

// dlib's box for the same face, from the SSD's: fitted on the 36 reference crops that both HOG
// and the SSD find (median over the crops: the centre 0.067 of the height lower, the same
// width, 0.81 of the height).
cv::Rect ssdLandmarkBox(const cv::Rect2f& ssd) {
  const float height = 0.81f * ssd.height;
  const float centreY = ssd.y + ssd.height / 2 + 0.067f * ssd.height;
  return cv::Rect(cvRound(ssd.x), cvRound(centreY - height / 2), cvRound(ssd.width),
                  cvRound(height));
}

std::unique_ptr<FaceDetector> makeSsdDetector(std::unique_ptr<SsdNetwork> network,
                                              std::unique_ptr<TinyNetwork> proposer,
                                              std::unique_ptr<SsdNetwork> turnedNetwork,
                                              std::unique_ptr<SecondLook> secondLook,
                                              const DetectorOptions& options) {
  return std::make_unique<SsdDetector>(std::move(network), std::move(proposer),
                                       std::move(turnedNetwork), std::move(secondLook), options);
}

}  // namespace consentguard::faces
