// The converted network must reproduce the descriptors that face-api.js (the original
// JavaScript implementation) computes for the same crops.
#include <Poco/JSON/Parser.h>

#include <fstream>

#include "consentguard/faces/descriptor.h"
#include "support/test_support.h"

namespace consentguard::testing {
namespace {

faces::Descriptor readReference(const fs::path& path) {
  std::ifstream in(path);
  Poco::JSON::Parser parser;
  auto values = parser.parse(in).extract<Poco::JSON::Array::Ptr>();
  EXPECT_EQ(values->size(), 128u) << path;
  faces::Descriptor d{};
  for (size_t i = 0; i < d.size() && i < values->size(); ++i) d[i] = values->getElement<float>(i);
  return d;
}

struct ReferenceCase {
  const char* crop;
  const char* descriptor;
};

class ReferenceDescriptor : public ::testing::TestWithParam<ReferenceCase> {};

TEST_P(ReferenceDescriptor, MatchesFaceApiWithinOneTenth) {
  CG_REQUIRE_SHARED_TESTDATA();
  const cv::Mat crop = loadRgb(testdata(std::string("reference/") + GetParam().crop));
  const faces::Descriptor expected =
      readReference(testdata(std::string("reference/") + GetParam().descriptor));
  const cv::Mat chip = faces::FaceDescriber::squareCropLikeFaceApi(crop);
  const auto computed = hogEngine().describer().describe({chip});
  ASSERT_EQ(computed.size(), 1u);
  const double d = faces::distance(computed[0], expected);
  RecordProperty("distance", std::to_string(d));
  std::cout << "  " << GetParam().crop << ": distance to face-api's descriptor " << d << "\n";
  EXPECT_LT(d, 0.1);
}

INSTANTIATE_TEST_SUITE_P(
    FaceApi, ReferenceDescriptor,
    ::testing::Values(ReferenceCase{"face1.png", "faceDescriptor1.json"},
                      ReferenceCase{"face2.png", "faceDescriptor2.json"},
                      ReferenceCase{"face_rectangular.png", "faceDescriptorRect.json"}),
    [](const auto& info) {
      std::string name = info.param.crop;
      return name.substr(0, name.find('.'));
    });

TEST(ReferenceDescriptor, DifferentFacesAreFarApart) {
  CG_REQUIRE_SHARED_TESTDATA();
  const auto a = readReference(testdata("reference/faceDescriptor1.json"));
  const auto b = readReference(testdata("reference/faceDescriptor2.json"));
  const auto computed = hogEngine().describer().describe(
      {faces::FaceDescriber::squareCropLikeFaceApi(loadRgb(testdata("reference/face1.png")))});
  // The test above is meaningful only if the two references are well apart.
  EXPECT_GT(faces::distance(a, b), 0.4);
  EXPECT_GT(faces::distance(computed[0], b), 0.4);
}

}  // namespace
}  // namespace consentguard::testing
