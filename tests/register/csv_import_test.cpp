// Importing the register from the MIS as CSV: a good file, re-import, and bad files that are
// rejected whole with every bad line named.
#include "consentguard/register/csv_import.h"

#include "consentguard/register/csv_reader.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

const std::string kHeader =
    "id,role,given_name,family_name,no_photo,consent_website,consent_newsletter,"
    "consent_social_media,biometric_consent,preferred_name,year_group,consent_expires,left_on\n";

class CsvImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = reg::RegisterStore::open(
        scratchDir(std::string("csv-") +
                   ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
        "register.db");
    ASSERT_TRUE(store.ok());
    store_ = std::move(store.value());
    options_.today = "2026-11-23";
  }
  Result<reg::ImportReport> import(const std::string& text) {
    return reg::importRegisterCsv(*store_, text, options_);
  }
  std::unique_ptr<reg::RegisterStore> store_;
  reg::ImportOptions options_;
};

TEST_F(CsvImportTest, AGoodFileWithBomQuotesAndCrlfIsImported) {
  const std::string text =
      "\xEF\xBB\xBF" +
      std::string(
          "id,role,given_name,family_name,no_photo,consent_website,"
          "consent_newsletter,consent_social_media,biometric_consent,"
          "preferred_name,year_group,consent_expires\r\n") +
      "P1,pupil,Amy,Fowler,no,yes,Yes,no,yes,,6,2027-07-31\r\n"
      "P2,pupil,\"Mary \"\"May\"\"\",\"O'Brien, Smith\",yes,no,no,no,no,May,5,\r\n"
      "\r\n"
      "S1,staff,Zoë,Núñez,no,yes,yes,yes,no,,,\r\n";
  auto report = import(text);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->added, 3);
  auto p2 = store_->findPerson("P2");
  ASSERT_TRUE(p2.ok() && p2->has_value());
  EXPECT_EQ((*p2)->given_name, "Mary \"May\"");
  EXPECT_EQ((*p2)->family_name, "O'Brien, Smith");
  EXPECT_TRUE((*p2)->no_photo);
  EXPECT_EQ((*p2)->preferred_name, "May");
  auto amy = store_->consent("P1", "website");
  ASSERT_TRUE(amy.ok() && amy->has_value());
  EXPECT_EQ((*amy)->expires_on, "2027-07-31");
  EXPECT_TRUE((*amy)->allowsOn("2026-11-23"));
  EXPECT_FALSE((*store_->consent("P1", "social_media"))->allowsOn("2026-11-23"));
  EXPECT_EQ((*store_->findPerson("P1"))->biometric, reg::Biometric::kGiven);
  EXPECT_EQ((*store_->findPerson("S1"))->role, reg::Role::kStaff);
  EXPECT_EQ((*store_->findPerson("S1"))->given_name, "Zoë");
}

TEST_F(CsvImportTest, ReimportingUpdatesAndWithdrawsAtOnce) {
  ASSERT_TRUE(import(kHeader + "P1,pupil,Amy,Fowler,no,yes,yes,yes,yes,,6,,\n").ok());
  ASSERT_TRUE(store_->addTemplate("P1", std::vector<float>(128, 0.1f), "amy1.png", "ssd-hogfit-1").ok());

  auto report = import(kHeader + "P1,pupil,Amy,Fowler-Cooper,no,no,yes,yes,no,,7,,\n");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->added, 0);
  EXPECT_EQ(report->updated, 1);
  EXPECT_EQ(report->consents_withdrawn, 1);
  EXPECT_EQ(report->templates_deleted, 1);
  auto amy = *store_->findPerson("P1");
  EXPECT_EQ(amy->family_name, "Fowler-Cooper");
  EXPECT_EQ(amy->biometric, reg::Biometric::kWithdrawn);
  EXPECT_EQ(*store_->templateCount("P1"), 0);
  auto website = *store_->consent("P1", "website");
  EXPECT_EQ(website->status, reg::ConsentStatus::kWithdrawn);
  EXPECT_EQ(website->withdrawn_on, "2026-11-23");
}

