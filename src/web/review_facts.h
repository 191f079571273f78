// What the review pages read from a checked job's result (its result_json): the faces (of a
// photo) or the people (of a video) with their boxes and labels, the reasons, the names found
// in its own details, the unregistered camera, and which decisions the policy allows.
// Free functions; thread-safe. A result that cannot be read gives nothing to approve.
#pragma once

#include <Poco/JSON/Object.h>
#include <ctemplate/template.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "consentguard/policy/policy_config.h"
#include "consentguard/queue/job_queue.h"
#include "consentguard/register/register_store.h"

namespace consentguard::service {

struct HeldFace {
  queue::FaceBox box;  // a video's: in the frame it was seen best
  std::string person, status;
  bool likely = false;    // possibly `person`, who must not appear (not a sure match)
  double distance = 0.0;  // to `person`
  std::vector<std::pair<double, double>> seen;  // a video's: seconds from, to
};

Poco::JSON::Object::Ptr resultOf(const queue::Job& job);
// A photo's faces, or a video's people.
std::vector<HeldFace> facesOf(const queue::Job& job);
// "Raj Koothrappali, in the photo's metadata (XMP PersonInImage)", for SLT: never published.
std::vector<std::string> metadataNamesOf(const queue::Job& job);
// The camera the metadata names, when it was held for being from an unregistered one.
std::optional<reg::Device> unregisteredDeviceOf(const queue::Job& job);
// Blocked by the rules only for faces, and not decided since: a covered copy may be published.
bool isCoverable(const queue::Job& job);
// Some face would still show in a covered copy: one that covers every face is pointless.
bool coveredCopyWorthwhile(const queue::Job& job);
// What the channel allows, said before a covered copy is made ("at most 1 child in a photo").
std::string childLimitSentence(const policy::PolicyConfig& policy, const std::string& channel);
std::vector<std::string> reasonsOf(const queue::Job& job);
bool mayBePublished(const std::string& status);
// "NO PHOTO: Howard Wolowitz", "Possibly NO PHOTO: Howard Wolowitz" (a likely match: no raw
// distance on a page), "Unknown (too small to recognise)", ...
std::string faceLabel(const HeldFace& face, reg::RegisterStore& store);
// Only what the rules put to a person may be approved: a held job with no face (or person)
// who must not appear.
bool mayApprove(const queue::Job& job);

// The page's NOT_WAITING section: this job is not waiting for a decision, and who decided it.
void addNotWaiting(ctemplate::TemplateDictionary& page, const queue::Job& job);

}  // namespace consentguard::service
