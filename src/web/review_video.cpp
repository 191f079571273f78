#include "review_video.h"

#include <Poco/Net/HTTPResponse.h>

#include <cstdio>
#include <fstream>
#include <optional>

#include "consentguard/common/dates.h"
#include "consentguard/service/outcome_writer.h"
#include "page_templates.h"
#include "review_facts.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;
namespace fs = std::filesystem;

struct ByteRange {
  std::uint64_t first = 0, last = 0;  // inclusive
};

// One "bytes=A-B", "bytes=A-" or "bytes=-N" range of a file of `size` bytes. nullopt: the
// whole file (no range, several ranges, or a unit other than bytes); a range with first >
// last: not satisfiable.
std::optional<ByteRange> parseRange(const std::string& header, std::uint64_t size) {
  if (header.rfind("bytes=", 0) != 0 || header.find(',') != std::string::npos) return std::nullopt;
  const std::string spec = header.substr(6);
  const size_t dash = spec.find('-');
  if (dash == std::string::npos) return std::nullopt;
  const std::string a = spec.substr(0, dash), b = spec.substr(dash + 1);
  const auto number = [](const std::string& text) -> std::optional<std::uint64_t> {
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    return std::stoull(text);
  };
  const ByteRange unsatisfiable{1, 0};
  if (a.empty()) {
    auto suffix = number(b);
    if (!suffix) return std::nullopt;
    if (*suffix == 0 || size == 0) return unsatisfiable;
    return ByteRange{size - std::min(*suffix, size), size - 1};
  }
  auto first = number(a);
  if (!first) return std::nullopt;
  if (*first >= size) return unsatisfiable;
  if (b.empty()) return ByteRange{*first, size - 1};
  auto last = number(b);
  if (!last) return std::nullopt;
  if (*last < *first) return std::nullopt;  // not a valid range: ignored, as RFC 9110 says
  return ByteRange{*first, std::min(*last, size - 1)};
}

}  // namespace

void sendVideoReviewPage(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                         const Session& session, const queue::Job& job) {
  const bool held = job.state == queue::JobState::kDone && job.verdict == "review";
  ctemplate::TemplateDictionary page("review_video");
  page.SetValue("ID", job.id);
  page.SetValue("CSRF", session.csrf_token);
  page.SetValue("FILE", job.submission.file_name);
  page.SetValue("CHANNEL", job.submission.channel);
  page.SetValue("SUBMITTED", readableTime(job.created_at));
  double seconds = 0;
  int frames = 0;
  try {
    auto root = resultOf(job);
    seconds = root->optValue<double>("seconds", 0.0);
    frames = root->optValue<int>("frames_sampled", 0);
  } catch (const Poco::Exception&) {
  }
  char length[32];
  std::snprintf(length, sizeof length, "%.1f", seconds);
  page.SetValue("SECONDS", length);
  page.SetIntValue("FRAMES", frames);
  if (!held) addNotWaiting(page, job);
  page.ShowSection(held ? "HELD" : "NOT_HELD");
  for (const auto& r : reasonsOf(job)) page.AddSectionDictionary("REASON")->SetValue("TEXT", r);
  const auto people = facesOf(job);
  if (people.empty()) page.ShowSection("NOBODY");
  if (!people.empty()) {
    auto* table = page.AddSectionDictionary("ANY_PEOPLE");
    for (size_t i = 0; i < people.size(); ++i) {
      auto* row = table->AddSectionDictionary("PERSON");
      row->SetIntValue("NUMBER", static_cast<int>(i + 1));
      row->SetValue("STATUS", people[i].status);
      row->SetValue("PERSON_ID", people[i].person);
      row->SetValue("LABEL", faceLabel(people[i], *t.store));
      row->SetValue("SEEN", timesSeen(people[i].seen));
    }
  }
  if (held) {
    auto* actions = page.AddSectionDictionary("ACTIONS");
    actions->ShowSection(mayApprove(job) ? "APPROVE" : "NO_OVERRIDE");
    if (auto device = unregisteredDeviceOf(job)) {
      actions->AddSectionDictionary("DEVICE")->SetValue("MAKE_MODEL",
                                                        device->make + " " + device->model);
    }
    actions->ShowSection("REJECT");
  }
  sendPage(response, HTTPResponse::HTTP_OK, held ? "Held video" : "Video",
           renderPage("review_video.tpl", page), &session);
}

void sendVideoFile(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   const fs::path& file) {
  std::error_code ec;
  const std::uint64_t size = fs::file_size(file, ec);
  std::ifstream in(file, std::ios::binary);
  if (ec || !in) {
    return sendMessagePage(response, HTTPResponse::HTTP_NOT_FOUND, "No video",
                           "This video is no longer kept.");
  }
  response.set("Accept-Ranges", "bytes");
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.setContentType("video/mp4");
  ByteRange range{0, size == 0 ? 0 : size - 1};
  const auto asked = request.has("Range") ? parseRange(request.get("Range"), size) : std::nullopt;
  if (asked && asked->first > asked->last) {
    response.setStatusAndReason(HTTPResponse::HTTP_REQUESTED_RANGE_NOT_SATISFIABLE);
    response.set("Content-Range", "bytes */" + std::to_string(size));
    response.setContentLength(0);
    response.send();
    return;
  }
  if (asked) {
    range = *asked;
    response.setStatusAndReason(HTTPResponse::HTTP_PARTIAL_CONTENT);
    response.set("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                      std::to_string(range.last) + "/" + std::to_string(size));
  } else {
    response.setStatusAndReason(HTTPResponse::HTTP_OK);
  }
  const std::uint64_t length = size == 0 ? 0 : range.last - range.first + 1;
  response.setContentLength64(static_cast<Poco::Int64>(length));
  std::ostream& out = response.send();
  in.seekg(static_cast<std::streamoff>(range.first));
  char buffer[65536];
  for (std::uint64_t left = length; left > 0 && in && out;) {
    in.read(buffer, static_cast<std::streamsize>(std::min<std::uint64_t>(left, sizeof buffer)));
    out.write(buffer, in.gcount());
    left -= static_cast<std::uint64_t>(in.gcount());
  }
}

void sendContactSheet(Poco::Net::HTTPServerResponse& response, const queue::Job& job,
                      const Session& session) {
  std::error_code ec;
  const fs::path sheet = contactSheetPath(job);
  if (!fs::exists(sheet, ec)) {
    return sendMessagePage(response, HTTPResponse::HTTP_NOT_FOUND, "No contact sheet",
                           "No frame of this video could be checked, so there is no contact "
                           "sheet. Watch the video itself.",
                           &session);
  }
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.sendFile(sheet.string(), "image/jpeg");
}

}  // namespace consentguard::service
