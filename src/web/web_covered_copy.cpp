// A copy of a held or blocked photo with faces covered: previewed first (the copy itself and what
// the rules say about it, as a new photo would be checked), then published on a separate confirm,
// when it is made and checked once more. A copy that fails says why in words and keeps the form,
// with the ticks, so that the reviewer can cover more faces or go back to the photo.
#include <set>

#include "consentguard/check/photo_check.h"
#include "consentguard/common/files.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/policy/policy.h"
#include "page_templates.h"
#include "redaction.h"
#include "review_facts.h"
#include "review_page.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTMLForm;
using Poco::Net::HTTPResponse;

// Each thread that is asked for a covered copy loads its own face engine and checker, once.
Result<check::PhotoChecker*> threadChecker(const ServiceSettings& settings, ThreadDatabase& t,
                                           faces::FaceEngine** engineOut) {
  thread_local std::unique_ptr<check::PhotoChecker> checker;
  auto engine = threadFaceEngine(settings);
  if (!engine) return engine.error();
  if (!checker) {
    checker = std::make_unique<check::PhotoChecker>(**engine, *t.store, settings.policy);
  }
  *engineOut = *engine;
  return checker.get();
}

struct CoveredCopy {
  std::vector<std::uint8_t> jpeg;  // empty when it could not be made
  std::vector<std::string> why;    // empty when it may be published
  bool unavailable = false;        // the check could not run at all
};

std::set<std::string> tickedBoxes(const HTMLForm& form) {
  std::set<std::string> ticked;
  for (auto it = form.find("cover"); it != form.end() && it->first == "cover"; ++it) {
    ticked.insert(it->second);
  }
  return ticked;
}

CoveredCopy makeCoveredCopy(ReviewRequest& r, const queue::Job& job,
                            const std::set<std::string>& ticked) {
  CoveredCopy out;
  std::vector<cv::Rect> cover;
  for (const auto& f : facesOf(job)) {
    if (!mayBePublished(f.status) || ticked.count(queue::boxKey(f.box))) {
      cover.emplace_back(f.box.x, f.box.y, f.box.w, f.box.h);
    }
  }
  faces::FaceEngine* engine = nullptr;
  auto checker = threadChecker(r.settings, r.t, &engine);
  auto original = image::readFileBytes(job.original);
  if (!checker || !original) {
    out.unavailable = true;
    out.why.push_back("Consent Guard could not load what it needs to check a covered copy. Try "
                      "again in a minute.");
    return out;
  }
  auto redacted = redactFaces(*original, cover, *engine);
  if (!redacted) {
    out.why.push_back(redacted.error().message);
    return out;
  }
  out.jpeg = redacted->jpeg;
  // The covered copy goes through every rule again, as a new photo would.
  const queue::Submission& s = job.submission;
  auto result = (*checker)->check({out.jpeg, s.channel, s.file_name, s.caption, s.alt_text, {}});
  if (!result) {
    out.unavailable = true;
    out.why.push_back(result.error().message);
    return out;
  }
  const bool blocked = result->decision.verdict == policy::Verdict::kBlock;
  // Held rather than blocked, with every face allowed, the copy is SLT's to publish: what holds
  // it is what they are deciding.
  if (blocked) {
    for (const auto& reason : result->decision.reasons) out.why.push_back(reason.message);
  }
  for (const auto& f : result->faces) {
    if (mayBePublished(f.status)) continue;
    HeldFace face{{f.box.x, f.box.y, f.box.width, f.box.height}, f.person, f.status, f.likely,
                  0.0, {}};
    out.why.push_back("A face still shows that may not be published: " +
                      faceLabel(face, *r.t.store) + ". Tick it to cover it.");
  }
  if (!blocked && out.why.empty()) return out;
  if (out.why.empty()) out.why.push_back("The covered copy still breaks the school's rules.");
  return out;
}

std::filesystem::path previewPath(const ServiceSettings& settings, const queue::Job& job) {
  return settings.folders.store() / (job.id + "-preview.jpg");
}

