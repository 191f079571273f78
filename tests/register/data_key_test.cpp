// Templates and reference photos at rest (issue 14): a copy of the database file alone holds
// no readable template or photo; a missing or wrong key is an error, never garbage matches; a
// sealed value moved to another person does not open; rotation re-seals everything, and a
// rotation cut short is finished at the next open.
#include "consentguard/register/data_key.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "consentguard/register/register_store.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

using reg::Biometric;
using reg::DataKey;
using reg::RegisterStore;

std::vector<std::uint8_t> fileBytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool contains(const std::vector<std::uint8_t>& haystack, const std::uint8_t* needle,
              std::size_t size) {
  return std::search(haystack.begin(), haystack.end(), needle, needle + size) != haystack.end();
}

std::string rawSql(const fs::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  sqlite3_open(db.c_str(), &handle);
  char* message = nullptr;
  const int rc = sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &message);
  std::string result = rc == SQLITE_OK ? "" : (message ? message : "error");
  sqlite3_free(message);
  sqlite3_close(handle);
  return result;
}

// A descriptor no other value in the file could look like.
std::vector<float> distinctDescriptor(float offset) {
  std::vector<float> values(128);
  for (int i = 0; i < 128; ++i) values[static_cast<size_t>(i)] = offset + 0.0137f * i - 0.71f;
  return values;
}

class DataKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratchDir("data-key-" +
                      std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    db_ = dir_ / "consentguard.db";
    key_ = reg::defaultDataKeyPath(db_);
    auto store = RegisterStore::open(db_);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(store.value());
    for (const auto& [id, given] : {std::pair{"P1", "Amy"}, std::pair{"P2", "Raj"}}) {
      reg::Person p;
      p.id = id;
      p.given_name = given;
      p.family_name = "Pupil";
      ASSERT_TRUE(store_->savePerson(p).ok());
      ASSERT_TRUE(store_->setBiometric(id, Biometric::kGiven, "2026-09-01").ok());
    }
    ASSERT_TRUE(store_->addTemplate("P1", amy_, "amy1.png", "ssd-1", "2026-09-01").ok());
    ASSERT_TRUE(store_->addTemplate("P2", raj_, "raj1.png", "ssd-1", "2026-09-01").ok());
    // A real JPEG, as enrolment keeps: a face-sized gradient.
    cv::Mat face(120, 100, CV_8UC3);
    for (int y = 0; y < face.rows; ++y) {
      for (int x = 0; x < face.cols; ++x) face.at<cv::Vec3b>(y, x) = cv::Vec3b(x * 2, y * 2, 90);
    }
    cv::imencode(".jpg", face, jpeg_);
    reg::ReferencePhoto photo;
    photo.person_id = "P1";
    photo.source = "amy1.png";
    photo.photo_date = "2026-09-01";
    photo.jpeg = jpeg_;
    auto id = store_->addReferencePhoto(photo);
    ASSERT_TRUE(id.ok()) << id.error().message;
    photoId_ = *id;
  }

  std::vector<float> descriptorOf(RegisterStore& store, const std::string& person) {
    auto templates = store.templates();
    if (!templates) throw std::runtime_error(templates.error().message);
    for (const auto& t : *templates) {
      if (t.person_id == person) return t.descriptor;
    }
    return {};
  }

  fs::path dir_, db_, key_;
  std::unique_ptr<RegisterStore> store_;
  std::vector<float> amy_ = distinctDescriptor(0), raj_ = distinctDescriptor(0.25f);
  std::vector<std::uint8_t> jpeg_;
  std::int64_t photoId_ = 0;
};

