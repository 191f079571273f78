#include "check/check_fixture.h"

#include <unistd.h>

#include <opencv2/imgproc.hpp>

#include "consentguard/register/csv_import.h"

namespace consentguard::testing {

std::string registerCsv() {
  return "id,role,given_name,family_name,no_photo,consent_website,consent_newsletter,"
         "consent_social_media,biometric_consent,preferred_name,year_group,consent_expires\n"
         "P001,pupil,Amy,Fowler,no,yes,yes,yes,yes,,6,\n"
         "P002,pupil,Bernadette,Rostenkowski,no,yes,yes,yes,yes,Bernie,6,\n"
         "P003,pupil,Howard,Wolowitz,yes,yes,yes,yes,yes,,5,\n"
         "P004,pupil,Leonard,Hofstadter,no,no,yes,yes,yes,,5,\n"
         "P005,pupil,Penny,Teller,no,yes,yes,yes,no,,4,\n"
         "P006,pupil,Raj,Koothrappali,no,yes,yes,yes,yes,,4,2026-10-31\n"
         "P007,pupil,Sheldon,Cooper,no,yes,yes,yes,yes,,3,\n"
         "S001,staff,Stuart,Bloom,no,yes,yes,yes,yes,,,\n";
}

// What a school's fresh install runs: the default SSD detector.
faces::FaceEngine& checkEngine() { return ssdEngine(); }

fs::path probePhoto(const std::string& person) {
  const int n = person == "stuart" ? 1 : 5;
  return testdata("identities/" + person + "/" + person + std::to_string(n) + ".png");
}

namespace {

const std::vector<std::pair<std::string, std::string>> kPeople = {
    {"amy", "P001"},   {"bernadette", "P002"}, {"howard", "P003"},  {"leonard", "P004"},
    {"penny", "P005"}, {"raj", "P006"},        {"sheldon", "P007"}, {"stuart", "S001"}};

fs::path buildEnrolledRegister() {
  // One per test process: ctest -j runs several, and they must not share a half-built one.
  const fs::path path =
      scratchDir("enrolled-register-" + std::to_string(::getpid())) / "register.db";
  auto store = reg::RegisterStore::open(path);
  if (!store) throw std::runtime_error(store.error().detail);
  reg::ImportOptions options;
  options.today = "2026-09-01";
  auto report = reg::importRegisterCsv(**store, registerCsv(), options);
  if (!report) throw std::runtime_error(report.error().message);
  for (const auto& [name, id] : kPeople) {
    for (int i = 1; i <= 5; ++i) {
      const fs::path photo =
          testdata("identities/" + name + "/" + name + std::to_string(i) + ".png");
      if (photo == probePhoto(name)) continue;
      auto descriptor = checkEngine().describeOnlyFace(loadRgb(photo));
      if (!descriptor) continue;  // HOG misses a turned crop; the others suffice
      const std::vector<float> values(descriptor->begin(), descriptor->end());
      Status s = (*store)->addTemplate(id, values, photo.filename().string(),
                                       checkEngine().pipelineVersion());
      // Penny has no biometric consent: the store must refuse her.
      if (id == "P005" ? s.ok() : !s.ok()) {
        throw std::runtime_error("unexpected enrolment result for " + name);
      }
    }
  }
  return path;
}

}  // namespace

fs::path installEnrolledRegister(const fs::path& db) {
  static const fs::path master = buildEnrolledRegister();  // closed: no WAL left behind
  fs::create_directories(db.parent_path());
  fs::copy_file(master, db, fs::copy_options::overwrite_existing);
  // Its templates are sealed: the data key goes with it, to the default place beside it.
  fs::create_directories(reg::defaultDataKeyPath(db).parent_path());
  fs::copy_file(reg::defaultDataKeyPath(master), reg::defaultDataKeyPath(db),
                fs::copy_options::overwrite_existing);
  return db;
}

fs::path enrolledRegisterCopy(const fs::path& dir) {
  return installEnrolledRegister(dir / "register.db");
}

std::vector<std::uint8_t> bytesOf(const fs::path& file) {
  auto bytes = image::readFileBytes(file);
  if (!bytes) throw std::runtime_error(file.string());
  return std::move(bytes.value());
}

std::vector<std::string> codes(const check::CheckResult& r) {
  std::vector<std::string> out;
  for (const auto& reason : r.decision.reasons) out.push_back(reason.code);
  return out;
}

void RegisterCheckTest::SetUp() {
  CG_REQUIRE_SHARED_TESTDATA();
  const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  auto store = reg::RegisterStore::open(enrolledRegisterCopy(scratchDir("check-" + name)));
  ASSERT_TRUE(store.ok()) << store.error().detail;
  store_ = std::move(store.value());
  config_.device_check = false;
}

check::CheckResult RegisterCheckTest::run(const fs::path& photo, const std::string& channel,
                                          const std::string& caption) {
  return runBytes(bytesOf(photo), channel, photo.filename().string(), caption);
}

check::CheckResult RegisterCheckTest::runBytes(const std::vector<std::uint8_t>& bytes,
                                               const std::string& channel,
                                               const std::string& file_name,
                                               const std::string& caption) {
  check::PhotoChecker checker(checkEngine(), *store_, config_, {}, kTestDate);
  auto result = checker.check({bytes, channel, file_name, caption, ""});
  if (!result) throw std::runtime_error(result.error().detail);
  return std::move(result.value());
}

cv::Mat videoScene(const std::string& person) {
  cv::Mat picture(640, 480, CV_8UC3, cv::Scalar(120, 130, 125));
  if (!person.empty()) {
    cv::Mat face = loadRgb(probePhoto(person)), scaled;
    const double scale = 240.0 / face.rows;
    cv::resize(face, scaled, cv::Size(), scale, scale, cv::INTER_AREA);
    scaled.copyTo(picture(cv::Rect((480 - scaled.cols) / 2, 200, scaled.cols, scaled.rows)));
  }
  cv::Mat stored;
  cv::rotate(picture, stored, cv::ROTATE_90_COUNTERCLOCKWISE);
  return stored;
}

}  // namespace consentguard::testing
