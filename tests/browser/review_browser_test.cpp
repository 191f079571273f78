// The review pages in a real browser: `consentguard serve` runs as its own process with the
// enrolled test register, a senior leader's and an office user's accounts and four held photos;
// tests/browser/review.mjs then drives Debian's headless Chromium through the pages (with
// playwright-core from tests/browser/node_modules) and this test checks what the decisions left
// in the data folder: the approved photo published and clean, the rejected one in rejected/ with
// the reason, the redacted copy published without the unknown face, the office user's attempt
// without effect. Screenshots go to <build>/browser-screenshots/.
//
// Without ../shared/testdata, Chromium or tests/browser/node_modules the tests skip with a
// message, and fail under CI=true (scripts/setup installs both).
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <tuple>

#include "browser/browser_fixture.h"
#include "consentguard/image/sanitiser.h"

namespace consentguard::testing {
namespace {

// Two face crops side by side on a grey card, each scaled to the same height: a photo of two
// children, one of whom the register cannot recognise.
void writeComposite(const fs::path& left, const fs::path& right, const fs::path& out) {
  std::vector<cv::Mat> parts;
  for (const auto& path : {left, right}) {
    cv::Mat image = cv::imread(path.string(), cv::IMREAD_COLOR);
    ASSERT_FALSE(image.empty()) << path;
    cv::Mat scaled;
    cv::resize(image, scaled, cv::Size(image.cols * 320 / image.rows, 320), 0, 0, cv::INTER_AREA);
    cv::copyMakeBorder(scaled, scaled, 40, 40, 40, 40, cv::BORDER_CONSTANT,
                       cv::Scalar(128, 128, 128));
    parts.push_back(scaled);
  }
  cv::Mat both;
  cv::hconcat(parts, both);
  ASSERT_TRUE(cv::imwrite(out.string(), both));
}

// A 1920 x 1080 photo on a plain backdrop: Amy close to the camera, and Howard (on the no-photo
// list) 48 px across at the back, too small to be named but near enough to protect.
void writeAssembly(const fs::path& out) {
  cv::Mat photo;
  cv::cvtColor(plainBackdrop(), photo, cv::COLOR_RGB2BGR);
  for (const auto& [crop, facePx, at] : {std::tuple{probePhoto("amy"), 220, cv::Point(300, 200)},
                                         std::tuple{probePhoto("howard"), 48, cv::Point(1400, 300)}}) {
    const cv::Mat image = cv::imread(crop.string(), cv::IMREAD_COLOR);
    ASSERT_FALSE(image.empty()) << crop;
    cv::Mat scaled;
    const double scale = facePx / (0.7 * image.cols);
    cv::resize(image, scaled, cv::Size(), scale, scale, cv::INTER_AREA);
    scaled.copyTo(photo(cv::Rect(at, scaled.size())));
  }
  ASSERT_TRUE(cv::imwrite(out.string(), photo, {cv::IMWRITE_JPEG_QUALITY, 92}));
}

class ReviewBrowserTest : public BrowserServiceTest {};

TEST(BrowserSetup, TheScriptsAreValidJavaScript) {
  if (std::system("command -v node >/dev/null 2>&1") != 0) {
    if (runningInCi()) FAIL() << "CI=true but node is not installed";
    GTEST_SKIP() << "SKIPPED: node is not installed";
  }
  for (const char* script :
       {"browser_steps.mjs", "review.mjs", "register.mjs", "incidents.mjs", "smoke.mjs"}) {
    EXPECT_EQ(runEchoed("node --check " + shellQuoted(browserDir() / script)), 0) << script;
  }
}

TEST(BrowserSetup, ChromiumRunsHeadless) {
  CG_REQUIRE_BROWSER();
  EXPECT_EQ(runEchoed("cd " + shellQuoted(browserDir()) + " && node smoke.mjs"), 0)
      << "playwright-core could not drive " << chromiumPath();
}

TEST_F(ReviewBrowserTest, ASeniorLeaderDecidesHeldPhotosAndOfficeStaffCannot) {
  CG_REQUIRE_SHARED_TESTDATA();
  CG_REQUIRE_BROWSER();
  dir_ = scratchDir("browser-review");
  data_ = dir_ / "data";
  fs::create_directories(data_);
  installEnrolledRegister(data_ / "consentguard.db");
  const fs::path db = data_ / "consentguard.db";

  createUser("mrs.head", "slt", "slt-password-for-tests-1");
  createUser("office.anna", "office", "office-password-for-tests-2");
  const ProgramRun key = runConsentguard("keys create --db " + shellQuoted(db) +
                                         " --name browser-test --channels website,newsletter");
  ASSERT_EQ(key.status, 0) << key.out;
  key_ = key.out.substr(0, key.out.find_last_not_of(" \n") + 1);  // the key is the last line
  key_ = key_.substr(key_.find_last_of('\n') + 1);

  // The blurred bystander behind Leonard and Sheldon in bbt2.jpg is possibly Raj (a likely
  // match), whose consent expired: renewed for the newsletter, the group photo is only held.
  const ProgramRun renewed = runConsentguard("register consent --db " + shellQuoted(db) +
                                             " --person P006 --channel newsletter --grant");
  ASSERT_EQ(renewed.status, 0) << renewed.out;

  // The newsletter lets a senior leader allow a photo with more than one child.
  const fs::path config = dir_ / "consentguard.properties";
  std::ofstream(config) << "policy.device_check = false\n"
                           "policy.channel.newsletter.slt_may_override = true\n"
                           "service.workers = 1\nfolders.scan_seconds = 0.2\n";
  port_ = freePort();
  ServerProcess server(config, data_, dir_ / "serve.log", port_);
  ASSERT_TRUE(trustServiceCertificate(data_)) << "the service made no certificate";
  for (int i = 0; i < 600 && send("GET", "/api/v1/health").status != 200; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(send("GET", "/api/v1/health").status, 200) << fileText(dir_ / "serve.log");

  // Four held photos: a group (too many children, the newsletter allows an override), Amy beside
  // Penny (whose face is unknown: no biometric consent), and two more with Penny alone or beside
  // staff (Stuart) on the website.
  writeComposite(probePhoto("amy"), probePhoto("penny"), dir_ / "amy-penny.png");
  writeComposite(probePhoto("stuart"), testdata("identities/penny/penny3.png"),
                 dir_ / "stuart-penny.png");
  const std::string approveId =
      submit(testdata("groups/bbt2.jpg"), "newsletter", "science-fair.jpg");
  const std::string redactId = submit(dir_ / "amy-penny.png", "newsletter", "reading-corner.png");
  const std::string rejectId = submit(dir_ / "stuart-penny.png", "website", "art-club.png");
  const std::string officeId = submit(probePhoto("penny"), "website", "playground.png");
  // Penny alone again, for a senior leader to identify by typing her name.
  const std::string identifyId =
      submit(testdata("identities/penny/penny2.png"), "newsletter", "library.png");
  for (const auto& id : {approveId, redactId, rejectId, officeId, identifyId}) {
    ASSERT_EQ(verdictOf(id), "review") << "photo " << id << " must be held for the test";
  }
  // And one blocked for a no-photo pupil too small to name, which a covered copy can save.
  writeAssembly(dir_ / "assembly.jpg");
  const std::string blockedId = submit(dir_ / "assembly.jpg", "website", "assembly.jpg");
  ASSERT_EQ(verdictOf(blockedId), "block");
  ASSERT_TRUE(send("GET", "/api/v1/photos/" + blockedId).json()->getValue<bool>("coverable"));
  // The same assembly as a PNG (other bytes, the same faces): a senior leader dismisses it.
  cv::imwrite((dir_ / "assembly-2.png").string(), cv::imread((dir_ / "assembly.jpg").string()));
  const std::string dismissId = submit(dir_ / "assembly-2.png", "website", "assembly-2.png");
  ASSERT_EQ(verdictOf(dismissId), "block");
  const auto blockedNote = waitForFiles(data_ / "rejected", "assembly.jpg.txt");
  ASSERT_EQ(blockedNote.size(), 1u);
  EXPECT_NE(fileText(blockedNote[0]).find(policy::coveredCopySentence()), std::string::npos)
      << "the note beside the blocked photo says what the review page offers: "
      << fileText(blockedNote[0]);

  fs::remove_all(screenshotDir());
  const std::string reason = "Taken at a private party, not a school event";
  const std::vector<std::pair<const char*, std::string>> env = {
      {"CG_BASE_URL", "https://127.0.0.1:" + std::to_string(port_)},
      // Node's fetch trusts the service's own certificate, and only it.
      {"NODE_EXTRA_CA_CERTS", (data_ / "tls" / "consentguard.crt").string()},
      {"CG_API_KEY", key_},
      {"CG_SLT_USER", "mrs.head"},
      {"CG_SLT_PASSWORD", "slt-password-for-tests-1"},
      {"CG_OFFICE_USER", "office.anna"},
      {"CG_OFFICE_PASSWORD", "office-password-for-tests-2"},
      {"CG_PHOTO_APPROVE", approveId},
      {"CG_PHOTO_REDACT", redactId},
      {"CG_PHOTO_REJECT", rejectId},
      {"CG_PHOTO_OFFICE", officeId},
      {"CG_PHOTO_BLOCKED", blockedId},
      {"CG_PHOTO_IDENTIFY", identifyId},
      {"CG_PHOTO_DISMISS", dismissId},
      {"CG_IDENTIFY_NAME", "Penny"},
      {"CG_IDENTIFY_PERSON", "P005"},
      {"CG_COVERED_COPY_SENTENCE", policy::coveredCopySentence()},
      {"CG_REJECT_REASON", reason},
      {"CG_SCREENSHOTS", screenshotDir().string()},
      {"CG_CHROMIUM", chromiumPath()}};
  for (const auto& [name, value] : env) setenv(name, value.c_str(), 1);
  const int status = runEchoed("cd " + shellQuoted(browserDir()) + " && node review.mjs");
  for (const auto& [name, value] : env) unsetenv(name);
  ASSERT_EQ(status, 0) << "review.mjs failed (its steps are above; screenshots in "
                       << screenshotDir() << "; the service's log: " << dir_ / "serve.log"
                       << ")";

  // What the decisions did, seen from the data folder.
  const auto approved = waitForFiles(data_ / "outbox" / "newsletter", "science-fair");
  ASSERT_EQ(approved.size(), 1u) << "the approved photo is published on the newsletter";
  const std::string approvedBytes = fileText(approved[0]);
  EXPECT_TRUE(
      image::verifyClean(std::vector<std::uint8_t>(approvedBytes.begin(), approvedBytes.end()))
          .ok());

  const auto rejected = waitForFiles(data_ / "rejected", "art-club");
  ASSERT_FALSE(rejected.empty()) << "the rejected photo is in rejected/";
  bool reasonRecorded = false;
  for (const auto& file : rejected) {
    if (file.extension() == ".txt")
      reasonRecorded |= fileText(file).find(reason) != std::string::npos;
  }
  EXPECT_TRUE(reasonRecorded) << "the reason typed in the browser is in the rejected photo's .txt";

  const auto redacted = waitForFiles(data_ / "outbox" / "newsletter", "reading-corner");
  ASSERT_EQ(redacted.size(), 1u) << "the redacted copy is published on the newsletter";
  const std::string redactedBytes = fileText(redacted[0]);
  EXPECT_TRUE(
      image::verifyClean(std::vector<std::uint8_t>(redactedBytes.begin(), redactedBytes.end()))
          .ok());
  const cv::Mat redactedRgb = loadRgb(redacted[0]);
  const auto faces = checkEngine().analyse(redactedRgb);
  ASSERT_EQ(faces.size(), 1u) << "only Amy's face is left in the redacted copy";
  EXPECT_LT(faces[0].box.x + faces[0].box.width / 2, redactedRgb.cols / 2)
      << "the face left is Amy's, on the left; Penny's, on the right, is covered";

  // The blocked photo: its covered copy is published, with Howard's face gone, and the
  // original has left rejected/: one outcome, under its own name.
  const auto covered = waitForFiles(data_ / "outbox" / "website", "assembly.");
  ASSERT_EQ(covered.size(), 1u) << "the covered copy of the blocked photo is published";
  const cv::Mat coveredRgb = loadRgb(covered[0]);
  const auto left = checkEngine().analyse(coveredRgb);
  ASSERT_EQ(left.size(), 1u) << "only Amy's face is left in the covered copy";
  EXPECT_LT(left[0].box.x, coveredRgb.cols / 2) << "the face left is Amy's, on the left";
  EXPECT_TRUE(filesStartingWith(data_ / "rejected", "assembly.").empty());
  EXPECT_EQ(verdictOf(blockedId), "publish");
  // The dismissed one stays blocked, in rejected/, and nothing of it is published.
  EXPECT_EQ(verdictOf(dismissId), "block");
  EXPECT_FALSE(filesStartingWith(data_ / "rejected", "assembly-2").empty());
  EXPECT_TRUE(filesStartingWith(data_ / "outbox" / "website", "assembly-2").empty());
  // The face typed as Penny is recorded as hers, by the senior leader.
  {
    auto database = reg::openRegisterDatabase(db);
    ASSERT_TRUE(database.ok());
    auto stmt = (*database)->prepare(
        "SELECT person_id || ' ' || identified_by FROM identified_faces WHERE job_id = ?");
    ASSERT_TRUE(stmt.ok());
    auto rows = stmt->bind({identifyId}).collect([](const reg::Statement& r) {
      return r.text(0);
    });
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ(*rows, std::vector<std::string>{"P005 user:mrs.head"});
  }

  for (const std::string stem : {"science-fair", "reading-corner", "art-club"}) {
    EXPECT_TRUE(filesStartingWith(data_ / "held", stem).empty()) << stem << " left held/";
  }
  EXPECT_FALSE(filesStartingWith(data_ / "held", "playground").empty())
      << "the photo the office user tried to approve is still held";
  EXPECT_EQ(verdictOf(officeId), "review");
  EXPECT_EQ(send("GET", "/api/v1/photos/" + officeId + "/published").status, 409);
  EXPECT_TRUE(filesStartingWith(data_ / "outbox" / "website", "playground").empty());
  EXPECT_EQ(server.kill(SIGTERM), 0);
}

TEST_F(ReviewBrowserTest, AnAdminWithdrawsConsentAndTheOfficeTakesThePhotoDown) {
  CG_REQUIRE_SHARED_TESTDATA();
  CG_REQUIRE_BROWSER();
  dir_ = scratchDir("browser-register");
  data_ = dir_ / "data";
  fs::create_directories(data_);
  installEnrolledRegister(data_ / "consentguard.db");
  const fs::path db = data_ / "consentguard.db";
  createUser("ada.admin", "admin", "admin-password-for-tests-1");
  createUser("office.anna", "office", "office-password-for-tests-2");
  createUser("sam.slt", "slt", "slt-password-for-tests-3");
  const ProgramRun key =
      runConsentguard("keys create --db " + shellQuoted(db) + " --name browser-test --channels website");
  ASSERT_EQ(key.status, 0) << key.out;
  key_ = key.out.substr(0, key.out.find_last_not_of(" \n") + 1);
  key_ = key_.substr(key_.find_last_of('\n') + 1);
  const fs::path config = dir_ / "consentguard.properties";
  std::ofstream(config) << "policy.device_check = false\nservice.workers = 1\n";
  port_ = freePort();
  ServerProcess server(config, data_, dir_ / "serve.log", port_);
  ASSERT_TRUE(trustServiceCertificate(data_)) << "the service made no certificate";
  for (int i = 0; i < 600 && send("GET", "/api/v1/health").status != 200; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  // Amy (consent for the website) is published there.
  const std::string published = submit(probePhoto("amy"), "website", "sports-day.png");
  ASSERT_EQ(verdictOf(published), "publish");
  ASSERT_EQ(send("GET", "/api/v1/photos/" + published + "/published").status, 200);

  const std::vector<std::pair<const char*, std::string>> env = {
      {"CG_BASE_URL", "https://127.0.0.1:" + std::to_string(port_)},
      // Node's fetch trusts the service's own certificate, and only it.
      {"NODE_EXTRA_CA_CERTS", (data_ / "tls" / "consentguard.crt").string()},
      {"CG_ADMIN_USER", "ada.admin"},
      {"CG_ADMIN_PASSWORD", "admin-password-for-tests-1"},
      {"CG_OFFICE_USER", "office.anna"},
      {"CG_OFFICE_PASSWORD", "office-password-for-tests-2"},
      {"CG_SLT_USER", "sam.slt"},
      {"CG_SLT_NEW_PASSWORD", "a-new-password-for-sam"},
      {"CG_PUPIL_SEARCH", "fowler"},
      {"CG_PUPIL_ID", "P001"},
      {"CG_PHOTO_PUBLISHED", published},
      {"CG_SCREENSHOTS", screenshotDir().string()},
      {"CG_CHROMIUM", chromiumPath()}};
  for (const auto& [name, value] : env) setenv(name, value.c_str(), 1);
  const int status = runEchoed("cd " + shellQuoted(browserDir()) + " && node register.mjs");
  for (const auto& [name, value] : env) unsetenv(name);
  ASSERT_EQ(status, 0) << "register.mjs failed (its steps are above; the service's log: "
                       << dir_ / "serve.log" << ")";

  // The CMS sees it gone, and the takedown done; the audit trail has both.
  EXPECT_EQ(send("GET", "/api/v1/photos/" + published + "/published").status, 410);
  const Reply takedowns = send("GET", "/api/v1/takedowns");
  ASSERT_EQ(takedowns.status, 200);
  EXPECT_EQ(takedowns.json()->getArray("takedowns")->size(), 0u);
  auto database = reg::openRegisterDatabase(db);
  ASSERT_TRUE(database.ok());
  auto stmt = (*database)->prepare("SELECT actor || ' ' || action FROM audit_log WHERE action IN "
                                   "('consent_changed', 'takedown_raised', 'takedown_done') "
                                   "AND at > '2026' ORDER BY seq DESC LIMIT 3");
  ASSERT_TRUE(stmt.ok());
  auto actions = stmt->collect([](const reg::Statement& r) { return r.text(0); });
  ASSERT_TRUE(actions.ok());
  EXPECT_EQ(*actions, (std::vector<std::string>{"user:office.anna takedown_done",
                                                "service takedown_raised",
                                                "user:ada.admin consent_changed"}));
  // The published copy left the outbox when the takedown was raised, and its copy was deleted
  // from the server when the takedown was marked done.
  EXPECT_TRUE(filesStartingWith(data_ / "outbox" / "website", "sports-day").empty());
  EXPECT_TRUE(filesStartingWith(data_ / "taken-down" / "website", "sports-day").empty());
  // The admin gave sam.slt the DSL role too, and reset the password.
  auto roles = (*database)->prepare(
      "SELECT group_concat(role, ',') FROM (SELECT r.role FROM user_roles r JOIN users u ON "
      "u.id = r.user_id WHERE u.name = 'sam.slt' ORDER BY r.role)");
  ASSERT_TRUE(roles.ok());
  ASSERT_TRUE(roles->step().ok());
  EXPECT_EQ(roles->text(0), "dsl,slt");
  auto resets = (*database)->prepare(
      "SELECT count(*) FROM audit_log WHERE action = 'password_changed' AND actor = "
      "'user:ada.admin' AND subject = 'sam.slt'");
  ASSERT_TRUE(resets.ok());
  ASSERT_TRUE(resets->step().ok());
  EXPECT_EQ(resets->integer(0), 1);
  // The refused register file changed nothing.
  auto imports = (*database)->prepare(
      "SELECT (SELECT count(*) FROM audit_log WHERE action = 'register_imported' AND actor = "
      "'user:ada.admin'), (SELECT count(*) FROM people WHERE id = 'P099'), (SELECT count(*) "
      "FROM consent WHERE person_id = 'P002' AND status = 'granted')");
  ASSERT_TRUE(imports.ok());
  ASSERT_TRUE(imports->step().ok());
  EXPECT_EQ(imports->integer(0), 0);
  EXPECT_EQ(imports->integer(1), 0);
  EXPECT_EQ(imports->integer(2), 3);
  EXPECT_EQ(server.kill(SIGTERM), 0);
}

}  // namespace
}  // namespace consentguard::testing
