// The rules, one at a time, from facts to verdict: no images or database needed here (the
// photo_check tests run the same rules on real photos).
#include "consentguard/policy/policy.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_support.h"

namespace consentguard::policy {
namespace {

namespace fs = std::filesystem;

FaceFacts pupil(const std::string& id, bool consent, bool noPhoto = false) {
  FaceFacts f;
  f.identity = Identity::kPerson;
  f.person_id = id;
  f.standing.consent_current = consent;
  f.standing.no_photo = noPhoto;
  return f;
}

FaceFacts staff(const std::string& id, bool consent) {
  FaceFacts f = pupil(id, consent);
  f.standing.is_staff = true;
  return f;
}

FaceFacts unidentified(Identity identity) {
  FaceFacts f;
  f.identity = identity;
  return f;
}

PhotoFacts photo(std::vector<FaceFacts> faces) {
  PhotoFacts facts;
  facts.channel = "website";
  facts.faces = std::move(faces);
  facts.device = {"Canon", "Canon EOS 40D", "", true};
  return facts;
}

const FullNameFinder kNames({{"P1", "Amy", "", "Fowler"}});

std::vector<std::string> codes(const Decision& d) {
  std::vector<std::string> out;
  for (const auto& r : d.reasons) out.push_back(r.code);
  return out;
}

TEST(Policy, OneConsentedPupilPublishes) {
  const Decision d = decide({}, photo({pupil("P1", true)}), kNames);
  EXPECT_EQ(d.verdict, Verdict::kPublish);
  EXPECT_TRUE(d.reasons.empty());
  EXPECT_EQ(d.faces[0].status, "consented");
}

TEST(Policy, TheNoPhotoListBlocksWhateverElseHolds) {
  const Decision d = decide({}, photo({pupil("P1", true, /*noPhoto=*/true)}), kNames);
  EXPECT_EQ(d.verdict, Verdict::kBlock);
  EXPECT_EQ(codes(d), std::vector<std::string>{"no_photo"});
  EXPECT_EQ(d.reasons[0].people, std::vector<std::string>{"P1"});
  EXPECT_EQ(d.faces[0].status, "no_photo");
}

TEST(Policy, NoCurrentConsentBlocks) {
  const Decision d = decide({}, photo({pupil("P1", false)}), kNames);
  EXPECT_EQ(d.verdict, Verdict::kBlock);
  EXPECT_EQ(codes(d), std::vector<std::string>{"no_consent"});
  EXPECT_NE(d.reasons[0].message.find("website"), std::string::npos);
}

TEST(Policy, TooManyChildrenBlocksUnlessTheChannelLetsSltDecide) {
  PolicyConfig config;
  const PhotoFacts two = photo({pupil("P1", true), pupil("P2", true)});
  Decision d = decide(config, two, kNames);
  EXPECT_EQ(d.verdict, Verdict::kBlock);
  EXPECT_EQ(codes(d), std::vector<std::string>{"too_many_children"});

  config.channels[0].slt_may_override = true;
  d = decide(config, two, kNames);
  EXPECT_EQ(d.verdict, Verdict::kReview);
  EXPECT_EQ(codes(d), std::vector<std::string>{"too_many_children"});

  config.channels[0].max_children = 2;
  EXPECT_EQ(decide(config, two, kNames).verdict, Verdict::kPublish);
}

TEST(Policy, StaffWithConsentAreNotChildrenButAnUnknownFaceIs) {
  Decision d = decide({}, photo({pupil("P1", true), staff("S1", true)}), kNames);
  EXPECT_EQ(d.verdict, Verdict::kPublish);
  EXPECT_EQ(d.faces[1].status, "staff");

  d = decide({}, photo({pupil("P1", true), unidentified(Identity::kUnknown)}), kNames);
  EXPECT_EQ(d.verdict, Verdict::kBlock);
  EXPECT_EQ(codes(d), (std::vector<std::string>{"too_many_children", "unknown_face"}));
}

TEST(Policy, StaffWithoutConsentBlock) {
  const Decision d = decide({}, photo({staff("S1", false)}), kNames);
  EXPECT_EQ(d.verdict, Verdict::kBlock);
  EXPECT_EQ(codes(d), std::vector<std::string>{"no_consent"});
}

TEST(Policy, AFaceThatCannotBeIdentifiedGoesToAPerson) {
  for (Identity identity : {Identity::kUnknown, Identity::kAmbiguous, Identity::kTooSmall}) {
    const Decision d = decide({}, photo({unidentified(identity)}), kNames);
    EXPECT_EQ(d.verdict, Verdict::kReview);
    EXPECT_EQ(codes(d), std::vector<std::string>{"unknown_face"});
  }
}

TEST(Policy, ALikelyMatchWithAPupilWhoMustNotAppearBlocksAndIsMarkedLikely) {
  FaceFacts likely = pupil("P2", false, /*noPhoto=*/true);
  likely.identity = Identity::kLikely;
  Decision d = decide({}, photo({likely}), kNames);
  EXPECT_EQ(d.verdict, Verdict::kBlock);
  EXPECT_EQ(codes(d), std::vector<std::string>{"no_photo"});
  EXPECT_EQ(d.faces[0].status, "no_photo");
  EXPECT_TRUE(d.faces[0].likely);
  EXPECT_NE(d.reasons[0].message.find("probably"), std::string::npos) << d.reasons[0].message;
  ASSERT_EQ(d.incidents.size(), 1u);
  EXPECT_EQ(d.incidents[0].person_id, "P2");
  EXPECT_EQ(d.incidents[0].evidence, "likely_match");
  EXPECT_TRUE(d.coverable);

  likely.standing.no_photo = false;  // a pupil without consent for the channel
  d = decide({}, photo({likely}), kNames);
  EXPECT_EQ(codes(d), std::vector<std::string>{"no_consent"});
  EXPECT_EQ(d.incidents.at(0).code, "no_consent");

  // A sure match is reported as one.
  d = decide({}, photo({pupil("P2", true, true)}), kNames);
  EXPECT_FALSE(d.faces[0].likely);
  EXPECT_EQ(d.incidents.at(0).evidence, "recognised");
  EXPECT_EQ(d.reasons[0].message.find("probably"), std::string::npos);
}

TEST(Policy, TwoFacesMatchedToOnePersonAreNeitherConsentNorStaff) {
  PolicyConfig config;
  config.channels[0].max_children = 3;
  Decision d = decide(config, photo({pupil("P1", true), pupil("P1", true)}), kNames);
  EXPECT_EQ(d.verdict, Verdict::kReview);
  EXPECT_EQ(codes(d), std::vector<std::string>{"same_person_twice"});
  EXPECT_EQ(d.faces[0].status, "same_person_twice");
  EXPECT_EQ(d.faces[1].status, "same_person_twice");
  // Each face is still a child in the count.
  config.channels[0].max_children = 1;
  EXPECT_EQ(codes(decide(config, photo({pupil("P1", true), pupil("P1", true)}), kNames)),
            (std::vector<std::string>{"too_many_children", "same_person_twice"}));
  // A staff member twice: one of the faces may be a child.
  config.channels[0].max_children = 3;
  d = decide(config, photo({staff("S1", true), staff("S1", true)}), kNames);
  EXPECT_EQ(d.verdict, Verdict::kReview);
  EXPECT_EQ(d.faces[0].status, "same_person_twice");
  // A pupil on the no-photo list twice still blocks: one of the faces is probably them.
  d = decide(config, photo({pupil("P3", true, true), pupil("P3", true, true)}), kNames);
  EXPECT_EQ(d.verdict, Verdict::kBlock);
  EXPECT_EQ(d.faces[1].status, "no_photo");
  // Two different consented pupils are not affected.
  config.channels[0].max_children = 2;
  EXPECT_EQ(decide(config, photo({pupil("P1", true), pupil("P2", true)}), kNames).verdict,
            Verdict::kPublish);
}

TEST(Policy, StaffFullNamesMayBePublishedUnlessTheSchoolSaysNot) {
  const FullNameFinder names({{"P1", "Amy", "", "Fowler"}, {"S1", "Howard", "", "Wolowitz"}});
  PhotoFacts facts = photo({staff("S1", true)});
  facts.texts = {{"the caption", "Mr Howard Wolowitz at the science fair", true}};
  facts.named["S1"] = {"Howard Wolowitz", /*is_staff=*/true, false, true};
  PolicyConfig config;
  EXPECT_EQ(decide(config, facts, names).verdict, Verdict::kPublish);
  config.staff_full_names = StaffNames::kBlock;
  const Decision d = decide(config, facts, names);
  EXPECT_EQ(codes(d), std::vector<std::string>{"full_name"});
  EXPECT_EQ(d.reasons[0].people, std::vector<std::string>{"S1"});
}

TEST(Policy, NamesInThePhotosOwnMetadataAreEvidenceNotPublication) {
  const FullNameFinder names({{"P1", "Amy", "", "Fowler"},
                              {"P2", "Raj", "", "Koothrappali"},
                              {"P3", "Penny", "", "Hofstadter"},
                              {"S1", "Howard", "", "Wolowitz"}});
  PhotoFacts facts = photo({pupil("P1", true)});
  facts.named["P1"] = {"Amy Fowler", false, false, true};
  facts.named["P2"] = {"Raj Koothrappali", false, /*no_photo=*/true, true};
  facts.named["P3"] = {"Penny Hofstadter", false, false, /*consent=*/false};
  facts.named["S1"] = {"Howard Wolowitz", true, false, false};
  // A consented pupil and a staff member named in the metadata: it is removed, so it publishes.
  facts.texts = {{"the photo's metadata (EXIF ImageDescription)", "Amy Fowler", false},
                 {"the photo's metadata (XMP dc:creator)", "Howard Wolowitz", false}};
  Decision d = decide({}, facts, names);
  EXPECT_EQ(d.verdict, Verdict::kPublish) << (d.reasons.empty() ? "" : d.reasons[0].message);
  ASSERT_EQ(d.metadata_names.size(), 2u);
  EXPECT_EQ(d.metadata_names[0].hit.name, "Amy Fowler");
  EXPECT_EQ(d.metadata_names[0].where, "the photo's metadata (EXIF ImageDescription)");
  EXPECT_TRUE(d.incidents.empty());

  // A no-photo pupil named there is in the photo, recognised or not.
  facts.texts.push_back({"the photo's metadata (XMP PersonInImage)", "Raj Koothrappali", false});
  d = decide({}, facts, names);
  EXPECT_EQ(d.verdict, Verdict::kBlock);
  EXPECT_EQ(codes(d), std::vector<std::string>{"no_photo"});
  EXPECT_NE(d.reasons[0].message.find("named"), std::string::npos) << d.reasons[0].message;
  ASSERT_EQ(d.incidents.size(), 1u);
  EXPECT_EQ(d.incidents[0].evidence, "named_in_metadata");
  // Covering faces cannot help: which face is theirs is not known.
  EXPECT_FALSE(d.coverable);

  // So is a pupil without consent for the channel.
  facts.texts.back() = {"the photo's metadata (IPTC Keywords)", "Penny Hofstadter", false};
  d = decide({}, facts, names);
  EXPECT_EQ(codes(d), std::vector<std::string>{"no_consent"});

  // Someone the register does not know (named but not looked up) is protected.
  facts.named.erase("P3");
  EXPECT_EQ(decide({}, facts, names).verdict, Verdict::kBlock);
}

TEST(Policy, OnlyABlockAboutFacesCanBeSavedByACoveredCopy) {
  EXPECT_TRUE(decide({}, photo({pupil("P1", true), pupil("P2", false)}), kNames).coverable);
  EXPECT_TRUE(decide({}, photo({pupil("P1", true), pupil("P2", true)}), kNames).coverable);
  EXPECT_FALSE(decide({}, photo({pupil("P1", true)}), kNames).coverable);  // publishes
  PhotoFacts named = photo({pupil("P1", false)});
  named.texts = {{"the caption", "Amy Fowler", true}};
  EXPECT_FALSE(decide({}, named, kNames).coverable);
  PhotoFacts unreadable = photo({});
  unreadable.readable = false;
  EXPECT_FALSE(decide({}, unreadable, kNames).coverable);
}

TEST(Policy, AFullNameInAnyTextBlocks) {
  PhotoFacts facts = photo({pupil("P1", true)});
  facts.texts = {{"the caption", "Sports day"}, {"the file name", "fowler_amy.jpg"}};
  Decision d = decide({}, facts, kNames);
  EXPECT_EQ(d.verdict, Verdict::kBlock);
  EXPECT_EQ(codes(d), std::vector<std::string>{"full_name"});
  EXPECT_NE(d.reasons[0].message.find("the file name"), std::string::npos);
  EXPECT_EQ(d.names_found.at(0).person_id, "P1");

  facts.texts = {{"the caption", "Well done Amy!"}};
  EXPECT_EQ(decide({}, facts, kNames).verdict, Verdict::kPublish);
}

TEST(Policy, AnUnregisteredDeviceIsHeldUnlessTheCheckIsOff) {
  PhotoFacts facts = photo({pupil("P1", true)});
  facts.device = {"Apple", "iPhone 15", "", false};
  PolicyConfig config;
  Decision d = decide(config, facts, kNames);
  EXPECT_EQ(d.verdict, Verdict::kReview);
  EXPECT_EQ(codes(d), std::vector<std::string>{"unregistered_device"});
  EXPECT_NE(d.reasons[0].message.find("iPhone 15"), std::string::npos);
  config.device_check = false;
  EXPECT_EQ(decide(config, facts, kNames).verdict, Verdict::kPublish);
}

TEST(Policy, NoFacesFollowsTheConfiguration) {
  PolicyConfig config;
  EXPECT_EQ(decide(config, photo({}), kNames).verdict, Verdict::kReview);
  config.no_faces = NoFacesAction::kPublish;
  EXPECT_EQ(decide(config, photo({}), kNames).verdict, Verdict::kPublish);
}

TEST(Policy, AnUnreadablePhotoBlocks) {
  PhotoFacts facts = photo({});
  facts.readable = false;
  facts.unreadable_message = "The photo file is damaged.";
  const Decision d = decide({}, facts, kNames);
  EXPECT_EQ(d.verdict, Verdict::kBlock);
  EXPECT_EQ(codes(d), std::vector<std::string>{"unreadable"});
  EXPECT_EQ(d.reasons[0].message, "The photo file is damaged.");
}

TEST(Policy, EveryReasonCarriesAPlainSentence) {
  PhotoFacts facts =
      photo({pupil("P1", true, true), pupil("P2", false), unidentified(Identity::kUnknown)});
  facts.texts = {{"the caption", "Amy Fowler"}};
  facts.device.registered = false;
  const Decision d = decide({}, facts, kNames);
  EXPECT_EQ(codes(d),
            (std::vector<std::string>{"no_photo", "no_consent", "too_many_children", "full_name",
                                      "unknown_face", "unregistered_device"}));
  for (const auto& r : d.reasons) {
    EXPECT_GT(r.message.size(), 30u) << r.code;
    EXPECT_EQ(r.message.back(), '.') << r.code;
  }
}

// The configuration file.
fs::path writeConfig(const std::string& name, const std::string& text) {
  const fs::path file =
      consentguard::testing::scratchDir("policy-config-" + name) / "cg.properties";
  std::ofstream(file) << text;
  return file;
}

TEST(PolicyConfigFile, TheShippedFileEqualsTheBuiltInDefaults) {
  auto config = loadPolicyConfig(fs::path(CG_SOURCE_DIR) / "config" / "consentguard.properties");
  ASSERT_TRUE(config.ok()) << config.error().message;
  const PolicyConfig defaults;
  EXPECT_EQ(config->channelNames(), defaults.channelNames());
  EXPECT_EQ(config->device_check, defaults.device_check);
  EXPECT_EQ(config->no_faces, defaults.no_faces);
  EXPECT_DOUBLE_EQ(config->match_threshold, defaults.match_threshold);
  EXPECT_DOUBLE_EQ(config->match_margin, defaults.match_margin);
  EXPECT_DOUBLE_EQ(config->protect_threshold, defaults.protect_threshold);
  EXPECT_EQ(config->staff_full_names, defaults.staff_full_names);
  EXPECT_EQ(config->template_max_age_months, defaults.template_max_age_months);
  for (const auto& c : config->channels) {
    EXPECT_EQ(c.max_children, 1);
    EXPECT_FALSE(c.slt_may_override);
  }
}

TEST(PolicyConfigFile, ChannelsAndTheirSettingsAreRead) {
  auto config = loadPolicyConfig(writeConfig("channels",
                                             "policy.channels = website, prospectus\n"
                                             "policy.channel.prospectus.max_children = 6\n"
                                             "policy.channel.prospectus.slt_may_override = yes\n"
                                             "policy.no_faces = publish\n"
                                             "server.port = 8080\n"));
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_NE(config->channel("prospectus"), nullptr);
  EXPECT_EQ(config->channel("prospectus")->max_children, 6);
  EXPECT_TRUE(config->channel("prospectus")->slt_may_override);
  EXPECT_EQ(config->channel("newsletter"), nullptr);
  EXPECT_EQ(config->no_faces, NoFacesAction::kPublish);
}

TEST(PolicyConfigFile, MistakesAreErrorsThatNameTheSetting) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"policy.device_chek = false\n", "policy.device_chek"},
      {"policy.channel.websit.max_children = 3\n", "policy.channel.websit.max_children"},
      {"policy.channel.website.max_children = lots\n", "max_children"},
      {"policy.channel.website.max_children = 1.5\n", "whole number"},
      {"policy.match.threshold = 0.9\n", "policy.match.threshold"},
      {"policy.no_faces = maybe\n", "policy.no_faces"},
      {"policy.match.protect_threshold = 0.5\n", "protect_threshold"},
      {"policy.full_name.staff = sometimes\n", "policy.full_name.staff"},
      {"policy.template_max_age_months = 0\n", "policy.template_max_age_months"},
      {"policy.channels = Web Site\n", "Web Site"},
      {"policy.channels = ,\n", "no channel"},
  };
  for (const auto& [text, expected] : cases) {
    auto config = loadPolicyConfig(writeConfig("mistake", text));
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_EQ(config.error().code, "bad_config");
    EXPECT_NE(config.error().message.find(expected), std::string::npos) << config.error().message;
  }
  EXPECT_EQ(loadPolicyConfig("/nonexistent/cg.properties").error().code, "config_not_found");
  // A file with no policy settings at all is the defaults.
  auto none = loadPolicyConfig(writeConfig("none", "service.workers = 3\n"));
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_EQ(none->channelNames(), PolicyConfig{}.channelNames());
}

}  // namespace
}  // namespace consentguard::policy
