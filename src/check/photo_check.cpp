#include "consentguard/check/photo_check.h"

#include <algorithm>
#include <cctype>

#include "consentguard/common/dates.h"
#include "consentguard/common/text.h"

namespace consentguard::check {
namespace {

// Cameras pad and capitalise inconsistently ("Canon" vs "CANON "), so compare loosely.
bool sameText(const std::string& a, const std::string& b) {
  return toLowerAscii(trimSpace(a)) == toLowerAscii(trimSpace(b));
}

policy::Identity identityOf(faces::MatchOutcome outcome) {
  switch (outcome) {
    case faces::MatchOutcome::kRecognised:
      return policy::Identity::kPerson;
    case faces::MatchOutcome::kAmbiguous:
      return policy::Identity::kAmbiguous;
    case faces::MatchOutcome::kTooSmall:
      return policy::Identity::kTooSmall;
    case faces::MatchOutcome::kUnknown:
      break;
  }
  return policy::Identity::kUnknown;
}

std::vector<policy::TextFacts> textsOf(const CheckRequest& request,
                                       const image::PhotoMetadata* metadata) {
  std::vector<policy::TextFacts> texts;
  if (!request.caption.empty()) texts.push_back({"the caption", request.caption});
  if (!request.alt_text.empty()) texts.push_back({"the alt text", request.alt_text});
  if (!request.file_name.empty()) texts.push_back({"the file name", request.file_name});
  if (metadata) {
    for (const auto& field : metadata->text_fields) {
      texts.push_back({"the photo's metadata (" + field.name + ")", field.value});
    }
  }
  return texts;
}

// Boxes from the same photo and detector agree closely; half the union is ample.
bool sameFace(const cv::Rect& a, const cv::Rect& b) {
  const double overlap = (a & b).area();
  return overlap > 0.5 * (a.area() + b.area() - overlap);
}

// A face found where a senior leader identified one counts as that person. No template is made
// from it: templates of faces in submitted photos are never stored (see DESIGN.md).
faces::Match applyIdentification(const faces::FoundFace& found, const CheckRequest& request,
                                 faces::Match match, CheckedFace& out) {
  const auto slt = std::find_if(request.identified.begin(), request.identified.end(),
                                [&](const auto& id) { return sameFace(id.first, found.box); });
  if (slt == request.identified.end()) return match;
  out.identified_by_slt = true;
  match.outcome = faces::MatchOutcome::kRecognised;
  match.person = slt->second;
  return match;
}

}  // namespace

PhotoChecker::PhotoChecker(faces::FaceEngine& engine, reg::RegisterStore& store,
                           policy::PolicyConfig config, image::LoadLimits limits, std::string today)
    : engine_(engine),
      store_(store),
      config_(std::move(config)),
      limits_(limits),
      today_(std::move(today)) {}

Result<policy::FullNameFinder> PhotoChecker::nameFinder() {
  auto people = store_.people();
  if (!people) return people.error();
  std::vector<policy::PersonName> names;
  for (const auto& p : *people) {
    names.push_back({p.id, p.given_name, p.preferred_name, p.family_name});
  }
  return policy::FullNameFinder(names);
}

Result<policy::FaceFacts> PhotoChecker::faceFacts(const faces::Match& match,
                                                  const std::string& channel,
                                                  const std::string& today, CheckedFace& out) {
  policy::FaceFacts facts;
  facts.identity = identityOf(match.outcome);
  out.distance = match.distance;
  if (facts.identity != policy::Identity::kPerson) return facts;
  auto person = store_.findPerson(match.person);
  if (!person) return person.error();
  if (!*person) {
    facts.identity = policy::Identity::kUnknown;  // a template without a person: trust neither
    return facts;
  }
  auto consent = store_.consent(match.person, channel);
  if (!consent) return consent.error();
  facts.person_id = (*person)->id;
  facts.display_name = (*person)->displayName();
  facts.is_staff = (*person)->role == reg::Role::kStaff;
  facts.no_photo = (*person)->no_photo;
  facts.consent_current = *consent && (*consent)->allowsOn(today);
  // A template made by another face pipeline never permits a face (its distances were measured
  // for other chips); it still protects a pupil who must not appear. Enrolling again mends it.
  if (match.stale_template && !facts.no_photo && facts.consent_current) {
    facts = policy::FaceFacts{};
    facts.identity = policy::Identity::kUnknown;
    return facts;
  }
  out.person = facts.person_id;
  out.role = reg::roleName((*person)->role);
  return facts;
}

Result<policy::DeviceFacts> PhotoChecker::deviceFacts(const image::PhotoMetadata& metadata) {
  policy::DeviceFacts device{metadata.camera_make, metadata.camera_model, metadata.camera_serial,
                             false};
  if (!config_.device_check || device.make.empty() || device.model.empty()) return device;
  auto devices = store_.devices();
  if (!devices) return devices.error();
  device.registered = std::any_of(devices->begin(), devices->end(), [&](const reg::Device& d) {
    return sameText(d.make, device.make) && sameText(d.model, device.model) &&
           (d.serial.empty() || sameText(d.serial, device.serial));
  });
  return device;
}

Result<CheckResult> PhotoChecker::check(const CheckRequest& request) {
  if (!config_.channel(request.channel)) return policy::unknownChannel(request.channel, config_);
  const std::string today = today_.empty() ? todayIso() : today_;
  CheckResult result;
  policy::PhotoFacts facts;
  facts.channel = request.channel;

  auto image = image::decodeImage(request.bytes, limits_);
  if (image) {
    auto metadata = image::readMetadata(request.bytes);
    if (metadata) {
      result.metadata = std::move(metadata.value());
    } else {
      image = metadata.error();
    }
  }
  if (!image) {
    facts.readable = false;
    facts.unreadable_message = image.error().message;
  } else {
    auto templates = store_.templates();
    if (!templates) return templates.error();
    std::vector<faces::EnrolledTemplate> enrolled;
    for (const auto& t : *templates) {
      faces::EnrolledTemplate e{t.person_id, {}, t.pipeline == engine_.pipelineVersion()};
      std::copy_n(t.descriptor.begin(), std::min(t.descriptor.size(), e.descriptor.size()),
                  e.descriptor.begin());
      enrolled.push_back(std::move(e));
    }
    const faces::Matcher matcher(std::move(enrolled),
                                 {config_.match_threshold, config_.match_margin});
    for (const auto& found : engine_.analyse(image->rgb)) {
      CheckedFace face;
      face.box = found.box;
      const faces::Match match =
          applyIdentification(found, request, faces::identify(found, matcher), face);
      auto faceFact = faceFacts(match, request.channel, today, face);
      if (!faceFact) return faceFact.error();
      facts.faces.push_back(std::move(faceFact.value()));
      result.faces.push_back(std::move(face));
    }
    auto device = deviceFacts(*result.metadata);
    if (!device) return device.error();
    facts.device = std::move(device.value());
  }
  facts.texts = textsOf(request, result.metadata ? &*result.metadata : nullptr);

  auto names = nameFinder();
  if (!names) return names.error();
  result.decision = policy::decide(config_, facts, *names);
  for (size_t i = 0; i < result.faces.size(); ++i) {
    result.faces[i].status = result.decision.faces[i].status;
  }

  for (const auto& reason : result.decision.reasons) {
    if (reason.code != "no_photo" && reason.code != "no_consent") continue;
    for (const auto& person : reason.people) {
      if (Status s = store_.recordIncident(person, request.channel, reason.code, request.file_name);
          !s) {
        return s.error();
      }
    }
  }

  if (result.decision.verdict == policy::Verdict::kPublish) {
    auto clean = image::sanitise(request.bytes, limits_);
    if (clean) {
      result.published = std::move(clean.value());
    } else {
      result.decision.verdict = policy::Verdict::kBlock;
      result.decision.reasons.push_back(
          {"not_clean",
           "The photo's hidden details (location, camera, captions) could not be removed "
           "safely, so it cannot be published. Export the photo again and resubmit it.",
           policy::Verdict::kBlock,
           {}});
    }
  }
  return result;
}

}  // namespace consentguard::check
