// `consentguard sanitize IN OUT`, run as a member of staff would: exit status, message, and a
// cleaned file that the reader finds clean.
#include <array>
#include <cstdio>
#include <fstream>

#include "consentguard/image/image_loader.h"
#include "consentguard/image/metadata.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

ProgramRun sanitize(const std::string& arguments) {
  return runConsentguard("sanitize " + arguments + " 2>/dev/null");
}

std::string quoted(const fs::path& path) { return shellQuoted(path); }

TEST(SanitizeCli, WritesACleanCopyOfGpsJpg) {
  CG_REQUIRE_SHARED_TESTDATA();
  const fs::path out = scratchDir("sanitize-cli") / "clean.jpg";
  const ProgramRun r = sanitize(quoted(testdata("metadata/GPS.jpg")) + " " + quoted(out));
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("Cleaned copy written"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("EXIF"), std::string::npos) << r.out;  // says what it removed
  auto bytes = image::readFileBytes(out);
  ASSERT_TRUE(bytes.ok());
  auto metadata = image::readMetadata(*bytes);
  ASSERT_TRUE(metadata.ok());
  EXPECT_TRUE(metadata->blocks.empty());
  EXPECT_FALSE(metadata->has_gps);
  // No temporary file is left beside it.
  int files = 0;
  for (const auto& entry : fs::directory_iterator(out.parent_path())) files += entry.exists();
  EXPECT_EQ(files, 1);
}

TEST(SanitizeCli, AnExistingOutputIsLeftAloneUnlessOverwriteIsGiven) {
  CG_REQUIRE_SHARED_TESTDATA();
  const fs::path out = scratchDir("sanitize-cli-exists") / "clean.jpg";
  std::ofstream(out) << "keep me";
  const std::string in = quoted(testdata("metadata/Canon.jpg"));
  const ProgramRun refused = sanitize(in + " " + quoted(out));
  EXPECT_EQ(refused.status, 64);
  EXPECT_NE(refused.out.find("already exists"), std::string::npos) << refused.out;
  EXPECT_EQ(fs::file_size(out), 7u);

  const ProgramRun replaced = sanitize("--overwrite " + in + " " + quoted(out));
  EXPECT_EQ(replaced.status, 0) << replaced.out;
  auto bytes = image::readFileBytes(out);
  ASSERT_TRUE(bytes.ok());
  EXPECT_TRUE(image::readMetadata(*bytes).ok());
}

TEST(SanitizeCli, ATextFileIsRefusedWithExit3AndAPlainMessage) {
  const fs::path dir = scratchDir("sanitize-cli-text");
  const fs::path in = dir / "notes.jpg";
  std::ofstream(in) << "this is not a photo";
  const ProgramRun r = sanitize(quoted(in) + " " + quoted(dir / "out.jpg"));
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.out.find("not a photo Consent Guard can read"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "out.jpg"));
}

TEST(SanitizeCli, WrongArgumentsAreUsageErrors) {
  EXPECT_EQ(sanitize("").status, 64);
  EXPECT_EQ(sanitize("only-one.jpg").status, 64);
  EXPECT_EQ(sanitize("a.jpg b.jpg c.jpg").status, 64);
}

}  // namespace
}  // namespace consentguard::testing
