#include "review_facts.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "consentguard/common/text.h"
#include "consentguard/service/outcome_writer.h"

namespace consentguard::service {

Poco::JSON::Object::Ptr resultOf(const queue::Job& job) {
  Poco::JSON::Parser parser;
  return parser.parse(job.result_json).extract<Poco::JSON::Object::Ptr>();
}

std::vector<HeldFace> facesOf(const queue::Job& job) {
  std::vector<HeldFace> faces;
  try {
    auto root = resultOf(job);
    auto array = root->has("people") ? root->getArray("people") : root->getArray("faces");
    for (size_t i = 0; array && i < array->size(); ++i) {
      auto f = array->getObject(i);
      auto b = f->getObject("box");
      faces.push_back(
          {{b->getValue<int>("x"), b->getValue<int>("y"), b->getValue<int>("w"),
            b->getValue<int>("h")},
           f->isNull("person") ? "" : f->getValue<std::string>("person"),
           f->getValue<std::string>("status"),
           f->has("likely_match") && f->getValue<bool>("likely_match"),
           f->has("distance") && !f->isNull("distance") ? f->getValue<double>("distance") : 0.0,
           {}});
      if (auto seen = f->getArray("seen")) {
        for (size_t k = 0; k < seen->size(); ++k) {
          auto stretch = seen->getArray(k);
          faces.back().seen.emplace_back(stretch->getElement<double>(0),
                                         stretch->getElement<double>(1));
        }
      }
    }
  } catch (const Poco::Exception&) {
    faces.clear();
  }
  return faces;
}

std::vector<std::string> metadataNamesOf(const queue::Job& job) {
  std::vector<std::string> names;
  try {
    auto array = resultOf(job)->getArray("metadata_names");
    for (size_t i = 0; array && i < array->size(); ++i) {
      auto n = array->getObject(i);
      names.push_back(n->getValue<std::string>("name") + ", in " +
                      n->getValue<std::string>("where"));
    }
  } catch (const Poco::Exception&) {
    names.push_back("(the names could not be read)");
  }
  return names;
}

std::optional<reg::Device> unregisteredDeviceOf(const queue::Job& job) {
  try {
    auto root = resultOf(job);
    bool held = false;
    auto reasons = root->getArray("reasons");
    for (size_t i = 0; reasons && i < reasons->size(); ++i) {
      held |= reasons->getObject(i)->getValue<std::string>("code") == "unregistered_device";
    }
    auto metadata = root->getObject("metadata");
    if (!held || !metadata) return std::nullopt;
    reg::Device d{0, metadata->optValue<std::string>("camera_make", ""),
                  metadata->optValue<std::string>("camera_model", ""),
                  metadata->optValue<std::string>("camera_serial", ""),
                  "registered from a held photo"};
    if (trimSpace(d.make).empty() || trimSpace(d.model).empty()) return std::nullopt;
    return d;
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

bool isCoverable(const queue::Job& job) {
  if (job.state != queue::JobState::kDone || job.verdict != "block" ||
      !job.decision.decision.empty()) {
    return false;
  }
  std::error_code ec;
  return blockedOnlyForFaces(job) && std::filesystem::exists(job.original, ec);
}

std::vector<std::string> reasonsOf(const queue::Job& job) { return recordedReasons(job); }

bool coveredCopyWorthwhile(const queue::Job& job) {
  const auto faces = facesOf(job);
  return std::any_of(faces.begin(), faces.end(),
                     [](const HeldFace& f) { return mayBePublished(f.status); });
}

std::string childLimitSentence(const policy::PolicyConfig& policy, const std::string& channel) {
  const policy::ChannelPolicy* c = policy.channel(channel);
  const int most = c ? c->max_children : 1;
  std::string label = channel;
  for (char& ch : label) {
    if (ch == '_') ch = ' ';
  }
  return "The " + label + " channel allows at most " + std::to_string(most) +
         (most == 1 ? " child" : " children") +
         " in a photo. Staff and covered faces do not count, so cover enough children's faces "
         "to keep within that.";
}

bool mayBePublished(const std::string& status) {
  return status == "consented" || status == "staff";
}

std::string faceLabel(const HeldFace& face, reg::RegisterStore& store) {
  std::string name;
  if (!face.person.empty()) {
    auto person = store.findPerson(face.person);
    name = person && *person ? (*person)->displayName() : face.person;
  }
  // A likely match is said in words: a head teacher cannot weigh a raw distance.
  if (face.likely) {
    if (face.status == "no_photo") return "Possibly NO PHOTO: " + name;
    return "Possibly no consent for this channel: " + name;
  }
  if (face.status == "no_photo") return "NO PHOTO: " + name;
  if (face.status == "no_consent") return "No consent for this channel: " + name;
  if (face.status == "same_person_twice")
    return "Unknown (matched " + name + ", who is matched to another face too)";
  if (face.status == "staff") return name + " (staff)";
  if (face.status == "consented") return name;
  if (face.status == "ambiguous") return "Unknown (could be more than one person)";
  if (face.status == "too_small") return "Unknown (too small to recognise)";
  return "Unknown";
}

// A held photo's reasons are all ones the channel's policy lets SLT decide (the policy holds
// rather than blocks exactly then); the faces are checked as well.
bool mayApprove(const queue::Job& job) {
  if (job.state != queue::JobState::kDone || job.verdict != "review") return false;
  for (const auto& face : facesOf(job)) {
    if (face.status == "no_photo" || face.status == "no_consent") return false;
  }
  return true;
}

void addNotWaiting(ctemplate::TemplateDictionary& page, const queue::Job& job) {
  auto* waiting = page.AddSectionDictionary("NOT_WAITING");
  if (!job.decision.decision.empty()) {
    auto* decided = waiting->AddSectionDictionary("DECIDED");
    decided->SetValue("DECISION", job.decision.decision);
    decided->SetValue("BY", job.decision.by.substr(job.decision.by.find(':') + 1));
  }
}

}  // namespace consentguard::service