TEST_F(CsvImportTest, APreviewSaysWhatWouldChangeAndChangesNothing) {
  ASSERT_TRUE(import(kHeader + "P1,pupil,Amy,Fowler,no,yes,yes,yes,yes,,6,,\n"
                               "P2,pupil,Raj,Koothrappali,no,yes,no,no,no,,6,,\n"
                               "P3,pupil,Bernadette,Rostenkowski,no,no,no,no,no,,6,,\n")
                  .ok());
  ASSERT_TRUE(store_->addTemplate("P1", std::vector<float>(128, 0.1f), "amy1.png", "ssd-hogfit-1").ok());
  const std::string next = kHeader +
                           "P1,pupil,Amy,Fowler,no,no,yes,yes,no,,7,,\n"      // withdraws
                           "P2,pupil,Raj,Koothrappali,yes,yes,no,no,no,,6,,\n"  // no-photo
                           "P3,pupil,Bernadette,Rostenkowski,no,no,no,no,no,,6,,\n"
                           "P4,pupil,Leonard,Hofstadter,no,no,yes,no,no,,5,,\n";
  auto preview = reg::previewRegisterCsv(*store_, next, options_);
  ASSERT_TRUE(preview.ok()) << preview.error().message;
  EXPECT_EQ(preview->added, 1);
  EXPECT_EQ(preview->updated, 2);   // Amy and Raj change
  EXPECT_EQ(preview->unchanged, 1);  // Bernadette is as she was
  EXPECT_EQ(preview->consents_withdrawn, 1);
  ASSERT_EQ(preview->people.size(), 3u);  // P3 is unchanged, so not listed
  const auto& amy = preview->people[0];
  EXPECT_EQ(amy.id, "P1");
  EXPECT_FALSE(amy.added);
  using Words = std::vector<std::string>;
  EXPECT_EQ(amy.changes, Words{"year group 6 to 7"});
  EXPECT_EQ(amy.withdrawals, (Words{"consent for website withdrawn",
                                    "biometric consent withdrawn (1 face template(s) deleted)"}));
  EXPECT_EQ(preview->people[1].withdrawals, Words{"put on the no-photo list"});
  EXPECT_TRUE(preview->people[2].added);
  EXPECT_EQ(preview->people[2].name, "Leonard Hofstadter");
  EXPECT_EQ(preview->people[2].changes, Words{"consent for newsletter given"});

  // Nothing changed: Amy keeps her consent and template; nobody new is in the register.
  EXPECT_TRUE((*store_->consent("P1", "website"))->allowsOn("2026-11-23"));
  EXPECT_EQ(*store_->templateCount("P1"), 1);
  EXPECT_EQ((*store_->findPerson("P1"))->year_group, "6");
  EXPECT_FALSE((*store_->findPerson("P2"))->no_photo);
  EXPECT_FALSE(store_->findPerson("P4")->has_value());
  // And the real import then does what the preview said.
  auto report = import(next);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->people.size(), 3u);
  EXPECT_EQ(report->added, preview->added);
  EXPECT_EQ(report->updated, preview->updated);
  EXPECT_EQ(report->unchanged, preview->unchanged);
  // Importing the same file again changes nobody, and says so (issue 22: the preview said
  // "0 changed" and the import then "5 updated").
  auto again = import(next);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 4);
  EXPECT_EQ(*store_->templateCount("P1"), 0);
}

TEST_F(CsvImportTest, AnImportNeverOverturnsAPupilsOwnObjection) {
  ASSERT_TRUE(import(kHeader + "P1,pupil,Amy,Fowler,no,yes,yes,yes,no,,6,,\n").ok());
  ASSERT_TRUE(store_->setBiometric("P1", reg::Biometric::kObjected, "2026-11-01").ok());
  ASSERT_TRUE(import(kHeader + "P1,pupil,Amy,Fowler,no,yes,yes,yes,yes,,6,,\n").ok());
  EXPECT_EQ((*store_->findPerson("P1"))->biometric, reg::Biometric::kObjected);
}

