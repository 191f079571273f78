// The children of ../shared/testdata/children (part of FG-NET): 39 children aged 3 to 16,
// photographed over the years, each photo with 68 hand-placed landmarks in FG-NET's own layout.
// Used only to measure and test recognition on children (issue 21): nothing made from them is
// kept. describeChildren() runs the product's face engine on every photo and picks the child's
// face by the hand-placed pupils, so the figures are those of the pipeline a school runs.
#pragma once

#include <string>
#include <vector>

#include "consentguard/faces/face_engine.h"
#include "support/children_eval.h"
#include "support/test_support.h"

namespace consentguard::testing {

struct ChildPhoto {
  std::string child;  // "002"
  int age = 0;
  fs::path file;
  std::vector<cv::Point2f> points;  // FG-NET layout: pupils 31 and 36, mouth corners 48 and 54

  cv::Point2f pupilsCentre() const;
  double pupilDistance() const;
};

// Every photo with its landmarks, in file order. Empty when the folder is absent.
std::vector<ChildPhoto> childPhotos();

struct ChildFace {
  ChildPhoto photo;
  bool found = false;  // the engine found a face at the hand-placed pupils
  int face_px = 0;     // the found box's width
  faces::Descriptor descriptor{};  // of the aligned chip alone
  faces::Descriptor mirrored{};    // of its mirror image
  faces::Descriptor product{};     // as the engine gives it: the mean of the two
  // The engine's eye centres and mouth corners against the hand-placed ones, as a fraction of
  // the distance between the pupils (mean of the four).
  double landmark_error = 0;
};

std::vector<ChildFace> describeChildren(faces::FaceEngine& engine);

// The found faces as samples for children_eval.h; with `mirrorAveraged`, the engine's own
// descriptor (the mean of the chip's and its mirror image's), else the chip's alone.
std::vector<Sample> childSamples(const std::vector<ChildFace>& faces, bool mirrorAveraged);

}  // namespace consentguard::testing

namespace consentguard::testing {
// The adults of testdata/identities (8 people, 5 face crops each), as samples of age 0, so
// that every figure taken on children can be checked on adults too.
std::vector<Sample> adultSamples(faces::FaceEngine& engine, bool mirrorAveraged);
}  // namespace consentguard::testing
