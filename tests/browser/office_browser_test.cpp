// "My photos" in a real browser (issue 22): an office user sends three photos at once (one that
// is published, one held for a senior leader, one refused), sees what became of each with its
// reasons, and downloads the cleaned copy of the published one. tests/browser/office.mjs drives
// Chromium; this test prepares the service and the photos (the published one a JPEG that says
// where it was taken), and checks the downloaded copy afterwards. Screenshots go to
// <build>/browser-screenshots/office/.
#include <opencv2/imgcodecs.hpp>

#include "browser/browser_fixture.h"
#include "consentguard/image/metadata.h"
#include "consentguard/image/sanitiser.h"

namespace consentguard::testing {
namespace {

class OfficeBrowserTest : public BrowserServiceTest {};

std::vector<std::uint8_t> bytesOf(const fs::path& file) {
  const std::string text = fileText(file);
  return std::vector<std::uint8_t>(text.begin(), text.end());
}

TEST(OfficeBrowserSetup, TheScriptIsValidJavaScript) {
  if (std::system("command -v node >/dev/null 2>&1") != 0) {
    if (runningInCi()) FAIL() << "CI=true but node is not installed";
    GTEST_SKIP() << "SKIPPED: node is not installed";
  }
  EXPECT_EQ(runEchoed("node --check " + shellQuoted(browserDir() / "office.mjs")), 0);
}

TEST_F(OfficeBrowserTest, AnOfficeUserSendsThreePhotosSeesEachOutcomeAndDownloadsTheCleanCopy) {
  CG_REQUIRE_SHARED_TESTDATA();
  CG_REQUIRE_BROWSER();
  if (std::system("command -v exiftool >/dev/null 2>&1") != 0) {
    if (runningInCi()) FAIL() << "CI=true but exiftool is not installed";
    GTEST_SKIP() << "SKIPPED: exiftool (libimage-exiftool-perl) is needed to make the GPS photo";
  }
  makeDataFolder("browser-office");
  createUser("office.anna", "office", "office-password-for-tests-2");
  makeApiKey("website");
  auto server = startService("policy.device_check = false\nservice.workers = 1\n");
  ASSERT_FALSE(HasFailure());

  // Amy (consent for the website) as a JPEG that says where it was taken; Penny (no biometric
  // consent: unknown, held); Howard (on the no-photo list: refused).
  const fs::path published = dir_ / "sports-day.jpg";
  ASSERT_TRUE(cv::imwrite(published.string(), cv::imread(probePhoto("amy").string()),
                          {cv::IMWRITE_JPEG_QUALITY, 92}));
  ASSERT_EQ(runEchoed("exiftool -q -overwrite_original -GPSLatitude=51.5014 -GPSLatitudeRef=N "
                      "-GPSLongitude=0.1419 -GPSLongitudeRef=W " +
                      shellQuoted(published)),
            0);
  auto before = image::readMetadata(bytesOf(published));
  ASSERT_TRUE(before.ok() && before->has_gps) << "the photo sent says where it was taken";
  const fs::path held = dir_ / "playground.png", refused = dir_ / "assembly.png";
  fs::copy_file(probePhoto("penny"), held);
  fs::copy_file(probePhoto("howard"), refused);

  const fs::path shots = screenshotDir() / "office", downloads = dir_ / "downloads";
  fs::remove_all(shots);
  const int status = runScript(
      "office.mjs", {{"CG_BASE_URL", "https://127.0.0.1:" + std::to_string(port_)},
                     {"NODE_EXTRA_CA_CERTS", (data_ / "tls" / "consentguard.crt").string()},
                     {"CG_API_KEY", key_},
                     {"CG_OFFICE_USER", "office.anna"},
                     {"CG_OFFICE_PASSWORD", "office-password-for-tests-2"},
                     {"CG_PHOTO_PUBLISHED", published.string()},
                     {"CG_PHOTO_HELD", held.string()},
                     {"CG_PHOTO_REFUSED", refused.string()},
                     {"CG_DOWNLOADS", downloads.string()},
                     {"CG_SCREENSHOTS", shots.string()},
                     {"CG_CHROMIUM", chromiumPath()}});
  ASSERT_EQ(status, 0) << "office.mjs failed (its steps are above; screenshots in " << shots
                       << "; the service's log: " << dir_ / "serve.log" << ")";

  // What the browser saved is the published copy: a JPEG, upright, with nothing hidden in it.
  const fs::path saved = downloads / "sports-day.jpg";
  ASSERT_TRUE(fs::exists(saved)) << "the download was saved under the photo's own name";
  const auto bytes = bytesOf(saved);
  ASSERT_GE(bytes.size(), 3u);
  EXPECT_TRUE(bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) << "a JPEG";
  auto after = image::readMetadata(bytes);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_FALSE(after->has_gps) << "no GPS in the cleaned copy";
  EXPECT_TRUE(image::verifyClean(bytes).ok());
  const auto outbox = filesStartingWith(data_ / "outbox" / "website", "sports-day");
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(fileText(outbox[0]), fileText(saved));
  EXPECT_EQ(server->kill(SIGTERM), 0);
}

}  // namespace
}  // namespace consentguard::testing
