// Rule 4: a register person's full name is found in captions, file names and metadata text,
// whatever the case, punctuation or order; a first name alone is allowed.
#include "consentguard/policy/full_names.h"

#include <gtest/gtest.h>

namespace consentguard::policy {
namespace {

const FullNameFinder& finder() {
  static const FullNameFinder f({{"P1", "Amy", "", "Farrah Fowler"},
                                 {"P2", "Bernadette", "Bernie", "Rostenkowski"},
                                 {"P3", "Raj", "", "Koothrappali"},
                                 {"P4", "Zoë", "", "Núñez"}});
  return f;
}

std::vector<std::string> idsIn(const std::string& text) {
  std::vector<std::string> ids;
  for (const auto& hit : finder().find(text)) ids.push_back(hit.person_id);
  return ids;
}

TEST(FullNames, FoundInAnyCasePunctuationAndOrder) {
  for (const char* text :
       {"Well done Amy Farrah Fowler!", "AMY FARRAH FOWLER", "amy_farrah_fowler.jpg",
        "FARRAH FOWLER, Amy", "amy-farrah-fowler-sports-day.png", "AmyFarrahFowler.jpg",
        "Amy\nFarrah  Fowler"}) {
    EXPECT_EQ(idsIn(text), std::vector<std::string>{"P1"}) << text;
  }
}

TEST(FullNames, PreferredNameCountsToo) {
  EXPECT_EQ(idsIn("Bernie Rostenkowski wins the cup"), std::vector<std::string>{"P2"});
  EXPECT_EQ(idsIn("Rostenkowski, Bernadette"), std::vector<std::string>{"P2"});
}

TEST(FullNames, FirstNamesAloneAndPartsOfWordsAreAllowed) {
  EXPECT_TRUE(idsIn("Well done Amy and Raj!").empty());
  EXPECT_TRUE(idsIn("Fowler Street trip").empty());
  EXPECT_TRUE(idsIn("Amy Fowler").empty()) << "family name is Farrah Fowler";
  EXPECT_TRUE(idsIn("").empty());
}

TEST(FullNames, SeveralPeopleAreEachReportedOnce) {
  auto hits = idsIn("Raj Koothrappali and Amy Farrah Fowler; again Raj Koothrappali");
  std::sort(hits.begin(), hits.end());
  EXPECT_EQ(hits, (std::vector<std::string>{"P1", "P3"}));
}

TEST(FullNames, NonAsciiNamesMatchAsWritten) {
  EXPECT_EQ(idsIn("Zoë Núñez at the fair"), std::vector<std::string>{"P4"});
  EXPECT_EQ(idsIn("zoë núñez"), std::vector<std::string>{"P4"});
}

}  // namespace
}  // namespace consentguard::policy
