#include "register_api.h"

#include <Poco/JSON/Parser.h>
#include <Poco/StringTokenizer.h>

#include "consentguard/audit/audited_register.h"
#include "consentguard/common/dates.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

std::vector<std::string> segments(const std::string& path) {
  Poco::StringTokenizer parts(path, "/", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  return {parts.begin(), parts.end()};
}

Result<Poco::JSON::Object::Ptr> readJson(HTTPServerRequest& request) {
  std::string body(kMaxJsonBytes + 1, '\0');
  request.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
  body.resize(static_cast<size_t>(request.stream().gcount()));
  return parseJsonObject(body);
}

// Sends the error that fits: a person's mistake is 400/404, the database's is 503.
void sendProblem(HTTPServerResponse& response, const Error& error) {
  const auto status = error.code == "unknown_person" || error.code == "unknown_device"
                          ? HTTPResponse::HTTP_NOT_FOUND
                      : error.code == "database"         ? HTTPResponse::HTTP_SERVICE_UNAVAILABLE
                      : error.code == "duplicate_device" ? HTTPResponse::HTTP_CONFLICT
                                                         : HTTPResponse::HTTP_BAD_REQUEST;
  sendError(response, status, error.code, error.message);
}

Result<Poco::JSON::Object::Ptr> personJson(reg::RegisterStore& store, const reg::Person& p) {
  auto consents = store.consents(p.id);
  if (!consents) return consents.error();
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("id", p.id);
  json->set("role", reg::roleName(p.role));
  json->set("given_name", p.given_name);
  json->set("family_name", p.family_name);
  json->set("preferred_name", p.preferred_name);
  json->set("year_group", p.year_group);
  json->set("left_on", p.left_on);
  json->set("no_photo", p.no_photo);
  json->set("biometric_consent", reg::biometricName(p.biometric));
  Poco::JSON::Object consent;
  for (const auto& c : *consents) {
    Poco::JSON::Object entry;
    entry.set("status", reg::consentStatusName(c.status));
    entry.set("expires_on", c.expires_on);
    entry.set("withdrawn_on", c.withdrawn_on);
    consent.set(c.channel, entry);
  }
  json->set("consent", consent);
  return json;
}

void sendPerson(HTTPServerResponse& response, ThreadDatabase& t, const std::string& id,
                int reopened = -1) {
  auto person = t.store->findPerson(id);
  if (!person) return sendProblem(response, person.error());
  if (!*person) return sendProblem(response, reg::unknownPerson(id));
  auto json = personJson(*t.store, **person);
  if (!json) return sendProblem(response, json.error());
  if (reopened >= 0) (*json)->set("held_photos_rechecked", reopened);
  sendJson(response, HTTPResponse::HTTP_OK, **json);
}

void listPeople(HTTPServerResponse& response, ThreadDatabase& t) {
  auto people = t.store->people();
  if (!people) return sendProblem(response, people.error());
  Poco::JSON::Array list;
  for (const auto& p : *people) {
    auto json = personJson(*t.store, p);
    if (!json) return sendProblem(response, json.error());
    list.add(*json);
  }
  Poco::JSON::Object root;
  root.set("people", list);
  sendJson(response, HTTPResponse::HTTP_OK, root);
}

void putPerson(HTTPServerRequest& request, HTTPServerResponse& response, ThreadDatabase& t,
               const std::string& actor, const std::string& id) {
  auto body = readJson(request);
  if (!body) return sendProblem(response, body.error());
  auto existing = t.store->findPerson(id);
  if (!existing) return sendProblem(response, existing.error());
  reg::Person p = existing->value_or(reg::Person{});
  p.id = id;
  const Poco::JSON::Object& b = **body;
  const std::string role = b.optValue<std::string>("role", reg::roleName(p.role));
  if (role != "pupil" && role != "staff") {
    return sendProblem(response, makeError("bad_value", "role must be pupil or staff."));
  }
  p.role = role == "staff" ? reg::Role::kStaff : reg::Role::kPupil;
  p.given_name = b.optValue<std::string>("given_name", p.given_name);
  p.family_name = b.optValue<std::string>("family_name", p.family_name);
  p.preferred_name = b.optValue<std::string>("preferred_name", p.preferred_name);
  p.year_group = b.optValue<std::string>("year_group", p.year_group);
  p.left_on = b.optValue<std::string>("left_on", p.left_on);
  if (p.given_name.empty() || p.family_name.empty()) {
    return sendProblem(response,
                       makeError("bad_value", "given_name and family_name must not be empty."));
  }
  if (!p.left_on.empty() && !isIsoDate(p.left_on)) {
    return sendProblem(response, makeError("bad_value", "left_on must be a date, YYYY-MM-DD."));
  }
  if (Status s = audit::AuditedRegister(*t.store, actor).savePerson(p); !s)
    return sendProblem(response, s.error());
  sendPerson(response, t, id);
}

void putConsent(HTTPServerRequest& request, HTTPServerResponse& response, ThreadDatabase& t,
                const ServiceSettings& settings, const std::string& actor, const std::string& id,
                const std::string& channel) {
  auto body = readJson(request);
  if (!body) return sendProblem(response, body.error());
  if (!settings.policy.channel(channel)) {
    return sendProblem(response, policy::unknownChannel(channel, settings.policy));
  }
  if (!(*body)->has("granted") || !(*body)->get("granted").isBoolean()) {
    return sendProblem(response, makeError("bad_value", "granted must be true or false."));
  }
  const std::string expires = (*body)->optValue<std::string>("expires_on", "");
  if (!expires.empty() && !isIsoDate(expires)) {
    return sendProblem(response, makeError("bad_value", "expires_on must be a date, YYYY-MM-DD."));
  }
  if (Status s =
          audit::AuditedRegister(*t.store, actor)
              .setConsent(id, channel, (*body)->getValue<bool>("granted"), expires, todayIso());
      !s) {
    return sendProblem(response, s.error());
  }
  auto reopened = t.queue->reopenHeldPhotosOf(id);
  if (!reopened) return sendProblem(response, reopened.error());
  sendPerson(response, t, id, *reopened);
}

void putNoPhoto(HTTPServerRequest& request, HTTPServerResponse& response, ThreadDatabase& t,
                const std::string& actor, const std::string& id) {
  auto body = readJson(request);
  if (!body) return sendProblem(response, body.error());
  if (!(*body)->has("no_photo") || !(*body)->get("no_photo").isBoolean()) {
    return sendProblem(response, makeError("bad_value", "no_photo must be true or false."));
  }
  if (Status s = audit::AuditedRegister(*t.store, actor)
                     .setNoPhoto(id, (*body)->getValue<bool>("no_photo"),
                                 (*body)->optValue<std::string>("note", ""));
      !s) {
    return sendProblem(response, s.error());
  }
  auto reopened = t.queue->reopenHeldPhotosOf(id);
  if (!reopened) return sendProblem(response, reopened.error());
  sendPerson(response, t, id, *reopened);
}

Poco::JSON::Object deviceJson(const reg::Device& d) {
  Poco::JSON::Object json;
  json.set("id", d.id);
  json.set("make", d.make);
  json.set("model", d.model);
  json.set("serial", d.serial);
  json.set("description", d.description);
  return json;
}

void devices(const std::vector<std::string>& parts, HTTPServerRequest& request,
             HTTPServerResponse& response, ThreadDatabase& t, const std::string& actor) {
  const std::string method = request.getMethod();
  if (parts.size() == 1 && method == "GET") {
    auto all = t.store->devices();
    if (!all) return sendProblem(response, all.error());
    Poco::JSON::Array list;
    for (const auto& d : *all) list.add(deviceJson(d));
    Poco::JSON::Object root;
    root.set("devices", list);
    return sendJson(response, HTTPResponse::HTTP_OK, root);
  }
  if (parts.size() == 1 && method == "POST") {
    auto body = readJson(request);
    if (!body) return sendProblem(response, body.error());
    reg::Device d{0, (*body)->optValue<std::string>("make", ""),
                  (*body)->optValue<std::string>("model", ""),
                  (*body)->optValue<std::string>("serial", ""),
                  (*body)->optValue<std::string>("description", "")};
    auto id = audit::AuditedRegister(*t.store, actor).addDevice(d);
    if (!id) return sendProblem(response, id.error());
    d.id = *id;
    return sendJson(response, HTTPResponse::HTTP_CREATED, deviceJson(d));
  }
  if (parts.size() == 2 && method == "DELETE") {
    const std::string& n = parts[1];
    if (n.empty() || n.size() > 18 || n.find_first_not_of("0123456789") != std::string::npos) {
      return sendProblem(response, makeError("unknown_device", "There is no device " + n + "."));
    }
    if (Status s = audit::AuditedRegister(*t.store, actor).removeDevice(std::stoll(n)); !s) {
      return sendProblem(response, s.error());
    }
    response.setStatusAndReason(HTTPResponse::HTTP_NO_CONTENT);
    response.send().flush();
    return;
  }
  sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found", "There is no such route.");
}

}  // namespace

bool handleRegisterRoute(const std::string& path, HTTPServerRequest& request,
                         HTTPServerResponse& response, ThreadDatabase& t,
                         const ServiceSettings& settings, const std::string& actor) {
  const auto parts = segments(path);
  if (parts.empty() || (parts[0] != "people" && parts[0] != "devices")) return false;
  if (parts[0] == "devices") {
    devices(parts, request, response, t, actor);
    return true;
  }
  const std::string method = request.getMethod();
  if (parts.size() == 1 && method == "GET") {
    listPeople(response, t);
  } else if (parts.size() == 2 && method == "GET") {
    sendPerson(response, t, parts[1]);
  } else if (parts.size() == 2 && method == "PUT") {
    putPerson(request, response, t, actor, parts[1]);
  } else if (parts.size() == 4 && parts[2] == "consent" && method == "PUT") {
    putConsent(request, response, t, settings, actor, parts[1], parts[3]);
  } else if (parts.size() == 3 && parts[2] == "no-photo" && method == "PUT") {
    putNoPhoto(request, response, t, actor, parts[1]);
  } else {
    sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found", "There is no such route.");
  }
  return true;
}

}  // namespace consentguard::service
