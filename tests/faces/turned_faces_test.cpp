// Faces at any turn (issue 21, part 5): children lying in a circle, a phone held sideways, a file
// stored sideways or upside down with no orientation tag. The shared group photos turned by a
// quarter or half turn must give the same people, named as when upright; faces pasted at four
// turns into one photo must each be found and named; and upright photos must gain no face.
#include <algorithm>
#include <sstream>
#include <opencv2/imgproc.hpp>

#include "support/test_support.h"

namespace consentguard::testing {
namespace {

const std::vector<std::string> kPeople = {"amy",  "bernadette", "howard",  "leonard",
                                          "penny", "raj",        "sheldon", "stuart"};

cv::Mat crop(const std::string& person, int n) {
  return loadRgb(testdata("identities/" + person + "/" + person + std::to_string(n) + ".png"));
}

const faces::Matcher& everyone() {
  static const faces::Matcher matcher = [] {
    std::vector<faces::EnrolledTemplate> templates;
    for (const auto& person : kPeople) {
      for (int n = 1; n <= 5; ++n) {
        auto d = ssdEngine().describeOnlyFace(crop(person, n));
        if (d) templates.push_back({person, *d});
      }
    }
    return faces::Matcher(templates);
  }();
  return matcher;
}

cv::Mat turned(const cv::Mat& photo, int turn) {
  cv::Mat out;
  if (turn == 90) cv::rotate(photo, out, cv::ROTATE_90_CLOCKWISE);
  if (turn == 180) cv::rotate(photo, out, cv::ROTATE_180);
  if (turn == 270) cv::rotate(photo, out, cv::ROTATE_90_COUNTERCLOCKWISE);
  return turn == 0 ? photo : out;
}

struct Seen {
  size_t faces = 0;
  std::vector<std::string> named;  // sorted
};

Seen look(const cv::Mat& photo) {
  Seen seen;
  const auto found = ssdEngine().analyse(photo);
  seen.faces = found.size();
  for (const auto& f : found) {
    const auto m = faces::identify(f, everyone());
    if (m.outcome == faces::MatchOutcome::kRecognised) seen.named.push_back(m.person);
  }
  std::sort(seen.named.begin(), seen.named.end());
  return seen;
}

class TurnedPhoto : public ::testing::TestWithParam<int> {};

TEST_P(TurnedPhoto, EveryLabelledFaceIsFoundAndNamedAsWhenUpright) {
  CG_REQUIRE_SHARED_TESTDATA();
  for (const std::string name : {"bbt1.jpg", "bbt2.jpg"}) {
    const cv::Mat photo = loadRgb(testdata("groups/" + name));
    const Seen upright = look(photo), turn = look(turned(photo, GetParam()));
    std::cout << "  " << name << " turned " << GetParam() << ": " << turn.faces
              << " faces (upright " << upright.faces << "), named " << turn.named.size() << "\n";
    EXPECT_EQ(turn.named, upright.named) << name;
    if (name == "bbt1.jpg") {
      EXPECT_EQ(upright.named, (std::vector<std::string>{"howard", "leonard", "raj", "sheldon"}));
      EXPECT_EQ(turn.faces, 4u) << "a face invented or lost in " << name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Turns, TurnedPhoto, ::testing::Values(90, 180, 270),
                         [](const auto& info) { return "by" + std::to_string(info.param); });

TEST(TurnedFaces, ACircleOfFacesAtFourTurnsIsFoundAndNamed) {
  // Eight people as if lying in a circle on the grass, heads to the middle: each face turned
  // by a quarter turn more than the last, pasted into a real photo.
  CG_REQUIRE_SHARED_TESTDATA();
  cv::Mat photo = backgroundWithoutFaces();
  std::vector<std::pair<cv::Rect, std::string>> placed;
  for (size_t k = 0; k < kPeople.size(); ++k) {
    const int turn = static_cast<int>(k % 4) * 90;
    cv::Mat face = crop(kPeople[k], 1);
    cv::resize(face, face, cv::Size(), 260.0 / face.cols, 260.0 / face.cols, cv::INTER_AREA);
    face = turned(face, turn);
    const double angle = 2 * CV_PI * static_cast<double>(k) / kPeople.size();
    const cv::Point centre(960 + static_cast<int>(620 * std::cos(angle)),
                           540 + static_cast<int>(340 * std::sin(angle)));
    const cv::Rect where(centre.x - face.cols / 2, centre.y - face.rows / 2, face.cols, face.rows);
    face.copyTo(photo(where));
    placed.push_back({where, kPeople[k]});
  }
  const auto found = ssdEngine().analyse(photo);
  for (const auto& [where, person] : placed) {
    const auto hit = std::find_if(found.begin(), found.end(), [&](const faces::FoundFace& f) {
      return (f.box & where).area() > 0.3 * f.box.area();
    });
    ASSERT_NE(hit, found.end()) << person << "'s face was not found";
    const auto m = faces::identify(*hit, everyone());
    EXPECT_EQ(m.outcome, faces::MatchOutcome::kRecognised) << person << " at " << m.distance;
    EXPECT_EQ(m.nearest, person);
  }
  std::ostringstream boxes;
  for (const auto& f : found) boxes << " " << f.box << " turn " << f.turn << " score " << f.score;
  EXPECT_EQ(found.size(), placed.size()) << "a face invented; found:" << boxes.str();
}

TEST(TurnedFaces, TheLandmarksOfATurnedFaceAreInThePhotosOwnPixels) {
  CG_REQUIRE_SHARED_TESTDATA();
  const cv::Mat photo = loadRgb(testdata("groups/bbt1.jpg"));
  const auto upright = ssdEngine().analyse(photo);
  const auto sideways = ssdEngine().analyse(turned(photo, 90));
  ASSERT_EQ(upright.size(), sideways.size());
  for (const auto& f : sideways) {
    // Every landmark lies inside (or just around) its own box in the sideways photo.
    const cv::Rect around(f.box.x - f.box.width / 2, f.box.y - f.box.height / 2, 2 * f.box.width,
                          2 * f.box.height);
    for (const auto& p : f.landmarks) {
      EXPECT_TRUE(around.contains(cv::Point(cvRound(p.x), cvRound(p.y))));
    }
  }
}

}  // namespace
}  // namespace consentguard::testing
