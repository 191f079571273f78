#include "consentguard/check/photo_check.h"

#include <algorithm>
#include <cctype>

#include "check_parts.h"
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
  std::vector<policy::TextFacts> texts =
      publishedTexts(request.caption, request.alt_text, request.file_name);
  if (metadata) {
    for (const auto& field : metadata->text_fields) {
      texts.push_back({"the photo's metadata (" + field.name + ")", field.value, false});
    }
  }
  return texts;
}

bool mustNotAppear(const policy::PersonStanding& who) {
  return !who.is_staff && (who.no_photo || !who.consent_current);
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

Result<std::optional<policy::PersonStanding>> PhotoChecker::standingOf(const std::string& id,
                                                                       const std::string& channel,
                                                                       const std::string& today) {
  if (auto known = standings_.find(id); known != standings_.end()) return known->second;
  auto person = store_.findPerson(id);
  if (!person) return person.error();
  std::optional<policy::PersonStanding> standing;
  if (*person) {
    auto consent = store_.consent(id, channel);
    if (!consent) return consent.error();
    standing =
        policy::PersonStanding{(*person)->displayName(), (*person)->role == reg::Role::kStaff,
                               (*person)->no_photo, *consent && (*consent)->allowsOn(today)};
  }
  standings_[id] = standing;
  return standing;
}

Result<policy::FaceFacts> PhotoChecker::faceFacts(const faces::Match& match,
                                                  const std::string& channel,
                                                  const std::string& today, CheckedFace& out) {
  policy::FaceFacts facts;
  facts.identity = identityOf(match.outcome);
  out.distance = match.distance;
  // To permit, the strict test and a template that may permit (this pipeline, young enough).
  if (facts.identity == policy::Identity::kPerson && match.stale_template) {
    facts.identity = policy::Identity::kUnknown;
  }
  if (facts.identity == policy::Identity::kPerson) {
    auto standing = standingOf(match.person, channel, today);
    if (!standing) return standing.error();
    if (*standing) {
      facts.person_id = match.person;
      facts.standing = **standing;
    } else {
      facts.identity = policy::Identity::kUnknown;  // a template without a person: trust neither
    }
  }
  // To protect, a likely match is enough: the nearest person who must not appear and is a
  // plausible answer for this face (faces::mayBe: within the protect threshold and near the
  // face's best match), at any size and whatever the template. This is looked for even when
  // the strict test named someone allowed: a face that could be a no-photo pupil blocks.
  const bool sureProtected =
      facts.identity == policy::Identity::kPerson && mustNotAppear(facts.standing);
  for (const auto& near : match.people) {
    if (sureProtected || !faces::mayBe(match, near, matchOptions())) break;
    if (near.person == facts.person_id) continue;
    auto standing = standingOf(near.person, channel, today);
    if (!standing) return standing.error();
    if (!*standing || !mustNotAppear(**standing)) continue;
    facts.identity = policy::Identity::kLikely;
    facts.person_id = near.person;
    facts.standing = **standing;
    out.distance = near.distance;
    out.likely = true;
    break;
  }
  if (facts.identity == policy::Identity::kPerson || facts.identity == policy::Identity::kLikely) {
    out.person = facts.person_id;
    out.role = facts.standing.is_staff ? "staff" : "pupil";
  }
  return facts;
}

Result<faces::Matcher> PhotoChecker::matcher(const std::string& today) {
  auto templates = store_.templates();
  if (!templates) return templates.error();
  // Templates from a reference photo older than this may protect but not permit.
  const std::string oldest = monthsBefore(today, config_.template_max_age_months);
  std::vector<faces::EnrolledTemplate> enrolled;
  for (const auto& t : *templates) {
    const bool current = t.pipeline == engine_.pipelineVersion() && t.photo_date >= oldest;
    faces::EnrolledTemplate e{t.person_id, {}, current};
    std::copy_n(t.descriptor.begin(), std::min(t.descriptor.size(), e.descriptor.size()),
                e.descriptor.begin());
    enrolled.push_back(std::move(e));
  }
  return faces::Matcher(std::move(enrolled), matchOptions());
}

faces::MatchOptions PhotoChecker::matchOptions() const {
  return {config_.match_threshold, config_.match_margin, config_.protect_threshold,
          config_.protect_margin};
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

std::vector<policy::TextFacts> publishedTexts(const std::string& caption,
                                              const std::string& alt_text,
                                              const std::string& file_name) {
  std::vector<policy::TextFacts> texts;
  if (!caption.empty()) texts.push_back({"the caption", caption, true});
  if (!alt_text.empty()) texts.push_back({"the alt text", alt_text, true});
  if (!file_name.empty()) texts.push_back({"the file name", file_name, true});
  return texts;
}

Result<policy::Decision> PhotoChecker::decideAndRecord(policy::PhotoFacts& facts,
                                                       const std::string& file_name,
                                                       const std::string& today) {
  auto names = nameFinder();
  if (!names) return names.error();
  for (const auto& text : facts.texts) {
    for (const auto& hit : names->find(text.text)) {
      auto standing = standingOf(hit.person_id, facts.channel, today);
      if (!standing) return standing.error();
      if (*standing) facts.named[hit.person_id] = **standing;
    }
  }
  policy::Decision decision = policy::decide(config_, facts, *names);
  for (const auto& incident : decision.incidents) {
    if (Status s = store_.recordIncident(incident.person_id, facts.channel, incident.code,
                                         file_name, incident.evidence);
        !s) {
      return s.error();
    }
  }
  return decision;
}

Result<CheckResult> PhotoChecker::check(const CheckRequest& request) {
  if (!config_.channel(request.channel)) return policy::unknownChannel(request.channel, config_);
  const std::string today = today_.empty() ? todayIso() : today_;
  CheckResult result;
  standings_.clear();  // the register as it stands at this check
  policy::PhotoFacts facts;
  facts.channel = request.channel;

  // One read of the file (issue 23): the faces, the rules and the sanitiser all use this value.
  const auto photo = image::parsePhoto(request.bytes, limits_);
  if (!photo) {
    facts.readable = false;
    facts.unreadable_message = photo.error().message;
  } else {
    result.metadata = photo->metadata;
    auto matcher = this->matcher(today);
    if (!matcher) return matcher.error();
    for (const auto& found : engine_.analyse(photo->image.rgb)) {
      CheckedFace face;
      face.box = found.box;
      const faces::Match match =
          applyIdentification(found, request, faces::identify(found, *matcher), face);
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

  auto decision = decideAndRecord(facts, request.file_name, today);
  if (!decision) return decision.error();
  result.decision = std::move(decision.value());
  for (size_t i = 0; i < result.faces.size(); ++i) {
    result.faces[i].status = result.decision.faces[i].status;
  }

  if (result.decision.verdict == policy::Verdict::kPublish) {
    auto clean = photo ? image::sanitise(*photo, config_.heic_jpeg_quality)
                       : Result<image::SanitisedPhoto>(photo.error());
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
