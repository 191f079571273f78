// The decisions on a held photo: approve and reject (each confirmed first on a page of its own,
// so that nothing is published or rejected by one slip), identify an unknown face by typing a
// name, and register the camera it was taken on. A typed name must lead to exactly one person
// in the register; otherwise the photo's page comes back with the close matches by the field.
#include <algorithm>
#include <cctype>

#include "consentguard/common/text.h"
#include "consentguard/image/image_format.h"
#include "consentguard/image/sanitiser.h"
#include "consentguard/service/outcome_writer.h"
#include "consentguard/video/video_file.h"
#include "page_templates.h"
#include "review_facts.h"
#include "review_page.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTMLForm;
using Poco::Net::HTTPResponse;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// What was typed as exactly one person: "Amy Fowler (P001)" as the list offers it, a register
// id, or a name only one person has. Otherwise the people it could mean, for the message.
struct Resolved {
  std::optional<reg::Person> person;
  std::vector<reg::Person> close;
};

Resolved resolvePerson(const std::vector<reg::Person>& people, const std::string& typed) {
  const std::string want = lower(trimSpace(typed));
  Resolved out;
  std::vector<reg::Person> sameName;
  for (const auto& p : people) {
    const std::string name = lower(p.displayName());
    if (want == lower(p.displayName() + " (" + p.id + ")") || want == lower(p.id)) {
      out.person = p;
      return out;
    }
    if (want == name) sameName.push_back(p);
    if (!want.empty() && (name.find(want) != std::string::npos || want.find(name) != std::string::npos)) {
      out.close.push_back(p);
    }
  }
  if (sameName.size() == 1) {
    out.person = sameName[0];
    return out;
  }
  if (!sameName.empty()) out.close = sameName;
  return out;
}

std::string problemText(const std::string& typed, const std::vector<reg::Person>& close,
                        bool sameName) {
  std::string text;
  if (trimSpace(typed).empty()) {
    text = "Type the person's name, then choose them from the list.";
  } else if (sameName) {
    text = "More than one person in the register is called \"" + trimSpace(typed) +
           "\". Choose the right one from the list: ";
  } else if (close.empty()) {
    text = "Nobody in the register is called \"" + trimSpace(typed) +
           "\". Check the spelling, or ask the office to add them to the register first.";
  } else {
    text = "\"" + trimSpace(typed) + "\" is not exactly one person in the register. Did you mean ";
  }
  for (size_t i = 0; i < close.size() && i < 8; ++i) {
    text += (i == 0 ? "" : ", ") + close[i].displayName() + " (" + close[i].id + ")";
  }
  if (!close.empty()) text += sameName ? "." : "? Choose them from the list.";
  return text;
}

}  // namespace

void confirmDecision(ReviewRequest& r, const queue::Job& job, const HTMLForm& form) {
  const std::string decision = form.get("decision", "");
  const bool held = job.state == queue::JobState::kDone && job.verdict == "review";
  ctemplate::TemplateDictionary page("review_confirm");
  page.SetValue("ID", job.id);
  page.SetValue("CSRF", r.session.csrf_token);
  page.SetValue("FILE", job.submission.file_name);
  page.SetValue("CHANNEL", channelLabel(job.submission.channel));
  if (!isVideoJob(job)) page.ShowSection("THUMB");
  std::string title;
  if (decision == "approve" && held) {
    if (!mayApprove(job)) {
      return r.refuse(HTTPResponse::HTTP_FORBIDDEN, "Not allowed",
                      "The school's policy does not let this photo be approved.");
    }
    title = "Approve and publish this photo?";
    page.SetValue("ACTION", "approve");
    page.SetValue("WHAT", "It will be published on the " + channelLabel(job.submission.channel) +
                              " channel as it is, with its hidden details removed. Only say yes "
                              "if you have looked at every face.");
    page.SetValue("BUTTON", "Yes, approve and publish");
  } else if (decision == "reject") {
    const std::string reason = trimSpace(form.get("reason", ""));
    if (reason.empty() || reason.size() > 1000) {
      return r.refuse(HTTPResponse::HTTP_BAD_REQUEST, "A reason is needed",
                      "Go back to the photo and write why it must not be published (up to 1000 "
                      "characters).");
    }
    title = "Reject this photo?";
    page.SetValue("ACTION", "reject");
    page.SetValue("WHAT", held ? "It will not be published. The person who sent it is told, with "
                                 "your reason."
                               : "It stays blocked and leaves this list. The person who sent it "
                                 "can see your reason.");
    page.AddSectionDictionary("REASON")->SetValue("TEXT", reason);
    page.SetValue("BUTTON", "Yes, reject it");
    page.ShowSection("DANGER");
  } else {
    return r.refuse(HTTPResponse::HTTP_BAD_REQUEST, "Not done",
                    "Consent Guard did not understand what you asked for. Open the photo again "
                    "and choose what to do.");
  }
  sendPage(r.response, HTTPResponse::HTTP_OK, title, renderPage("review_confirm.tpl", page),
           &r.session);
}