TEST_F(DataKeyTest, TheDatabaseFileAloneHoldsNoReadableTemplateOrPhoto) {
  EXPECT_EQ(descriptorOf(*store_, "P1"), amy_);
  store_.reset();  // closed: the write-ahead log is folded into the file
  ASSERT_FALSE(fs::exists(fs::path(db_.string() + "-wal")));

  const std::vector<std::uint8_t> file = fileBytes(db_);
  ASSERT_GT(file.size(), 4096u);
  // Any 16 bytes of either template, or the start of the photo, would be a leak.
  for (const auto* descriptor : {&amy_, &raj_}) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(descriptor->data());
    for (std::size_t at = 0; at + 16 <= 512; at += 16) {
      ASSERT_FALSE(contains(file, bytes + at, 16)) << "template bytes at offset " << at;
    }
    // The search itself finds what is there.
    std::vector<std::uint8_t> plain(bytes, bytes + 512);
    ASSERT_TRUE(contains(plain, bytes + 32, 16));
  }
  EXPECT_FALSE(contains(file, jpeg_.data(), 64)) << "the reference photo's first bytes";
  EXPECT_FALSE(contains(file, jpeg_.data() + jpeg_.size() / 2, 32)) << "its middle";

  // The database copied without its key: an error that says so, and no key is made for it.
  const fs::path elsewhere = scratchDir("data-key-copied-alone") / "consentguard.db";
  fs::copy_file(db_, elsewhere, fs::copy_options::overwrite_existing);
  auto copied = RegisterStore::open(elsewhere);
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().code, "no_data_key");
  EXPECT_NE(copied.error().message.find("is missing"), std::string::npos);
  EXPECT_FALSE(fs::exists(reg::defaultDataKeyPath(elsewhere)));

  // With another key: refused at open, never garbage matches.
  ASSERT_TRUE(DataKey::generate().save(reg::defaultDataKeyPath(elsewhere), false).ok());
  auto wrong = RegisterStore::open(elsewhere);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "wrong_data_key");
  EXPECT_NE(wrong.error().message.find("is not the key"), std::string::npos);

  // With its own key it opens, and the photo comes back whole.
  auto reopened = RegisterStore::open(db_);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ(descriptorOf(**reopened, "P2"), raj_);
  auto photo = (*reopened)->referencePhoto(photoId_);
  ASSERT_TRUE(photo.ok() && *photo);
  EXPECT_EQ((*photo)->jpeg, jpeg_);
}

TEST_F(DataKeyTest, ATemplateMovedToAnotherPersonDoesNotOpen) {
  store_.reset();
  // Someone with the file swaps Amy's sealed template into Raj's row.
  ASSERT_EQ(rawSql(db_,
                   "UPDATE templates SET descriptor = (SELECT descriptor FROM templates WHERE "
                   "person_id = 'P1') WHERE person_id = 'P2'"),
            "");
  auto store = RegisterStore::open(db_);
  ASSERT_TRUE(store.ok());
  auto templates = (*store)->templates();
  ASSERT_FALSE(templates.ok()) << "every template opens, or none is used";
  EXPECT_EQ(templates.error().code, "sealed_value_damaged");
}

TEST_F(DataKeyTest, TheDatabaseRefusesAPlainTemplateOrPhoto) {
  store_.reset();
  EXPECT_NE(rawSql(db_,
                   "INSERT INTO templates (person_id, descriptor) VALUES ('P1', "
                   "zeroblob(512))")
                .find("must be sealed"),
            std::string::npos);
  EXPECT_NE(rawSql(db_, "UPDATE reference_photos SET jpeg = X'FFD8FFE0'").find("must be sealed"),
            std::string::npos);
}

