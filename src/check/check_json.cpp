#include "consentguard/check/check_json.h"

#include <Poco/JSON/Array.h>

#include <cmath>

namespace consentguard::check {
namespace {

Poco::JSON::Object::Ptr metadataJson(const image::PhotoMetadata& m) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("camera_make", m.camera_make);
  json->set("camera_model", m.camera_model);
  json->set("camera_serial", m.camera_serial);
  json->set("gps", m.has_gps);
  json->set("date_taken", m.date_taken);
  json->set("software", m.software);
  json->set("orientation", m.orientation);
  Poco::JSON::Array texts, blocks;
  for (const auto& field : m.text_fields) {
    Poco::JSON::Object text;
    text.set("field", field.name);
    text.set("value", field.value);
    texts.add(text);
  }
  for (const auto& block : m.blocks) blocks.add(block);
  json->set("text_fields", texts);
  json->set("blocks", blocks);
  return json;
}

Poco::Dynamic::Var textOrNull(const std::string& text) {
  return text.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(text);
}

Poco::JSON::Array reasonsJson(const policy::Decision& decision) {
  Poco::JSON::Array reasons;
  for (const auto& r : decision.reasons) {
    Poco::JSON::Object json;
    json.set("code", r.code);
    json.set("message", r.message);
    reasons.add(json);
  }
  return reasons;
}

}  // namespace

Poco::JSON::Object::Ptr boxJson(const cv::Rect& box) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("x", box.x);
  json->set("y", box.y);
  json->set("w", box.width);
  json->set("h", box.height);
  return json;
}

Poco::JSON::Object::Ptr resultJson(const CheckResult& result) {
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
  root->set("verdict", policy::verdictName(result.decision.verdict));
  Poco::JSON::Array faces;
  for (const auto& f : result.faces) {
    Poco::JSON::Object json;
    json.set("box", boxJson(f.box));
    json.set("person", textOrNull(f.person));
    json.set("role", textOrNull(f.role));
    json.set("distance",
             std::isfinite(f.distance) ? Poco::Dynamic::Var(f.distance) : Poco::Dynamic::Var());
    json.set("status", f.status);
    if (f.identified_by_slt) json.set("identified_by_slt", true);
    if (f.likely) json.set("likely_match", true);
    faces.add(json);
  }
  root->set("reasons", reasonsJson(result.decision));
  root->set("faces", faces);
  // Blocked only for faces: a senior leader may publish a covered copy (policy::Decision).
  root->set("coverable", result.decision.coverable);
  Poco::JSON::Array named;
  for (const auto& n : result.decision.metadata_names) {
    Poco::JSON::Object json;
    json.set("person", n.hit.person_id);
    json.set("name", n.hit.name);
    json.set("where", n.where);
    named.add(json);
  }
  root->set("metadata_names", named);
  if (result.metadata) root->set("metadata", metadataJson(*result.metadata));
  return root;
}

Poco::JSON::Object::Ptr videoResultJson(const VideoCheckResult& result) {
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
  root->set("verdict", policy::verdictName(result.decision.verdict));
  Poco::JSON::Array people;
  for (const auto& p : result.people) {
    Poco::JSON::Object json;
    json.set("person", textOrNull(p.face.person));
    json.set("role", textOrNull(p.face.role));
    json.set("status", p.face.status);
    json.set("distance", std::isfinite(p.face.distance) ? Poco::Dynamic::Var(p.face.distance)
                                                        : Poco::Dynamic::Var());
    if (p.face.likely) json.set("likely_match", true);
    json.set("box", boxJson(p.face.box));
    json.set("best_ms", p.best_ms);
    Poco::JSON::Array seen;
    for (const auto& [from, to] : p.seen) {
      Poco::JSON::Array stretch;
      stretch.add(from);
      stretch.add(to);
      seen.add(stretch);
    }
    json.set("seen", seen);
    people.add(json);
  }
  root->set("reasons", reasonsJson(result.decision));
  root->set("people", people);
  root->set("frames_sampled", result.frames_sampled);
  if (result.info) {
    root->set("seconds", result.info->seconds);
    root->set("rotation", result.info->rotation);
    // For SLT's page (registering the camera); the API leaves it out, as for photos.
    Poco::JSON::Object camera;
    camera.set("camera_make", result.info->camera_make);
    camera.set("camera_model", result.info->camera_model);
    root->set("metadata", camera);
  }
  return root;
}

}  // namespace consentguard::check
