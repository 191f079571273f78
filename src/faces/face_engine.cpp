#include "consentguard/faces/face_engine.h"

#include "consentguard/faces/reference_quality.h"

#include <chrono>

namespace consentguard::faces {

FaceEngine::FaceEngine(const EngineOptions& options, std::unique_ptr<FaceDetector> detector,
                       std::unique_ptr<FaceAligner> aligner,
                       std::unique_ptr<FaceDescriber> describer)
    : options_(options),
      detector_(std::move(detector)),
      aligner_(std::move(aligner)),
      describer_(std::move(describer)) {}

Result<std::unique_ptr<FaceEngine>> FaceEngine::create(const ModelPaths& models,
                                                       const EngineOptions& options) {
  auto detector = FaceDetector::create(models, options.detector);
  if (!detector) return detector.error();
  auto aligner = FaceAligner::load(models.landmarks());
  if (!aligner) return aligner.error();
  auto describer = FaceDescriber::load(models.recognition());
  if (!describer) return describer.error();
  return std::unique_ptr<FaceEngine>(new FaceEngine(options, std::move(detector.value()),
                                                    std::move(aligner.value()),
                                                    std::move(describer.value())));
}

namespace {
double millisecondsSince(std::chrono::steady_clock::time_point& start) {
  const auto now = std::chrono::steady_clock::now();
  const double ms = std::chrono::duration<double, std::milli>(now - start).count();
  start = now;
  return ms;
}
}  // namespace

std::vector<FoundFace> FaceEngine::analyse(const cv::Mat& rgb, StageTimings* timings) {
  StageTimings local;
  StageTimings& t = timings ? *timings : local;
  auto clock = std::chrono::steady_clock::now();
  std::vector<FoundFace> faces;
  std::vector<cv::Mat> chips;
  const std::vector<FaceBox> boxes = detector_->detect(rgb);
  t.detect_ms = millisecondsSince(clock);
  for (const FaceBox& box : boxes) {
    // The predictor was trained on dlib's boxes: a box of another kind is first replaced by
    // the one dlib's own detector puts on the same face.
    AlignedFace aligned = box.landmark_box.empty()
                              ? aligner_->align(rgb, box.box)
                              : aligner_->alignFromOtherDetector(rgb, box.box, box.landmark_box);
    FoundFace face;
    face.box = box.box;
    face.score = box.score;
    face.identifiable = std::min(box.box.width, box.box.height) >= options_.min_identifiable_face_px;
    face.landmarks = std::move(aligned.landmarks);
    faces.push_back(std::move(face));
    chips.push_back(std::move(aligned.chip));
  }
  t.landmarks_ms = millisecondsSince(clock);
  const std::vector<Descriptor> descriptors = describer_->describe(chips);
  for (size_t i = 0; i < faces.size(); ++i) faces[i].descriptor = descriptors[i];
  t.describe_ms = millisecondsSince(clock);
  return faces;
}

std::string pipelineVersion(const DetectorOptions& options) {
  // A union's faces come mostly from its first detector.
  return !options.kinds.empty() && options.kinds.front() == DetectorKind::kSsd ? "ssd-hogfit-1"
                                                                               : "dlib-box-1";
}

Match identify(const FoundFace& face, const Matcher& matcher) {
  Match match = matcher.match(face.descriptor);
  if (!face.identifiable) {
    match.outcome = MatchOutcome::kTooSmall;
    match.person.clear();
  }
  return match;
}

Result<Descriptor> FaceEngine::describeOnlyFace(const cv::Mat& rgb) {
  auto face = onlyFace(rgb, /*checkQuality=*/false);
  if (!face) return face.error();
  return face->descriptor;
}

Result<Descriptor> FaceEngine::describeReference(const cv::Mat& rgb) {
  auto face = onlyFace(rgb, /*checkQuality=*/true);
  if (!face) return face.error();
  return face->descriptor;
}

Result<FoundFace> FaceEngine::referenceFace(const cv::Mat& rgb) {
  return onlyFace(rgb, /*checkQuality=*/true);
}

Result<FoundFace> FaceEngine::onlyFace(const cv::Mat& rgb, bool checkQuality) {
  const std::vector<FoundFace> faces = analyse(rgb);
  if (faces.empty()) {
    return makeError("no_face",
                     "No face was found in this photo. Use a clear, front-facing photo of the "
                     "person's face.");
  }
  if (faces.size() > 1) {
    return makeError("several_faces",
                     "This photo shows " + std::to_string(faces.size()) +
                         " faces. A reference photo must show only the one person.");
  }
  if (!faces.front().identifiable) {
    return makeError("face_too_small",
                     "The face in this photo is too small. Use a closer photo of the person.");
  }
  if (checkQuality) {
    if (Status s = checkReference(measureReference(rgb, faces.front())); !s) return s.error();
  }
  return faces.front();
}

}  // namespace consentguard::faces