TEST_F(DataKeyTest, RotationReSealsEverythingAndTheOldKeyNoLongerOpens) {
  const std::vector<std::uint8_t> oldKey = fileBytes(key_);
  const std::string oldId = store_->dataKeyId();
  auto rotated = store_->rotateDataKey();
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_NE(*rotated, oldId);
  EXPECT_NE(fileBytes(key_), oldKey);
  EXPECT_FALSE(fs::exists(reg::pendingDataKeyPath(key_)));
  struct stat info {};
  ASSERT_EQ(::stat(key_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(descriptorOf(*store_, "P1"), amy_);

  auto other = RegisterStore::open(db_);
  ASSERT_TRUE(other.ok()) << other.error().message;
  EXPECT_EQ(descriptorOf(**other, "P2"), raj_);
  EXPECT_EQ((*(*other)->referencePhoto(photoId_))->jpeg, jpeg_);

  const fs::path old = dir_ / "old.key";
  {
    std::ofstream(old, std::ios::binary)
        .write(reinterpret_cast<const char*>(oldKey.data()),
               static_cast<std::streamsize>(oldKey.size()));
  }
  fs::permissions(old, fs::perms::owner_read | fs::perms::owner_write);
  auto withOld = RegisterStore::open(db_, old);
  ASSERT_FALSE(withOld.ok());
  EXPECT_EQ(withOld.error().code, "wrong_data_key");
}

TEST_F(DataKeyTest, AStoreOpenDuringARotationReadsWithTheNewKey) {
  auto other = RegisterStore::open(db_);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(store_->rotateDataKey().ok());
  EXPECT_EQ(descriptorOf(**other, "P1"), amy_) << "the service's stores pick up the new key";
}

TEST_F(DataKeyTest, ARotationCutShortIsFinishedAtTheNextOpen) {
  const std::vector<std::uint8_t> oldKey = fileBytes(key_);
  ASSERT_TRUE(store_->rotateDataKey().ok());
  store_.reset();
  // As if the power went after the register was re-sealed, before the new key was put in place.
  fs::rename(key_, reg::pendingDataKeyPath(key_));
  {
    std::ofstream(key_, std::ios::binary)
        .write(reinterpret_cast<const char*>(oldKey.data()),
               static_cast<std::streamsize>(oldKey.size()));
  }
  fs::permissions(key_, fs::perms::owner_read | fs::perms::owner_write);
  auto store = RegisterStore::open(db_);
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_EQ(descriptorOf(**store, "P1"), amy_);
  EXPECT_FALSE(fs::exists(reg::pendingDataKeyPath(key_)));
  EXPECT_NE(fileBytes(key_), oldKey);
}

TEST_F(DataKeyTest, AKeyFileOthersCanReadIsRefused) {
  store_.reset();
  fs::permissions(key_, fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
  auto store = RegisterStore::open(db_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "data_key_readable_by_others");
  EXPECT_NE(store.error().message.find("chmod 600"), std::string::npos);
}

TEST(DataKey, ASealedValueOpensOnlyInItsOwnContextAndWhole) {
  const DataKey key = DataKey::generate();
  const std::vector<std::uint8_t> value = {1, 2, 3, 4, 5};
  auto sealed = key.seal(value, "templates/P1");
  EXPECT_NE(key.seal(value, "templates/P1"), sealed) << "a fresh nonce each time";
  EXPECT_EQ(*key.open(sealed, "templates/P1"), value);
  EXPECT_EQ(key.open(sealed, "templates/P2").error().code, "sealed_value_damaged");
  auto flipped = sealed;
  flipped[30] ^= 1;
  EXPECT_EQ(key.open(flipped, "templates/P1").error().code, "sealed_value_damaged");
  auto cut = sealed;
  cut.resize(cut.size() - 1);
  EXPECT_FALSE(key.open(cut, "templates/P1").ok());
  EXPECT_EQ(DataKey::generate().open(sealed, "templates/P1").error().code, "data_key_mismatch");
  EXPECT_FALSE(key.open({'C', 'G', 'K', '1'}, "templates/P1").ok());
}

TEST(DataKey, AFileThatIsNotAKeyIsRefused) {
  const fs::path file = scratchDir("data-key-not-a-key") / "data.key";
  std::ofstream(file) << "not a key\n";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  auto key = DataKey::load(file);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, "bad_data_key");
}

}  // namespace
}  // namespace consentguard::testing
