// Shared helpers for the test suite: where ../shared/testdata and models/ are, and one
// FaceEngine per detector kind loaded once for the whole run (loading takes about a second).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "consentguard/faces/face_engine.h"

namespace consentguard::testing {

namespace fs = std::filesystem;

// ../shared beside the project (or $CG_SHARED_DIR).
fs::path sharedDir();
fs::path testdata(const std::string& relative);
bool haveSharedTestdata();
bool runningInCi();

fs::path modelsDir();
faces::ModelPaths modelPaths();
bool haveMmodModel();

// The engine with the default SSD detector, with HOG alone, or with MMOD+HOG (nullptr when the
// MMOD model is absent). Owned by the helper.
faces::FaceEngine& ssdEngine();
faces::FaceEngine& hogEngine();
faces::FaceEngine* mmodEngine();
// "ssd", "hog" or "mmod" (MMOD+HOG; nullptr when absent), for tests run on each detector.
faces::FaceEngine* engineNamed(const std::string& detector);

cv::Mat loadRgb(const fs::path& path);

// A real photo with no face, 1920x1080, for pasting faces into: the lower part of
// groups/bbt1.jpg (shirts, hands, a sofa) at 1920 px wide, and below it the same mirrored.
cv::Mat backgroundWithoutFaces();

// 1920 x 1080 of plain grey with a little noise: a backdrop with nothing on it.
cv::Mat plainBackdrop();

// A face crop with its middle column (the nose) pushed sideways by `fraction` of the width,
// the eyes and the edges nearly still: the landmarks of a head turned to one side, without a
// photo of one.
cv::Mat noseMovedAside(const cv::Mat& crop, double fraction);

// A fresh empty folder under the build tree, removed at the start of the next run.
fs::path scratchDir(const std::string& name);

// Runs build/consentguard with the arguments (a shell command line; quote paths with shellQuoted())
// and returns its exit status and standard output. Standard error goes to the test's log.
struct ProgramRun {
  int status;
  std::string out;
};
ProgramRun runConsentguard(const std::string& arguments);
std::string shellQuoted(const fs::path& path);

}  // namespace consentguard::testing

// Tests that need ../shared/testdata skip with a visible message in a newcomer's clone, and
// fail under CI=true, where the data must be present.
#define CG_REQUIRE_SHARED_TESTDATA()                                                  \
  do {                                                                                \
    if (!::consentguard::testing::haveSharedTestdata()) {                             \
      if (::consentguard::testing::runningInCi())                                     \
        FAIL() << "CI=true but ../shared/testdata is missing at "                     \
               << ::consentguard::testing::sharedDir();                               \
      GTEST_SKIP() << "SKIPPED: ../shared/testdata not found at "                     \
                   << ::consentguard::testing::sharedDir() << " (set CG_SHARED_DIR)"; \
    }                                                                                 \
  } while (0)

// For tests parameterised by detector name: MMOD needs its model.
#define CG_REQUIRE_DETECTOR(name)                     \
  do {                                                \
    if (std::string(name) == "mmod") CG_REQUIRE_MMOD(); \
  } while (0)

#define CG_REQUIRE_MMOD()                                                                  \
  do {                                                                                     \
    if (!::consentguard::testing::haveMmodModel()) {                                       \
      if (::consentguard::testing::runningInCi())                                          \
        FAIL() << "CI=true but models/mmod_human_face_detector.dat is missing";            \
      GTEST_SKIP() << "SKIPPED: models/mmod_human_face_detector.dat absent (scripts/test " \
                      "copies it from ../shared/models)";                                  \
    }                                                                                      \
  } while (0)
