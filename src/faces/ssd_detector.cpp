// The SSD face detector's passes, and why (measured in issue 10):
// - The whole pass: the photo padded to a square (bottom and right, black) and resized to
//   512x512, as face-api does. It finds large and turned faces, but misses faces under about
//   24 px of its 512 frame (90 px in a 1920 px photo) and places boxes on small faces badly,
//   so its boxes narrower than 24 px are dropped.
// - The small-face pass: the SSD near the photo's own resolution, with the anchors fixed in
//   pixels, through the two heads whose anchors are small (the layers feeding only the large
//   heads are skipped). The photo is scaled so that the smallest face we promise to find lands
//   at 32 px (the network finds some faces down to 28 px, not reliably), never upscaled; the pass is skipped when the
//   whole pass already sees faces that small. Its boxes wider than 160 px are dropped: large
//   faces are the whole pass's.
//   Scanning a 1920x1080 photo so costs 25 GMAC (about 500 ms on two cores), so by default
//   TinyFaceDetector (a tenth of the cost) first proposes where small faces may be, at a low
//   score, and the SSD scans only a window around each proposal. Each SSD box must lie on its
//   proposal. Where there are more proposals than kMaxProposals, the whole photo is scanned.
// - The zoomed-out pass: the photo shrunk to 160 px inside a 256 px grey square. A face that
//   fills the frame (a reference photo, a close portrait) is found by neither pass above.
// A box of the other passes that covers more than 0.3 of a whole-pass box (or is so covered) is
// dropped: in bbt1.jpg the small-face pass put a second box (0.42) on the upper half of a face
// the whole pass had found. The rest are pooled, best first, and a box is dropped when its IoU
// with a kept box is over 0.5 or its intersection over the smaller box is over 0.6.
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <future>

#include "detectors.h"

namespace consentguard::faces {
namespace {

constexpr int kWholeSide = SsdNetwork::kInputSize;
constexpr float kWholeMinWidth = 24.0f;       // in the 512 frame
constexpr float kSmallPassMaxWidth = 160.0f;  // in the small-face pass's pixels
constexpr double kNetworkSmallestFace = 32.0; // px in the network input: 28 px faces are found only at times
constexpr int kZoomedOutSide = 256;
constexpr int kZoomedOutImage = 160;
// Grey, not black: tight crops scored 0.88-0.98 on grey, 0.73-0.97 on black (and a 128 px
// image only 0.12-0.35, so not 128).
constexpr int kZoomedOutGrey = 128;
constexpr float kProposalMinScore = 0.1f;  // TinyFaceDetector; a 28 px face scored 0.45
constexpr float kProposalMaxSide = 160.0f;  // as the small-face pass's boxes
constexpr size_t kMaxProposals = 48;
constexpr float kOverlapsWholeBox = 0.3f;  // of the smaller box
constexpr float kNmsIou = 0.5f;
constexpr float kNmsOverSmaller = 0.6f;

void scaleInto(const std::vector<SsdCandidate>& found, float scale, cv::Point2f offset,
               std::vector<SsdCandidate>& pool) {
  for (const SsdCandidate& c : found) {
    pool.push_back({cv::Rect2f((c.box.x - offset.x) * scale, (c.box.y - offset.y) * scale,
                               c.box.width * scale, c.box.height * scale),
                    c.score});
  }
}

// dlib's box for the same face, from the SSD's: fitted on the 36 reference crops that both HOG
// and the SSD find (median over the crops: the centre 0.067 of the height lower, the same
// width, 0.81 of the height).
cv::Rect landmarkBox(const cv::Rect2f& ssd) {
  const float height = 0.81f * ssd.height;
  const float centreY = ssd.y + ssd.height / 2 + 0.067f * ssd.height;
  return cv::Rect(cvRound(ssd.x), cvRound(centreY - height / 2), cvRound(ssd.width),
                  cvRound(height));
}

class SsdDetector final : public FaceDetector {
 public:
  SsdDetector(std::unique_ptr<SsdNetwork> network, std::unique_ptr<TinyNetwork> proposer,
              const DetectorOptions& options)
      : network_(std::move(network)), proposer_(std::move(proposer)), options_(options) {}
  std::string name() const override { return "ssd"; }

  std::vector<FaceBox> detect(const cv::Mat& rgb) override {
    std::vector<SsdCandidate> whole, zoomed, others;
    // The whole and zoomed-out passes use one network, the small-face pass the others: they
    // run side by side, since OpenCV keeps two cores busy better with two networks at once.
    auto large = std::async(std::launch::async, [&] {
      wholePass(rgb, whole);
      zoomedOutPass(rgb, zoomed);
    });
    smallFacePass(rgb, others);
    large.get();
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
      faces.push_back({box, c.score, landmarkBox(c.box)});
    }
    tidyBoxes(faces, rgb.size());
    return faces;
  }

