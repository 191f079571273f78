// Enrolling from reference photos: what is kept (the face cropped, without metadata), what is
// refused and why, removing a photo, biometric withdrawal deleting the photos with the
// templates, and enrolling everyone again from the kept photos.
#include "consentguard/check/enrolment.h"

#include <gtest/gtest.h>

#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

class EnrolmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CG_REQUIRE_SHARED_TESTDATA();
    auto store = reg::RegisterStore::open(
        scratchDir(std::string("enrol-") +
                   ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
        "register.db");
    ASSERT_TRUE(store.ok());
    store_ = std::move(store.value());
    for (const std::string id : {"amy", "penny"}) {
      reg::Person p;
      p.id = id;
      p.given_name = id;
      p.family_name = "Test";
      ASSERT_TRUE(store_->savePerson(p).ok());
    }
    ASSERT_TRUE(store_->setBiometric("amy", reg::Biometric::kGiven, "2026-11-01").ok());
  }
  std::vector<std::uint8_t> bytesOf(const std::string& relative) {
    auto bytes = image::readFileBytes(testdata(relative));
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? *bytes : std::vector<std::uint8_t>{};
  }
  Result<check::EnrolledPhoto> enrol(const std::string& person, const std::string& relative) {
    return check::enrolReferencePhoto(*store_, ssdEngine(), person, bytesOf(relative),
                                      fs::path(relative).filename().string(), "user:ada.admin");
  }
  std::int64_t count(const std::string& sql) {
    auto stmt = store_->database().prepare(sql);
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(stmt->step().ok());
    return stmt->integer(0);
  }
  std::unique_ptr<reg::RegisterStore> store_;
};

TEST_F(EnrolmentTest, KeepsTheFaceCroppedWithoutMetadataAndItsTemplate) {
  auto done = enrol("amy", "identities/amy/amy1.png");
  ASSERT_TRUE(done.ok()) << done.error().message;
  auto photos = store_->referencePhotos("amy");
  ASSERT_TRUE(photos.ok());
  ASSERT_EQ(photos->size(), 1u);
  EXPECT_EQ((*photos)[0].source, "amy1.png");
  EXPECT_EQ((*photos)[0].added_by, "user:ada.admin");
  EXPECT_TRUE((*photos)[0].jpeg.empty());  // the list leaves the bytes out
  auto kept = store_->referencePhoto(done->reference_photo);
  ASSERT_TRUE(kept.ok() && kept->has_value());
  auto image = image::decodeImage((*kept)->jpeg);
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->format, image::ImageFormat::kJpeg);
  EXPECT_LE(std::max(image->rgb.cols, image->rgb.rows), check::kKeptSidePx);
  auto metadata = image::readMetadata((*kept)->jpeg);
  ASSERT_TRUE(metadata.ok());
  EXPECT_TRUE(metadata->date_taken.empty());
  EXPECT_EQ(*store_->templateCount("amy"), 1);
  // The template is made from the kept copy, so it still recognises her original photo.
  auto original = ssdEngine().describeReference(loadRgb(testdata("identities/amy/amy2.png")));
  ASSERT_TRUE(original.ok());
  auto templates = store_->templates();
  ASSERT_TRUE(templates.ok() && templates->size() == 1);
  faces::Descriptor stored{};
  std::copy(templates->front().descriptor.begin(), templates->front().descriptor.end(),
            stored.begin());
  EXPECT_LT(faces::distance(stored, *original), 0.53);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'reference_photo_added'"), 1);
}

TEST_F(EnrolmentTest, APhotoThatFailsIsRefusedWithItsReasonAndNothingIsKept) {
  auto group = enrol("amy", "groups/bbt1.jpg");
  ASSERT_FALSE(group.ok());
  EXPECT_EQ(group.error().code, "several_faces");
  EXPECT_NE(group.error().message.find("only the one person"), std::string::npos);
  const std::vector<std::uint8_t> junk = {0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 1, 2};
  auto broken = check::enrolReferencePhoto(*store_, ssdEngine(), "amy", junk, "x.jpg", "cli:t");
  ASSERT_FALSE(broken.ok());
  auto penny = enrol("penny", "identities/penny/penny1.png");
  ASSERT_FALSE(penny.ok());
  EXPECT_EQ(penny.error().code, "no_biometric_consent");
  EXPECT_EQ(count("SELECT count(*) FROM reference_photos"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM templates"), 0);
}

TEST_F(EnrolmentTest, RemovingAPhotoRemovesItsTemplate) {
  auto one = enrol("amy", "identities/amy/amy1.png");
  auto two = enrol("amy", "identities/amy/amy2.png");
  ASSERT_TRUE(one.ok() && two.ok());
  ASSERT_EQ(*store_->templateCount("amy"), 2);
  ASSERT_TRUE(check::removeReferencePhoto(*store_, one->reference_photo, "user:ada.admin").ok());
  EXPECT_EQ(*store_->templateCount("amy"), 1);
  EXPECT_EQ(store_->referencePhotos("amy")->size(), 1u);
  EXPECT_FALSE(check::removeReferencePhoto(*store_, one->reference_photo, "user:a").ok());
}

TEST_F(EnrolmentTest, WithdrawingBiometricConsentDeletesThePhotosWithTheTemplates) {
  ASSERT_TRUE(enrol("amy", "identities/amy/amy1.png").ok());
  ASSERT_TRUE(store_->setBiometric("amy", reg::Biometric::kWithdrawn, "2026-11-20").ok());
  EXPECT_EQ(count("SELECT count(*) FROM reference_photos"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM templates"), 0);
}

TEST_F(EnrolmentTest, ReEnrollingRebuildsEveryTemplateFromTheKeptPhotos) {
  ASSERT_TRUE(enrol("amy", "identities/amy/amy1.png").ok());
  ASSERT_TRUE(enrol("amy", "identities/amy/amy3.png").ok());
  // A template from an earlier engine, as a model change leaves them.
  ASSERT_TRUE(store_->database().execute("UPDATE templates SET pipeline = 'dlib-box-1'").ok());
  auto report = check::reEnrol(*store_, ssdEngine(), "cli:test");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->people, 1);
  EXPECT_EQ(report->templates_made, 2);
  EXPECT_TRUE(report->refused.empty());
  EXPECT_EQ(*store_->templateCount("amy"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM templates WHERE pipeline = '" +
                  ssdEngine().pipelineVersion() + "' AND reference_photo_id IS NOT NULL"),
            2);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 're_enrolled'"), 1);
}

}  // namespace
}  // namespace consentguard::testing
