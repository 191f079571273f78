// Devices and API keys in the browser, against the real service: only the admin opens /devices;
// a key made there is shown once and works; a device registered from a held photo checks that
// photo again.
#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

class DevicesPagesTest : public ReviewServiceTest {
 protected:
  std::string configText() override {
    return "policy.device_check = true\nfolders.scan_seconds = 0.2\n";
  }
  static std::string between(const std::string& text, const std::string& from,
                             const std::string& to) {
    const size_t start = text.find(from);
    if (start == std::string::npos) return "";
    const size_t begin = start + from.size();
    return text.substr(begin, text.find(to, begin) - begin);
  }
  std::vector<std::string> reasonCodes(const std::string& id) {
    std::vector<std::string> codes;
    auto job = jobOf(id);
    if (!job) return codes;
    for (const std::string code : {"unregistered_device", "no_faces"}) {
      if (job->result_json.find("\"" + code + "\"") != std::string::npos) codes.push_back(code);
    }
    return codes;
  }
};

TEST_F(DevicesPagesTest, AnAdminMakesAKeyThatIsShownOnceAndWorks) {
  for (const std::string name : {"olive.office", "sam.slt", "dee.dsl"}) {
    Browser b(port_);
    ASSERT_EQ(b.signIn(name, kPassword).status, 303);
    EXPECT_EQ(b.get("/devices").status, 403) << name;
  }
  Browser admin(port_);
  ASSERT_EQ(admin.signIn("ada.admin", kPassword).status, 303);
  const Page page = admin.get("/devices");
  ASSERT_EQ(page.status, 200);
  const std::string csrf = Browser::csrfIn(page.body);
  EXPECT_EQ(admin.post("/devices/key", {{"csrf", csrf}, {"name", "no channels"}}).status, 400);
  const Page made =
      admin.post("/devices/key", {{"csrf", csrf}, {"name", "New CMS"}, {"channel", "website"}});
  ASSERT_EQ(made.status, 200) << made.body;
  const std::string key = between(made.body, "<code id=\"key\">", "</code>");
  ASSERT_EQ(key.size(), 64u) << made.body;
  EXPECT_EQ(admin.get("/devices").body.find(key), std::string::npos) << "shown once";
  Browser cms(port_);
  cms.headers["Authorization"] = "Bearer " + key;
  EXPECT_EQ(cms.get("/api/v1/takedowns?channel=website").status, 200);
  EXPECT_EQ(cms.get("/api/v1/takedowns?channel=newsletter").status, 403);
}

TEST_F(DevicesPagesTest, ADeviceRegisteredFromAHeldPhotoChecksItAgain) {
  // Canon.jpg shows no face and comes from a camera the school has not registered.
  const std::string id =
      submitAndWait(*image::readFileBytes(testdata("metadata/Canon.jpg")), "canon.jpg");
  ASSERT_EQ(verdictOf(id), "review");
  ASSERT_EQ(reasonCodes(id), (std::vector<std::string>{"unregistered_device", "no_faces"}));
  Browser slt(port_);
  ASSERT_EQ(slt.signIn("sam.slt", kPassword).status, 303);
  const Page page = slt.get("/review/" + id);
  ASSERT_NE(page.body.find("id=\"device\""), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Canon"), std::string::npos);
  const Page registered = slt.post("/review/" + id + "/device", {{"csrf", Browser::csrfIn(page.body)}});
  EXPECT_EQ(registered.status, 303) << registered.body;
  waitUntilChecked(id);
  EXPECT_EQ(reasonCodes(id), std::vector<std::string>{"no_faces"})
      << "checked again: only the missing face holds it now";

  // The admin sees the device, and removes it.
  Browser admin(port_);
  ASSERT_EQ(admin.signIn("ada.admin", kPassword).status, 303);
  Page devices = admin.get("/devices");
  EXPECT_NE(devices.body.find("registered from a held photo"), std::string::npos) << devices.body;
  const std::string deviceId = between(devices.body, "class=\"device\" data-id=\"", "\"");
  ASSERT_FALSE(deviceId.empty());
  const Page removed = admin.post("/devices/remove",
                                  {{"csrf", Browser::csrfIn(devices.body)}, {"id", deviceId}});
  EXPECT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(removed.body.find("registered from a held photo"), std::string::npos);
  const Page added = admin.post("/devices/add", {{"csrf", Browser::csrfIn(devices.body)},
                                                 {"make", "Apple"},
                                                 {"model", "iPad (9th generation)"},
                                                 {"description", "Year 3 iPad"}});
  EXPECT_NE(added.body.find("Year 3 iPad"), std::string::npos);
}

}  // namespace
}  // namespace consentguard::testing