void approvePhoto(ReviewRequest& r, const queue::Job& job) {
  if (!mayApprove(job)) {
    return r.refuse(HTTPResponse::HTTP_FORBIDDEN, "Not allowed",
                    "The school's policy does not let this photo be approved.");
  }
  if (isVideoJob(job)) {
    // The clean copy is made (and verified) now, so that a video that cannot be copied clean
    // is refused here rather than left unfinished; the outcome writes it again, byte for byte.
    const video::VideoLimits limits{600, 1024ull << 20, 4096};
    if (Status clean = video::writeCleanCopy(job.original, stagedVideoPath(job), limits); !clean) {
      return r.refuse(HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "Not published",
                      "A clean copy of the video could not be made: " + clean.error().message);
    }
    return finishDecision(r, job, "approved", "publish", ".mp4", "");
  }
  auto bytes = image::readFileBytes(job.original);
  auto clean = bytes ? image::sanitise(*bytes, {}, r.settings.policy.heic_jpeg_quality)
                     : Result<image::SanitisedPhoto>(bytes.error());
  if (!clean) {
    return r.refuse(HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "Not published",
                    "A clean copy could not be made: " + clean.error().message);
  }
  finishDecision(r, job, "approved", "publish", image::fileExtension(clean->format), "");
}

void rejectPhoto(ReviewRequest& r, const queue::Job& job, const HTMLForm& form) {
  const std::string reason = trimSpace(form.get("reason", ""));
  if (reason.empty() || reason.size() > 1000) {
    return r.refuse(HTTPResponse::HTTP_BAD_REQUEST, "A reason is needed",
                    "Write why the photo must not be published (up to 1000 characters).");
  }
  finishDecision(r, job, "rejected", "block", "", reason);
}

void identifyFace(ReviewRequest& r, const queue::Job& job, const HTMLForm& form) {
  const std::string face = form.get("face", ""), typed = form.get("person", "");
  bool unknown = false;
  for (const auto& f : facesOf(job)) {
    unknown |=
        queue::boxKey(f.box) == face && (f.person.empty() || f.status == "same_person_twice");
  }
  if (!unknown) {
    return r.refuse(HTTPResponse::HTTP_BAD_REQUEST, "Not identified",
                    "Only a face Consent Guard did not recognise can be identified. Open the "
                    "photo again and use the box under that face.");
  }
  auto people = r.t.store->people();
  if (!people) {
    return r.refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Not identified",
                    "The register could not be read. Try again in a minute.");
  }
  const Resolved resolved = resolvePerson(*people, typed);
  if (!resolved.person) {
    const bool sameName = !resolved.close.empty() &&
                          lower(resolved.close[0].displayName()) == lower(trimSpace(typed));
    const IdentifyProblem problem{face, typed, problemText(typed, resolved.close, sameName)};
    return sendReviewPhoto(r, job, &problem);
  }
  const bool held = job.state == queue::JobState::kDone && job.verdict == "review";
  Status s = held ? r.t.queue->identifyFace(job.id, face, resolved.person->id, actorOf(r.session))
                  : identifyBlockedFace(r, job, face, resolved.person->id);
  if (!s) return r.refuse(HTTPResponse::HTTP_CONFLICT, "Not identified", s.error().message);
  logDecision(r, job, "identified a face as " + resolved.person->id + " in");
  redirect(r.response, "/review?done=" + job.id);
}

void registerDevice(ReviewRequest& r, const queue::Job& job) {
  auto device = unregisteredDeviceOf(job);
  if (!device) {
    return r.refuse(HTTPResponse::HTTP_BAD_REQUEST, "Not registered",
                    "This photo was not held for its device, or does not say which device took it.");
  }
  if (Status s = registerSchoolDevice(r.t, *device, r.session); !s) {
    return r.refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Not registered", s.error().message);
  }
  logDecision(r, job, "registered the camera of");
  redirect(r.response, "/review?done=" + job.id);
}

}  // namespace consentguard::service
