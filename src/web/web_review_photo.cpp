// One photo's review page: the picture with each face boxed and numbered, the faces listed beside
// it in words (numbers on the picture, so that labels of faces close together never overlap),
// why it waits, and the decisions open to it: approve (only what the rules put to a person),
// reject, identify an unknown face by typing a name, register its camera, preview a covered
// copy (the form says what the channel allows), or, for a blocked photo, take it off the list.
#include <cstdio>

#include "consentguard/image/image_loader.h"
#include "consentguard/policy/policy.h"
#include "page_templates.h"
#include "review_facts.h"
#include "review_page.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

std::string percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

// A face SLT may name: one nobody was recognised in, or one matched to the same person as
// another face. Naming a recognised face as someone else would let a pupil on the no-photo list
// be published under another name.
bool mayIdentify(const HeldFace& f) {
  return f.person.empty() || f.status == "same_person_twice";
}

}  // namespace

void sendReviewPhoto(ReviewRequest& r, const queue::Job& job, const IdentifyProblem* problem) {
  const bool held = job.state == queue::JobState::kDone && job.verdict == "review";
  const bool coverable = isCoverable(job);
  auto bytes = image::readFileBytes(job.original);
  auto decoded = bytes ? image::decodeImage(*bytes) : Result<image::UprightImage>(bytes.error());
  const double width = decoded ? decoded->rgb.cols : 1, height = decoded ? decoded->rgb.rows : 1;
  const auto faces = facesOf(job);
  reg::RegisterStore& store = *r.t.store;
  ctemplate::TemplateDictionary page("review_photo");
  page.SetValue("ID", job.id);
  page.SetValue("CSRF", r.session.csrf_token);
  page.SetValue("FILE", job.submission.file_name);
  page.SetValue("CHANNEL", channelLabel(job.submission.channel));
  page.SetValue("SUBMITTED", readableTime(job.created_at));
  if (coverable) {
    page.AddSectionDictionary("COVERABLE")->SetValue("SENTENCE", policy::coveredCopySentence());
  } else if (held) {
    page.ShowSection("HELD_NOTE");
  } else {
    addNotWaiting(page, job);
  }
  page.ShowSection(held ? "HELD" : "NOT_HELD");
  for (const auto& reason : reasonsOf(job)) {
    page.AddSectionDictionary("REASON")->SetValue("TEXT", reason);
  }
  if (const auto names = metadataNamesOf(job); !names.empty()) {
    auto* list = page.AddSectionDictionary("ANY_METADATA_NAMES");
    for (const auto& n : names) list->AddSectionDictionary("METADATA_NAME")->SetValue("TEXT", n);
  }
  // The picture is served at most 1600 px wide; the boxes are placed in the original's pixels.
  page.SetIntValue("WIDTH", static_cast<int>(width));
  page.SetIntValue("HEIGHT", static_cast<int>(height));
  if (faces.empty()) page.ShowSection("NO_FACES");
  for (size_t i = 0; i < faces.size(); ++i) {
    const HeldFace& f = faces[i];
    for (const char* section : {"FACE", "FACE_ITEM"}) {
      auto* face = page.AddSectionDictionary(section);
      face->SetIntValue("NUMBER", static_cast<int>(i + 1));
      face->SetValue("STATUS", f.status);
      face->SetValue("PERSON", f.person);
      face->SetValue("LABEL", faceLabel(f, store));
      face->SetValue("LEFT", percent(100.0 * f.box.x / width));
      face->SetValue("TOP", percent(100.0 * f.box.y / height));
      face->SetValue("W", percent(100.0 * f.box.w / width));
      face->SetValue("H", percent(100.0 * f.box.h / height));
    }
  }
  if (!held && !coverable) {
    return sendPage(r.response, HTTPResponse::HTTP_OK, "Photo", renderPage("review_photo.tpl", page),
                    &r.session);
  }
  auto* actions = page.AddSectionDictionary("ACTIONS");
  if (coverable) {
    actions->ShowSection("NO_APPROVE_COVERABLE");
    actions->ShowSection("DISMISS");
  } else {
    actions->ShowSection(mayApprove(job) ? "APPROVE" : "NO_OVERRIDE");
    if (auto device = unregisteredDeviceOf(job)) {
      auto* form = actions->AddSectionDictionary("DEVICE");
      form->SetValue("MAKE_MODEL", device->make + " " + device->model);
      if (!device->serial.empty()) {
        form->AddSectionDictionary("SERIAL")->SetValue("TEXT", device->serial);
      }
    }
  }
  actions->ShowSection("REJECT");
  if (coveredCopyWorthwhile(job)) {
    auto* redact = actions->AddSectionDictionary("REDACT");
    redact->SetValue("LIMIT", childLimitSentence(r.settings.policy, job.submission.channel));
    for (size_t i = 0; i < faces.size(); ++i) {
      auto* cover = redact->AddSectionDictionary("COVER");
      cover->SetIntValue("NUMBER", static_cast<int>(i + 1));
      cover->SetValue("BOX", queue::boxKey(faces[i].box));
      cover->SetValue("LABEL", faceLabel(faces[i], store));
      if (!mayBePublished(faces[i].status)) cover->ShowSection("MUST");
    }
  } else if (!faces.empty()) {
    actions->ShowSection("NOT_WORTHWHILE");
  }
  bool anyIdentify = false;
  for (size_t i = 0; i < faces.size(); ++i) {
    if (!mayIdentify(faces[i])) continue;
    anyIdentify = true;
    const std::string box = queue::boxKey(faces[i].box);
    auto* identify = actions->AddSectionDictionary("IDENTIFY");
    identify->SetIntValue("NUMBER", static_cast<int>(i + 1));
    identify->SetValue("BOX", box);
    identify->SetValue("LABEL", faceLabel(faces[i], store));
    if (problem && problem->face == box) {
      identify->SetValue("TYPED", problem->typed);
      identify->AddSectionDictionary("ERROR")->SetValue("TEXT", problem->message);
    }
  }
  if (anyIdentify) {
    auto* names = actions->AddSectionDictionary("ANY_IDENTIFY");
    auto people = store.people();
    for (const auto& p : people ? *people : std::vector<reg::Person>{}) {
      auto* option = names->AddSectionDictionary("PERSON");
      option->SetValue("PERSON_ID", p.id);
      option->SetValue("NAME", p.displayName());
    }
  }
  sendPage(r.response, problem ? HTTPResponse::HTTP_BAD_REQUEST : HTTPResponse::HTTP_OK,
           coverable ? "Blocked photo" : "Held photo", renderPage("review_photo.tpl", page),
           &r.session);
}

}  // namespace consentguard::service
