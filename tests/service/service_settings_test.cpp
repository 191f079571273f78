// The service's settings: the shipped file equals the built-in defaults, the command line wins,
// and mistakes are errors that name the setting.
#include "consentguard/service/service_settings.h"

#include <fstream>

#include "support/test_support.h"

namespace consentguard::testing {
namespace {

TEST(ServiceSettings, TheShippedFileEqualsTheBuiltInDefaults) {
  auto settings = service::loadServiceSettings(
      {fs::path(CG_SOURCE_DIR) / "config" / "consentguard.properties", {}, {}});
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  const service::ServiceSettings defaults;
  EXPECT_EQ(settings->folders.root, defaults.folders.root);
  EXPECT_EQ(settings->workers, defaults.workers);
  EXPECT_DOUBLE_EQ(settings->settle_seconds, defaults.settle_seconds);
  EXPECT_DOUBLE_EQ(settings->scan_seconds, defaults.scan_seconds);
}

TEST(ServiceSettings, TheCommandLineWins) {
  auto settings = service::loadServiceSettings(
      {fs::path(CG_SOURCE_DIR) / "config" / "consentguard.properties", "/srv/photos", {}});
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->folders.root, "/srv/photos");
  EXPECT_EQ(settings->folders.database(), "/srv/photos/consentguard.db");
  EXPECT_EQ(settings->folders.inbox("website"), "/srv/photos/inbox/website");
}

TEST(ServiceSettings, MistakesNameTheSetting) {
  const fs::path file = scratchDir("service-settings") / "cg.properties";
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"service.workers = 0\n", "service.workers"},
           {"service.worker = 3\n", "service.worker"},
           {"folders.settle_seconds = 0\n", "folders.settle_seconds"},
           {"folders.scan_seconds = often\n", "not a number"}}) {
    std::ofstream(file) << text;
    auto settings = service::loadServiceSettings({file, {}, {}});
    ASSERT_FALSE(settings.ok()) << text;
    EXPECT_EQ(settings.error().code, "bad_config");
    EXPECT_NE(settings.error().message.find(expected), std::string::npos)
        << settings.error().message;
  }
}

}  // namespace
}  // namespace consentguard::testing
