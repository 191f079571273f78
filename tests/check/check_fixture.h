// A consent register of the 8 people in ../shared/testdata/identities, enrolled from their
// reference photos 1-4 (photo 5 is kept back to be checked). The register, as the issue asks:
//   amy P001, bernadette P002, raj P006, sheldon P007: pupils with consent for every channel
//     (Raj's consent expired on 2026-10-31, so he has none on the test date);
//   howard P003: on the no-photo list;
//   leonard P004: no consent for the website (yes for the newsletter);
//   penny P005: no biometric consent, so never enrolled: her face is unknown;
//   stuart S001: staff, with consent.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "consentguard/check/photo_check.h"
#include "support/test_support.h"

namespace consentguard::testing {

inline const char* kTestDate = "2026-11-23";

// The register CSV above (a generated fixture).
std::string registerCsv();

// A copy of the enrolled register for one test, at dir/register.db (built once per run: the
// enrolment runs the face engine on 40 photos).
fs::path enrolledRegisterCopy(const fs::path& dir);
// The same, at `db` (for example DATA/consentguard.db), with its data key at the default place
// beside it. Returns `db`.
fs::path installEnrolledRegister(const fs::path& db);

// The engine the check tests use: MMOD when its model is present, else HOG.
faces::FaceEngine& checkEngine();

// Photo 5 of a person (photo 1 for Stuart, whose photo 5 the HOG detector misses).
fs::path probePhoto(const std::string& person);

// For test videos: the person's probe photo, 240 px tall, in the middle of a plain 640 x 480
// picture (nobody when `person` is empty), stored on its side (turned a quarter to the left) as
// a phone held upright stores it.
cv::Mat videoScene(const std::string& person);

using policy::Verdict;

std::vector<std::uint8_t> bytesOf(const fs::path& file);
std::vector<std::string> codes(const check::CheckResult& r);

// Each test checks photos against its own copy of the enrolled register, on the test date, with
// the device check off (the identity crops carry no camera details; it has its own test).
class RegisterCheckTest : public ::testing::Test {
 protected:
  void SetUp() override;

  check::CheckResult run(const fs::path& photo, const std::string& channel,
                         const std::string& caption = "");
  check::CheckResult runBytes(const std::vector<std::uint8_t>& bytes, const std::string& channel,
                              const std::string& file_name, const std::string& caption = "");

  std::unique_ptr<reg::RegisterStore> store_;
  policy::PolicyConfig config_;
};

}  // namespace consentguard::testing
