// The face pipeline in one object: detect every face in an upright photo, find its landmarks,
// align it and compute its descriptor. It knows nothing of the register or the policy: the
// caller matches the descriptors (Matcher) and decides.
// Owns its models. Not thread-safe: each worker creates its own FaceEngine.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "consentguard/common/result.h"
#include "consentguard/faces/aligner.h"
#include "consentguard/faces/descriptor.h"
#include "consentguard/faces/detector.h"
#include "consentguard/faces/matcher.h"
#include "consentguard/faces/models.h"

namespace consentguard::faces {

struct EngineOptions {
  DetectorOptions detector;
  // A face narrower than this is found but too small to identify: a person must look at it.
  // The recognition chip is 150 px with the face filling about 100 of them; below 64 px the
  // chip is mostly interpolation, and a 57 px bystander came within 0.55 of an enrolled person.
  int min_identifiable_face_px = 64;
};

struct FoundFace {
  cv::Rect box;
  double score = 0.0;
  bool identifiable = true;
  std::vector<cv::Point2f> landmarks;
  Descriptor descriptor{};  // the mean of the chip's and its mirror image's descriptors
  cv::Mat chip;             // the aligned 150x150 RGB chip the descriptor was made from
  int turn = 0;             // FaceBox::turn: the photo turned so, the face stands upright
};

// The pipeline (detector, alignment, descriptor) that engines with these options make
// descriptors with; templates are stamped with it. "dlib-box-1": dlib's boxes (HOG, MMOD)
// straight to the landmarks, as every template made before the stamp. "ssd-hogfit-1": the
// SSD's boxes, refitted by HOG for the landmarks. "-mirror-2" (issue 21): the same, with each
// descriptor the mean of the chip's and its mirror image's.
std::string pipelineVersion(const DetectorOptions& options);

// Names a found face from the enrolled templates; a face too small to identify is never named.
Match identify(const FoundFace& face, const Matcher& matcher);

// How long each stage of analyse() took, in milliseconds.
struct StageTimings {
  double detect_ms = 0;
  double landmarks_ms = 0;  // landmarks and alignment
  double describe_ms = 0;
};

class FaceEngine {
 public:
  static Result<std::unique_ptr<FaceEngine>> create(const ModelPaths& models,
                                                    const EngineOptions& options = {});

  // Every face in the photo, left to right. With `timings`, how long each stage took.
  std::vector<FoundFace> analyse(const cv::Mat& rgb, StageTimings* timings = nullptr);

  // For enrolment: the descriptor of the one face in a reference photo; an error when there
  // is no face, more than one, or it is too small.
  Result<Descriptor> describeOnlyFace(const cv::Mat& rgb);

  // As describeOnlyFace, and the face must also pass the reference photo checks (size,
  // sharpness, pose: faces/reference_quality.h). Errors: those of both.
  Result<Descriptor> describeReference(const cv::Mat& rgb);
  // The same, with the face found (its box, for keeping the photo cropped around it).
  Result<FoundFace> referenceFace(const cv::Mat& rgb);

  // pipelineVersion(options): templates are stamped with it, since descriptors of another
  // pipeline lie differently.
  std::string pipelineVersion() const { return faces::pipelineVersion(options_.detector); }

  FaceDetector& detector() { return *detector_; }
  const FaceAligner& aligner() const { return *aligner_; }
  FaceDescriber& describer() { return *describer_; }

 private:
  Result<FoundFace> onlyFace(const cv::Mat& rgb, bool checkQuality);
  // Landmarks and chip for a found face, in the photo turned so that the face is upright when
  // the detector says it is turned (copies made once per turn, kept in `turnedCopies`).
  AlignedFace alignUpright(const cv::Mat& rgb, const FaceBox& box,
                           std::map<int, cv::Mat>& turnedCopies);
  FaceEngine(const EngineOptions& options, std::unique_ptr<FaceDetector> detector,
             std::unique_ptr<FaceAligner> aligner, std::unique_ptr<FaceDescriber> describer);

  EngineOptions options_;
  std::unique_ptr<FaceDetector> detector_;
  std::unique_ptr<FaceAligner> aligner_;
  std::unique_ptr<FaceDescriber> describer_;
};

}  // namespace consentguard::faces