void sendPreviewPage(ReviewRequest& r, const queue::Job& job, const std::set<std::string>& ticked,
                     const CoveredCopy& copy, bool havePicture) {
  ctemplate::TemplateDictionary page("review_preview");
  page.SetValue("ID", job.id);
  page.SetValue("CSRF", r.session.csrf_token);
  page.SetValue("FILE", job.submission.file_name);
  page.SetValue("CHANNEL", channelLabel(job.submission.channel));
  if (havePicture) page.ShowSection("PICTURE");
  const bool clear = copy.why.empty();
  if (clear) {
    page.ShowSection("CLEAR");
    for (const auto& box : ticked) page.AddSectionDictionary("KEEP")->SetValue("BOX", box);
  } else {
    auto* failed = page.AddSectionDictionary("FAILED");
    for (const auto& w : copy.why) failed->AddSectionDictionary("WHY")->SetValue("TEXT", w);
    failed->SetValue("NEXT", "Tick more faces to cover and preview again, reject the photo, or go "
                             "back to it. Nothing has been published.");
    page.SetValue("LIMIT", childLimitSentence(r.settings.policy, job.submission.channel));
    const auto faces = facesOf(job);
    for (size_t i = 0; i < faces.size(); ++i) {
      auto* cover = page.AddSectionDictionary("COVER");
      const std::string box = queue::boxKey(faces[i].box);
      cover->SetIntValue("NUMBER", static_cast<int>(i + 1));
      cover->SetValue("BOX", box);
      cover->SetValue("LABEL", faceLabel(faces[i], *r.t.store));
      if (!mayBePublished(faces[i].status)) {
        cover->ShowSection("MUST");
      } else if (ticked.count(box)) {
        cover->ShowSection("TICKED");
      }
    }
  }
  const auto status = clear ? HTTPResponse::HTTP_OK
                      : copy.unavailable ? HTTPResponse::HTTP_SERVICE_UNAVAILABLE
                                         : HTTPResponse::HTTP_UNPROCESSABLE_ENTITY;
  sendPage(r.response, status,
           clear ? "Publish this covered copy?" : "This covered copy cannot be published",
           renderPage("review_preview.tpl", page), &r.session);
}

}  // namespace

void previewCoveredCopy(ReviewRequest& r, const queue::Job& job, const HTMLForm& form) {
  const auto ticked = tickedBoxes(form);
  const CoveredCopy copy = makeCoveredCopy(r, job, ticked);
  bool havePicture = false;
  if (!copy.jpeg.empty()) {
    havePicture = writeFileAtomically(previewPath(r.settings, job), copy.jpeg, true).ok();
  }
  sendPreviewPage(r, job, ticked, copy, havePicture);
}

void publishCoveredCopy(ReviewRequest& r, const queue::Job& job, const HTMLForm& form) {
  const auto ticked = tickedBoxes(form);
  const CoveredCopy copy = makeCoveredCopy(r, job, ticked);
  if (!copy.why.empty()) {
    bool havePicture = false;
    if (!copy.jpeg.empty()) {
      havePicture = writeFileAtomically(previewPath(r.settings, job), copy.jpeg, true).ok();
    }
    logDecision(r, job, "was refused a covered copy of");
    return sendPreviewPage(r, job, ticked, copy, havePicture);
  }
  const std::filesystem::path stored = r.settings.folders.store() / (job.id + "-redacted.jpg");
  if (Status w = writeFileAtomically(stored, copy.jpeg, /*overwrite=*/true); !w) {
    return r.refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Not done", w.error().message);
  }
  std::error_code ec;
  std::filesystem::remove(previewPath(r.settings, job), ec);
  size_t covered = 0;
  for (const auto& f : facesOf(job)) {
    covered += !mayBePublished(f.status) || ticked.count(queue::boxKey(f.box));
  }
  finishDecision(r, job, "redacted", "publish", ".jpg", std::to_string(covered) + " faces covered",
                 stored);
}

void sendCoveredPreview(ReviewRequest& r, const queue::Job& job) {
  auto bytes = image::readFileBytes(previewPath(r.settings, job));
  auto decoded = bytes ? image::decodeImage(*bytes) : Result<image::UprightImage>(bytes.error());
  if (!decoded) {
    return r.refuse(HTTPResponse::HTTP_NOT_FOUND, "No preview",
                    "There is no covered copy to show. Go back to the photo and preview one.");
  }
  sendJpeg(r.response, decoded->rgb, 1600);
}

}  // namespace consentguard::service
