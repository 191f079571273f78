// The termly report's page for the DSL (issue 22), against the real service: /report shows the
// report's figures, the same as the CSV for the same period, in words; the period is a term
// (the current one by default) or the DSL's own dates, and the CSV and printable links keep it.
#include <map>
#include <regex>
#include <sstream>

#include "consentguard/audit/term_report.h"
#include "consentguard/common/dates.h"
#include "service/review_fixture.h"

namespace consentguard::testing {
namespace {

// The CSV's rows by section: "summary photos" -> "3", "outcome website published" -> "1".
std::map<std::string, std::string> csvFigures(const std::string& csv) {
  std::map<std::string, std::string> figures;
  std::istringstream lines(csv);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    if (cells.size() < 4) continue;
    if (cells[0] == "summary" && cells[2] != "from" && cells[2] != "to") {
      figures["summary " + cells[2]] = cells[3];
    } else if (cells[0] == "outcome") {
      figures["outcome " + cells[1] + " " + cells[2]] = cells[3];
    } else if (cells[0] == "reason") {
      figures["reason " + cells[2]] = cells[3];
    }
  }
  return figures;
}

// The same figures read from the report page's markup (zero outcome cells left out, as the CSV
// leaves them out).
std::map<std::string, std::string> pageFigures(const std::string& html) {
  std::map<std::string, std::string> figures;
  const std::regex summary(R"re(data-item="([a-z_]+)"><dt>[^<]*</dt><dd class="figure">(\d+)<)re");
  for (std::sregex_iterator it(html.begin(), html.end(), summary), end; it != end; ++it) {
    figures["summary " + (*it)[1].str()] = (*it)[2].str();
  }
  const std::regex cell(R"re(<td data-channel="([a-z_]+)" data-outcome="([a-z_]+)">(\d+)<)re");
  for (std::sregex_iterator it(html.begin(), html.end(), cell), end; it != end; ++it) {
    if ((*it)[3].str() != "0") figures["outcome " + (*it)[1].str() + " " + (*it)[2].str()] = (*it)[3];
  }
  const std::regex reason(R"re(<tr data-code="([a-z_]+)"><th scope="row">[^<]*</th><td>(\d+)<)re");
  for (std::sregex_iterator it(html.begin(), html.end(), reason), end; it != end; ++it) {
    figures["reason " + (*it)[1].str()] = (*it)[2].str();
  }
  return figures;
}

std::string hrefOf(const std::string& html, const std::string& id) {
  const std::regex link("id=\"" + id + "\" href=\"([^\"]+)\"");
  std::smatch m;
  if (!std::regex_search(html, m, link)) return "";
  return std::regex_replace(m[1].str(), std::regex("&amp;"), "&");
}

class ReportPagesTest : public ReviewServiceTest {};

TEST_F(ReportPagesTest, TheReportPageShowsTheCsvsFiguresForTheChosenTerm) {
  // Amy is published on the website; Howard (no-photo list) is stopped: an incident.
  ASSERT_EQ(verdictOf(submitAndWait(*image::readFileBytes(probePhoto("amy")), "amy.png")),
            "publish");
  ASSERT_EQ(verdictOf(submitAndWait(*image::readFileBytes(probePhoto("howard")), "howard.png")),
            "block");
  Browser dsl(port_);
  ASSERT_EQ(dsl.signIn("dee.dsl", kPassword).status, 303);

  // By default, the term today is in.
  const audit::SchoolTerm term = audit::termContaining(todayIso());
  const Page page = dsl.get("/report");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<option value=\"" + term.key + "\" selected>"), std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("id=\"report-period\">" + term.name + ": "), std::string::npos);
  const std::string csvLink = hrefOf(page.body, "report-csv");
  EXPECT_EQ(csvLink, "/report.csv?from=" + term.from + "&to=" + term.to);
  EXPECT_EQ(hrefOf(page.body, "report-printable"),
            "/report.html?from=" + term.from + "&to=" + term.to);

  // The figures on the page are the CSV's for the same period.
  const Page csv = dsl.get(csvLink);
  ASSERT_EQ(csv.status, 200);
  const auto expected = csvFigures(csv.body), shown = pageFigures(page.body);
  EXPECT_EQ(expected.at("summary photos"), "2");
  EXPECT_EQ(expected.at("summary incidents"), "1");
  EXPECT_EQ(shown, expected);
  // In words: no raw codes or actor prefixes as text.
  EXPECT_NE(page.body.find("Stopped by the photo policy"), std::string::npos);
  EXPECT_NE(page.body.find("A pupil on the no-photo list was in the photo"), std::string::npos);
  EXPECT_NE(page.body.find("Howard"), std::string::npos) << "the pupil by name";
  for (const std::string code : {">no_photo<", ">website<", ">rejected_by_rules<", "user:",
                                 ">recognised<", "likely_match"}) {
    EXPECT_EQ(page.body.find(code), std::string::npos) << code;
  }

  // Another term, chosen from the list: the links keep it.
  const audit::SchoolTerm before = audit::termBefore(term);
  const Page earlier = dsl.get("/report?term=" + before.key);
  ASSERT_EQ(earlier.status, 200);
  EXPECT_NE(earlier.body.find("<option value=\"" + before.key + "\" selected>"),
            std::string::npos);
  EXPECT_EQ(hrefOf(earlier.body, "report-csv"),
            "/report.csv?from=" + before.from + "&to=" + before.to);
  EXPECT_EQ(pageFigures(earlier.body).at("summary photos"), "0");
  EXPECT_EQ(dsl.get("/report?term=winter-2026").status, 400);

  // The DSL's own dates: today only; a wrong date is said beside the form.
  const std::string today = todayIso();
  const Page custom = dsl.get("/report?from=" + today + "&to=" + today);
  ASSERT_EQ(custom.status, 200);
  EXPECT_EQ(pageFigures(custom.body), expected);
  EXPECT_EQ(hrefOf(custom.body, "report-csv"), "/report.csv?from=" + today + "&to=" + today);
  const Page wrong = dsl.get("/report?from=2026-02-30&to=" + today);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("id=\"date-problem\""), std::string::npos) << wrong.body;
  EXPECT_NE(wrong.body.find("id=\"report-custom\""), std::string::npos);
  // The printable page takes the same period.
  const Page printable = dsl.get(hrefOf(page.body, "report-printable"));
  EXPECT_EQ(printable.status, 200);
  EXPECT_NE(printable.body.find("Photos submitted: <strong>2</strong>"), std::string::npos);
}

}  // namespace
}  // namespace consentguard::testing