 private:
  void wholePass(const cv::Mat& rgb, std::vector<SsdCandidate>& pool) {
    const float minWidth = kWholeMinWidth * std::max(rgb.cols, rgb.rows) / kWholeSide;
    for (const SsdCandidate& c : network_->detectWholeImage(rgb, options_.ssd_min_score)) {
      if (c.box.width >= minWidth) pool.push_back(c);
    }
  }

  void smallFacePass(const cv::Mat& rgb, std::vector<SsdCandidate>& pool) {
    const int side = std::max(rgb.cols, rgb.rows);
    const double smallest = smallestFace(side);
    if (kWholeMinWidth * side / kWholeSide <= smallest) return;  // the whole pass sees them
    const double scale = std::min(1.0, kNetworkSmallestFace / smallest);
    cv::Mat working = rgb;
    if (scale < 1.0) cv::resize(rgb, working, cv::Size(), scale, scale, cv::INTER_AREA);
    std::vector<SsdCandidate> found;
    if (options_.ssd_scan_whole_photo || !scanProposals(working, found)) {
      found = network_->run(working, options_.ssd_min_score, true);
    }
    std::erase_if(found, [](const SsdCandidate& c) { return c.box.width > kSmallPassMaxWidth; });
    scaleInto(found, static_cast<float>(1.0 / scale), {0, 0}, pool);
  }

  // The SSD on a window around each of TinyFaceDetector's proposals; false when there are too
  // many proposals for that to be cheaper than scanning the whole photo.
  bool scanProposals(const cv::Mat& working, std::vector<SsdCandidate>& found) {
    std::vector<SsdCandidate> proposals =
        suppressOverlaps(proposer_->run(working, kProposalMinScore), 0.3f, 0.6f);
    std::erase_if(proposals, [](const SsdCandidate& p) {
      return std::max(p.box.width, p.box.height) > kProposalMaxSide;
    });
    if (proposals.size() > kMaxProposals) return false;
    // Windows of a few sizes, each batch through the network in one pass.
    // Windows start on the 32 px grid of the whole photo, so that the network sees each face
    // as a scan of the whole photo would (it is not shift-invariant: a 32 px face scored 0.39
    // to 0.60 in windows placed anyhow, 0.50 to 0.77 in aligned ones).
    constexpr std::array<int, 4> kWindows = {128, 192, 256, 320};
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
      cv::Mat crop(window, window, CV_8UC3, cv::Scalar::all(0));
      const cv::Rect inside = area & cv::Rect(0, 0, working.cols, working.rows);
      if (inside.area() == 0) continue;
      working(inside).copyTo(crop(inside - area.tl()));
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
          const float grow = std::max(proposal.width, proposal.height) * 0.5f;
          const cv::Rect2f near(proposal.x - grow, proposal.y - grow, proposal.width + 2 * grow,
                                proposal.height + 2 * grow);
          if (near.contains(centre)) found.push_back(c);
        }
      }
    }
    return true;
  }

  void zoomedOutPass(const cv::Mat& rgb, std::vector<SsdCandidate>& pool) {
    const int side = std::max(rgb.cols, rgb.rows);
    const double shrink = static_cast<double>(kZoomedOutImage) / side;
    cv::Mat small;
    cv::resize(rgb, small,
               cv::Size(std::max(1, cvRound(rgb.cols * shrink)),
                        std::max(1, cvRound(rgb.rows * shrink))),
               0, 0, cv::INTER_AREA);
    const int left = (kZoomedOutSide - small.cols) / 2, top = (kZoomedOutSide - small.rows) / 2;
    cv::Mat canvas(kZoomedOutSide, kZoomedOutSide, CV_8UC3, cv::Scalar::all(kZoomedOutGrey));
    small.copyTo(canvas(cv::Rect(left, top, small.cols, small.rows)));
    const std::vector<SsdCandidate> found =
        network_->run(canvas, options_.ssd_min_score, false);
    scaleInto(found, static_cast<float>(1.0 / shrink),
              cv::Point2f(static_cast<float>(left), static_cast<float>(top)), pool);
  }

  double smallestFace(int longSide) const {
    return std::max(options_.min_face_px, options_.ssd_smallest_face_fraction * longSide);
  }

  std::unique_ptr<SsdNetwork> network_;
  std::unique_ptr<TinyNetwork> proposer_;
  DetectorOptions options_;
};

}  // namespace

std::unique_ptr<FaceDetector> makeSsdDetector(std::unique_ptr<SsdNetwork> network,
                                              std::unique_ptr<TinyNetwork> proposer,
                                              const DetectorOptions& options) {
  return std::make_unique<SsdDetector>(std::move(network), std::move(proposer), options);
}

}  // namespace consentguard::faces
