// `consentguard serve` run as a school runs it: the real program in its own process, photos
// dropped into the inbox folders, outcomes read from outbox/, held/ and rejected/. Then the
// hard cases: a file still being copied, SIGTERM, and SIGKILL in the middle of the work.

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "check/check_fixture.h"
#include "consentguard/image/sanitiser.h"
#include "consentguard/queue/job_queue.h"
#include "service/server_process.h"

namespace consentguard::testing {
namespace {

using namespace std::chrono_literals;

std::string readText(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Copies a file into an inbox the way a careful tool does: under a temporary name, then renamed.
void drop(const fs::path& source, const fs::path& inbox, const std::string& name) {
  fs::copy_file(source, inbox / ("." + name + ".part"));
  fs::rename(inbox / ("." + name + ".part"), inbox / name);
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CG_REQUIRE_SHARED_TESTDATA();
    dir_ = scratchDir(std::string("service-") +
                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    data_ = dir_ / "data";
    fs::create_directories(data_);
    installEnrolledRegister(data_ / "consentguard.db");
    config_ = dir_ / "consentguard.properties";
    // The identity crops carry no camera details, so this school has the device check off.
    std::ofstream(config_) << "policy.device_check = false\nfolders.settle_seconds = " << settle_
                           << "\nfolders.scan_seconds = 0.2\nservice.workers = 2\n";
  }

  std::unique_ptr<ServerProcess> start() {
    auto server = std::make_unique<ServerProcess>(config_, data_, dir_ / "serve.log");
    // The inbox folders exist once the service is up.
    waitFor([&] { return fs::is_directory(data_ / "inbox" / "website"); }, 60s);
    return server;
  }

  int jobsDone() {
    auto queue = queue::JobQueue::open(data_ / "consentguard.db", data_ / "store");
    if (!queue) return -1;
    auto done = (*queue)->count(queue::JobState::kDone);
    return done ? *done : -1;
  }

  bool waitFor(const std::function<bool()>& condition, std::chrono::seconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (condition()) return true;
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "timed out; the service's log:\n" << readText(dir_ / "serve.log");
    return false;
  }

  // Every file (not .txt) in outbox/, held/ and rejected/, relative to the data folder.
  std::multiset<std::string> outcomes() {
    std::multiset<std::string> files;
    for (const char* folder : {"outbox", "held", "rejected"}) {
      for (const auto& e : fs::recursive_directory_iterator(data_ / folder)) {
        if (e.is_regular_file() && e.path().extension() != ".txt") {
          files.insert(fs::relative(e.path(), data_).string());
        }
      }
    }
    return files;
  }

  fs::path dir_, data_, config_;
  double settle_ = 0.5;
};

TEST_F(ServiceTest, EachPhotoInTheInboxReachesItsOutcome) {
  auto server = start();
  fs::create_directories(data_ / "held");
  std::ofstream(data_ / "held" / "penny5.png") << "an earlier file with the same name";
  const fs::path website = data_ / "inbox" / "website";
  drop(probePhoto("amy"), website, "amy5.png");                     // consent: published
  drop(probePhoto("penny"), website, "penny5.png");                 // not enrolled: held for SLT
  drop(probePhoto("howard"), website, "howard5.png");               // no-photo list: rejected
  std::ofstream(website / "minutes.docx") << "Governors' minutes";  // not a photo: rejected
  ASSERT_TRUE(waitFor([&] { return jobsDone() == 4; }, 120s));

  EXPECT_EQ(
      outcomes(),
      (std::multiset<std::string>{
          "outbox/website/amy5.png", "held/penny5.png",
          "held/penny5-" +
              queue::jobIdFor("website", *image::readFileBytes(probePhoto("penny"))).substr(0, 8) +
              ".png",
          "rejected/howard5.png", "rejected/minutes.docx"}));
  EXPECT_EQ(readText(data_ / "held" / "penny5.png"), "an earlier file with the same name");
  EXPECT_TRUE(image::verifyClean(*image::readFileBytes(data_ / "outbox/website/amy5.png")).ok());
  EXPECT_FALSE(fs::exists(data_ / "outbox/website/amy5.png.txt"));
  const std::string howard = readText(data_ / "rejected/howard5.png.txt");
  EXPECT_NE(howard.find("must not be published"), std::string::npos) << howard;
  EXPECT_NE(howard.find("no-photo list"), std::string::npos) << howard;
  EXPECT_NE(howard.find("What to do next"), std::string::npos) << howard;
  const std::string minutes = readText(data_ / "rejected/minutes.docx.txt");
  EXPECT_NE(minutes.find("not a photo"), std::string::npos) << minutes;
  EXPECT_TRUE(fs::is_empty(website));
  EXPECT_EQ(server->kill(SIGTERM), 0);
}

TEST_F(ServiceTest, AHeldPhotoIsCheckedAgainWhenConsentIsWithdrawn) {
  // With the device check on, Amy's photo (no camera details) is held for SLT.
  std::ofstream(config_, std::ios::app) << "policy.device_check = true\n";
  auto server = start();
  drop(probePhoto("amy"), data_ / "inbox" / "website", "amy5.png");
  ASSERT_TRUE(waitFor([&] { return jobsDone() == 1; }, 120s));
  ASSERT_TRUE(fs::exists(data_ / "held" / "amy5.png"));

  // Her parent withdraws website consent while the photo waits for a senior leader.
  const ProgramRun withdrawn =
      runConsentguard("register consent --db " + shellQuoted(data_ / "consentguard.db") +
                      " --person P001 --channel website --withdraw");
  ASSERT_EQ(withdrawn.status, 0) << withdrawn.out;
  EXPECT_NE(withdrawn.out.find("1 held photo(s)"), std::string::npos) << withdrawn.out;
  ASSERT_TRUE(waitFor([&] { return fs::exists(data_ / "rejected" / "amy5.png.txt"); }, 120s));
  EXPECT_EQ(outcomes(), std::multiset<std::string>{"rejected/amy5.png"});
  EXPECT_FALSE(fs::exists(data_ / "held" / "amy5.png.txt"));
  std::ifstream txt(data_ / "rejected" / "amy5.png.txt");
  const std::string text((std::istreambuf_iterator<char>(txt)), {});
  EXPECT_NE(text.find("without current consent"), std::string::npos) << text;
  EXPECT_EQ(server->kill(SIGTERM), 0);
}

TEST_F(ServiceTest, AFileStillBeingCopiedIsNotTaken) {
  settle_ = 2;
  SetUp();
  auto server = start();
  const auto bytes = *image::readFileBytes(testdata("groups/bbt1.jpg"));
  const fs::path slow = data_ / "inbox" / "website" / "slow.jpg";
  {
    std::ofstream out(slow, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<long>(bytes.size() / 2));
  }
  std::this_thread::sleep_for(1s);  // five scans, but less than the settle time
  EXPECT_TRUE(fs::exists(slow));
  EXPECT_TRUE(fs::is_empty(data_ / "store"));
  {
    std::ofstream out(slow, std::ios::binary | std::ios::app);
    out.write(reinterpret_cast<const char*>(bytes.data() + bytes.size() / 2),
              static_cast<long>(bytes.size() - bytes.size() / 2));
  }
  ASSERT_TRUE(waitFor([&] { return jobsDone() == 1; }, 120s));
  // Taken whole: the rejected original is the complete photo, blocked for who is in it.
  EXPECT_EQ(*image::readFileBytes(data_ / "rejected" / "slow.jpg"), bytes);
  EXPECT_NE(readText(data_ / "rejected" / "slow.jpg.txt").find("no-photo list"), std::string::npos);
}

TEST_F(ServiceTest, KilledAtAnyMomentEveryPhotoReachesExactlyOneOutcome) {
  const std::vector<std::pair<fs::path, std::string>> photos = {
      {probePhoto("amy"), "website"},           {probePhoto("bernadette"), "website"},
      {probePhoto("sheldon"), "website"},       {probePhoto("leonard"), "newsletter"},
      {probePhoto("penny"), "website"},         {probePhoto("howard"), "website"},
      {testdata("groups/bbt1.jpg"), "website"}, {testdata("groups/bbt2.jpg"), "newsletter"}};
  for (const auto& [photo, channel] : photos) {
    fs::create_directories(data_ / "inbox" / channel);
    drop(photo, data_ / "inbox" / channel, photo.filename().string());
  }
  // Killed three times while photos are being taken and checked, then left to finish.
  for (auto delay : {1500ms, 2500ms, 3500ms}) {
    auto server = start();
    std::this_thread::sleep_for(delay);
    EXPECT_EQ(server->kill(SIGKILL), -SIGKILL);
  }
  auto server = start();
  ASSERT_TRUE(waitFor([&] { return jobsDone() == static_cast<int>(photos.size()); }, 300s));
  EXPECT_EQ(server->kill(SIGTERM), 0);

  const auto files = outcomes();
  EXPECT_EQ(files.size(), photos.size()) << "a photo was lost or written twice";
  std::set<std::string> names;
  for (const auto& file : files) names.insert(fs::path(file).filename().string());
  for (const auto& [photo, channel] : photos) {
    EXPECT_EQ(names.count(photo.filename().string()), 1u) << photo.filename();
  }
  for (const auto& [photo, channel] : photos) {
    EXPECT_TRUE(fs::is_empty(data_ / "inbox" / channel));
  }
  EXPECT_TRUE(fs::exists(data_ / "outbox/website/amy5.png"));
  EXPECT_TRUE(fs::exists(data_ / "outbox/newsletter/leonard5.png"));
}

}  // namespace
}  // namespace consentguard::testing