TEST_F(CsvImportTest, EveryBadLineIsNamedAndNothingIsImported) {
  const std::string text = kHeader +
                           "P1,pupil,Amy,Fowler,no,yes,yes,yes,yes,,6,,\n"  // line 2: good
                           "P2,teacher,Bob,Smith,no,yes,yes,yes,no,,6,,\n"  // line 3: role
                           "P3,pupil,Cat,Jones,no,maybe,yes,yes,no,,6,,\n"  // line 4: yes/no
                           "P4,pupil,Dan,Brown,no,yes,yes,yes,no,,6,31/07/2027,\n"  // line 5: date
                           "P1,pupil,Eve,Green,no,yes,yes,yes,no,,6,,\n"            // line 6: dup
                           "P6,pupil,Fay\n"                                         // line 7: short
                           ",pupil,,White,no,yes,yes,yes,no,,6,,2027-02-30\n";      // line 8
  auto report = import(text);
  ASSERT_FALSE(report.ok());
  const std::string& m = report.error().message;
  EXPECT_EQ(report.error().code, "bad_csv");
  for (const char* expected :
       {"Line 3: role must be pupil or staff", "Line 4: consent_website must be yes or no",
        "Line 5: consent_expires must be a date", "Line 6: the id 'P1' was already used on line 2",
        "Line 7: it has 3 fields", "Line 8: the id is empty", "Line 8: given_name is empty",
        "Line 8: left_on must be a date"}) {
    EXPECT_NE(m.find(expected), std::string::npos) << "missing '" << expected << "' in:\n" << m;
  }
  EXPECT_EQ(m.find("Line 2"), std::string::npos);
  EXPECT_TRUE(store_->people()->empty()) << "a rejected file must change nothing";
}

TEST_F(CsvImportTest, AMissingColumnOrAMisspeltConsentColumnRejectsTheFile) {
  auto missing = import(
      "id,role,given_name,family_name,no_photo,consent_website,"
      "consent_newsletter,biometric_consent\nP1,pupil,A,B,no,yes,yes,no\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("'consent_social_media' is missing"), std::string::npos);

  auto misspelt = import(
      "id,role,given_name,family_name,no_photo,consent_website,consent_newsletter,"
      "consent_social_media,biometric_consent,consent_expiry\nP1,pupil,A,B,no,yes,yes,no,no,"
      "2027-01-01\n");
  ASSERT_FALSE(misspelt.ok());
  EXPECT_NE(misspelt.error().message.find("consent_expiry"), std::string::npos);
  EXPECT_TRUE(store_->people()->empty());
}

TEST_F(CsvImportTest, ColumnsTheRegisterDoesNotKeepAreIgnoredAndReported) {
  auto report = import(
      "id,role,given_name,family_name,date_of_birth,no_photo,consent_website,consent_newsletter,"
      "consent_social_media,biometric_consent\nP1,pupil,A,B,2015-01-01,no,yes,yes,no,no\n");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->ignored_columns, std::vector<std::string>{"date_of_birth"});
}

TEST_F(CsvImportTest, BrokenFilesGetClearErrors) {
  struct Case {
    std::string text, expected;
  };
  const std::vector<Case> cases = {
      {"", "empty"},
      {kHeader + "P1,pupil,\"Amy,Fowler,no,yes,yes,yes,yes,,6,,\n",
       "Line 2: a quoted field is never closed"},
      {kHeader + "P1,pupil,Amy\"x\",Fowler,no,yes,yes,yes,yes,,6,,\n", "Line 2: a double quote"},
      {kHeader + "P1,pupil,\"Amy\"x,Fowler,no,yes,yes,yes,yes,,6,,\n",
       "Line 2: there is text after"},
      {kHeader + "P1,pupil,Am\xff,Fowler,no,yes,yes,yes,yes,,6,,\n",
       "Line 2: the text is not in UTF-8"},
      {kHeader + "P1,pupil," + std::string(500, 'A') + ",F,no,yes,yes,yes,yes,,6,,\n",
       "longer than"},
      {std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "not in UTF-8"},
  };
  for (const auto& c : cases) {
    auto report = import(c.text);
    ASSERT_FALSE(report.ok()) << c.expected;
    EXPECT_EQ(report.error().code, "bad_csv");
    EXPECT_NE(report.error().message.find(c.expected), std::string::npos)
        << "expected '" << c.expected << "' in: " << report.error().message;
  }
  EXPECT_TRUE(store_->people()->empty());
}

TEST_F(CsvImportTest, AHugeFileIsRefusedBeforeItIsParsed) {
  options_.max_bytes = 1024;
  auto report = import(kHeader + std::string(2048, '\n'));
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message.find("too large"), std::string::npos);
}

TEST(CsvReader, QuotedLineBreaksKeepLineNumbersTrue) {
  auto records = reg::readCsv("a,b\n\"x\ny\",z\nlast,row\n");
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[1].fields[0], "x\ny");
  EXPECT_EQ((*records)[1].line, 2);
  EXPECT_EQ((*records)[2].line, 4);
}

}  // namespace
}  // namespace consentguard::testing
