// The service and the data key: the first start makes the key (mode 0600) and says to keep a
// copy; a start with the wrong key, or with the key missing, stops with the reason in the log
// (EX_CONFIG) before a single photo is checked.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "check/check_fixture.h"
#include "consentguard/register/data_key.h"
#include "service/server_process.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

using namespace std::chrono_literals;

std::string fileText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Waits (up to 30 s) for `text` in the log.
std::string waitForLog(const fs::path& log, const std::string& text) {
  std::string seen;
  for (int i = 0; i < 300 && seen.find(text) == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    seen = fileText(log);
  }
  return seen;
}

class DataKeyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratchDir("data-key-service-" +
                      std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::ofstream(dir_ / "consentguard.properties") << "service.workers = 1\n";
  }
  fs::path dir_;
};

TEST_F(DataKeyServiceTest, TheFirstStartMakesTheKeyReadableByTheServiceOnly) {
  const fs::path data = dir_ / "data";
  ServerProcess server(dir_ / "consentguard.properties", data, dir_ / "serve.log", freePort());
  const std::string log = waitForLog(dir_ / "serve.log", "sealed with data key");
  EXPECT_NE(log.find("Made the data key"), std::string::npos) << log;
  EXPECT_NE(log.find("keep a copy of it"), std::string::npos) << log;
  const fs::path key = data / "keys" / "data.key";
  struct stat info {};
  ASSERT_EQ(::stat(key.c_str(), &info), 0) << log;
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(server.kill(SIGTERM), 0);
}

TEST_F(DataKeyServiceTest, TheWrongKeyStopsTheServiceAtStartWithTheReason) {
  CG_REQUIRE_SHARED_TESTDATA();
  const fs::path data = dir_ / "data";
  installEnrolledRegister(data / "consentguard.db");
  // The key file replaced by another key: the templates must not be read as garbage.
  const fs::path key = data / "keys" / "data.key";
  ASSERT_TRUE(reg::DataKey::generate().save(key, true).ok());
  ServerProcess server(dir_ / "consentguard.properties", data, dir_ / "serve.log", freePort());
  const std::string log = waitForLog(dir_ / "serve.log", "is not the key");
  EXPECT_NE(log.find("The data key file " + key.string() + " is not the key this register"),
            std::string::npos)
      << log;
  EXPECT_EQ(server.kill(SIGTERM), 78) << "EX_CONFIG";
}

TEST_F(DataKeyServiceTest, AMissingKeyStopsTheServiceAtStartWithTheReason) {
  CG_REQUIRE_SHARED_TESTDATA();
  const fs::path data = dir_ / "data";
  installEnrolledRegister(data / "consentguard.db");
  fs::remove(data / "keys" / "data.key");
  ServerProcess server(dir_ / "consentguard.properties", data, dir_ / "serve.log", freePort());
  const std::string log = waitForLog(dir_ / "serve.log", "is missing");
  EXPECT_NE(log.find("cannot be read without it"), std::string::npos) << log;
  EXPECT_EQ(server.kill(SIGTERM), 78) << "EX_CONFIG";
  EXPECT_FALSE(fs::exists(data / "keys" / "data.key")) << "no new key is made for a register "
                                                          "that has one";
}

TEST_F(DataKeyServiceTest, TheCommandsMakeCheckAndRotateTheKey) {
  const fs::path data = dir_ / "data";
  const std::string config =
      " --config " + shellQuoted(dir_ / "consentguard.properties") + " --data " + shellQuoted(data);
  const ProgramRun made = runConsentguard("keys data-key" + config);
  ASSERT_EQ(made.status, 0) << made.out;
  EXPECT_NE(made.out.find("Made the data key " + (data / "keys" / "data.key").string()),
            std::string::npos)
      << made.out;
  const ProgramRun checked = runConsentguard("keys data-key" + config);
  ASSERT_EQ(checked.status, 0) << checked.out;
  EXPECT_NE(checked.out.find("opens the register"), std::string::npos) << checked.out;

  const std::string db = " --db " + shellQuoted(data / "consentguard.db");
  ASSERT_EQ(runConsentguard("register import" + db + " " +
                            shellQuoted(fs::path(CG_SOURCE_DIR) / "config/register-example.csv"))
                .status,
            0);
  const std::string before = fileText(data / "keys" / "data.key");
  const ProgramRun rotated = runConsentguard("keys rotate-data-key" + db);
  ASSERT_EQ(rotated.status, 0) << rotated.out;
  EXPECT_NE(rotated.out.find("now sealed with data key"), std::string::npos) << rotated.out;
  EXPECT_NE(fileText(data / "keys" / "data.key"), before);
  const ProgramRun trail = runConsentguard("audit list" + db);
  EXPECT_NE(trail.out.find("data_key_rotated"), std::string::npos) << trail.out;
  EXPECT_EQ(runConsentguard("keys data-key" + config).status, 0) << "the new key opens it";
}

}  // namespace
}  // namespace consentguard::testing
