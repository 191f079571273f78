// Two small pieces the pages stand on (issue 22): a set of roles, parsed and worded, and times
// shown in the school's time zone (service.time_zone), not UTC.
#include <gtest/gtest.h>

#include <cstdlib>

#include "consentguard/common/local_time.h"
#include "consentguard/service/roles.h"

namespace consentguard::testing {
namespace {

using service::Role;
using service::Roles;

TEST(Roles, ParseWordAndAllow) {
  auto head = Roles::parse("admin, slt,dsl");
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->names(), "slt,dsl,admin");
  EXPECT_EQ(head->words(), "Senior leader, DSL, Administrator");
  EXPECT_TRUE(service::canReview(*head));
  EXPECT_TRUE(service::canSeeIncidents(*head));
  EXPECT_TRUE(service::canManageAccounts(*head));
  EXPECT_FALSE(service::canManageAccounts(Role::kDsl));
  EXPECT_FALSE(service::canReview(Role::kOffice));
  EXPECT_FALSE(Roles::parse("").has_value());
  EXPECT_FALSE(Roles::parse("slt,teacher").has_value()) << "an unknown role is refused whole";
  EXPECT_FALSE(service::canReview(Roles{})) << "no roles allow nothing";
}

class LocalTime : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* tz = std::getenv("TZ")) saved_ = tz;
  }
  void TearDown() override {
    if (saved_.empty()) {
      unsetenv("TZ");
    } else {
      setenv("TZ", saved_.c_str(), 1);
    }
    tzset();
  }
  std::string saved_;
};

TEST_F(LocalTime, TimesAreShownInTheSchoolsTimeZoneInWords) {
  ASSERT_TRUE(useTimeZone("Europe/London").ok());
  // Winter: London is on UTC; summer: an hour ahead.
  EXPECT_EQ(localTimeWords("2026-12-04T09:15:00Z"), "Fri 4 Dec 2026, 09:15");
  EXPECT_EQ(localTimeWords("2026-07-01T09:15:30.123Z"), "Wed 1 Jul 2026, 10:15");
  EXPECT_EQ(localTimeWords("2026-07-01 23:30:00"), "Thu 2 Jul 2026, 00:30");
  ASSERT_TRUE(useTimeZone("UTC").ok());
  EXPECT_EQ(localTimeWords("2026-07-01T09:15:30Z"), "Wed 1 Jul 2026, 09:15");
  EXPECT_EQ(localTimeWords("not a time"), "not a time");
  EXPECT_EQ(localTimeWords(""), "");
}

TEST_F(LocalTime, AnUnknownZoneIsRefusedWithWhatToDo) {
  for (const std::string bad : {"Europe/Atlantis", "../../etc/passwd", "", "/etc/localtime"}) {
    const Status s = useTimeZone(bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().code, "bad_time_zone");
    EXPECT_NE(s.error().message.find("Europe/London"), std::string::npos);
  }
}

}  // namespace
}  // namespace consentguard::testing
