// The DSL's incidents page (/incidents): possible incidents waiting for a decision, each with
// the face from the stored original (/incidents/{n}/face.jpg) and two forms, "it is them"
// (/incidents/{n}/confirm) and "not them" (/incidents/{n}/dismiss); then the incidents, the
// dismissed ones, and the no-photo list with its restricted notes (each viewing is audited).
// A decision is audited with the change (audit::AuditedRegister::decideIncident) and never
// touches the photo: a dismissed likely match leaves it blocked or held as the checks did.
#include <Poco/URI.h>


#include "consentguard/audit/audit_log.h"
#include "consentguard/audit/audited_register.h"
#include "consentguard/audit/term_report.h"
#include "consentguard/image/image_loader.h"
#include "page_templates.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

std::string what(const std::string& code) {
  return code == "no_photo" ? "On the no-photo list" : "No consent for this channel";
}

std::string nameOf(reg::RegisterStore& store, const std::string& id) {
  auto person = store.findPerson(id);
  return person && *person ? (*person)->displayName() : "(no longer in the register)";
}

// "dee.dsl" from the actor "user:dee.dsl".
std::string who(const std::string& actor) { return actor.substr(actor.find(':') + 1); }

// Why there is no face to show, in words; empty when there is one.
std::string noFaceReason(const reg::Incident& i, queue::JobQueue& queue) {
  if (i.evidence == "named_in_metadata") return "Named in the photo's own details, not a face.";
  if (i.job_id.empty()) {
    return "No face to show: the photo was checked on the command line, or before Consent Guard "
           "kept the face with each incident.";
  }
  if (i.box.empty()) return "A video: open it to see the person.";
  auto job = queue.find(i.job_id);
  if (!job || !*job || !std::filesystem::exists((*job)->original)) {
    return "The photo has been deleted (the retention period has passed).";
  }
  return "";
}

void addPossible(ctemplate::TemplateDictionary& page, ctemplate::TemplateDictionary*& table,
                 const reg::Incident& i, ThreadDatabase& t, const Session& session) {
  if (!table) table = page.AddSectionDictionary("ANY_POSSIBLE");
  auto* row = table->AddSectionDictionary("POSSIBLE");
  row->SetIntValue("ID", static_cast<long>(i.id));
  row->SetValue("NAME", nameOf(*t.store, i.person_id));
  row->SetValue("PERSON_ID", i.person_id);
  row->SetValue("CHANNEL", i.channel);
  row->SetValue("WHAT", what(i.code));
  row->SetValue("WHEN", readableTime(i.occurred_at));
  row->SetValue("PHOTO", i.photo);
  row->SetValue("CSRF", session.csrf_token);
  if (!i.job_id.empty()) row->AddSectionDictionary("JOB")->SetValue("JOB_ID", i.job_id);
  if (const std::string why = noFaceReason(i, *t.queue); why.empty()) {
    row->ShowSection("FACE");
  } else {
    row->AddSectionDictionary("NO_FACE")->SetValue("WHY", why);
  }
}

void addIncidents(ctemplate::TemplateDictionary& page, ThreadDatabase& t, const Session& session) {
  auto incidents = t.store->incidents();
  if (!incidents) return page.ShowSection("INCIDENTS_ERROR");
  ctemplate::TemplateDictionary *possible = nullptr, *confirmed = nullptr, *dismissed = nullptr;
  for (const auto& i : *incidents) {
    if (i.status == "possible") {
      addPossible(page, possible, i, t, session);
      continue;
    }
    const bool isDismissed = i.status == "dismissed";
    auto*& table = isDismissed ? dismissed : confirmed;
    if (!table) table = page.AddSectionDictionary(isDismissed ? "ANY_DISMISSED" : "ANY_INCIDENTS");
    auto* row = table->AddSectionDictionary(isDismissed ? "DISMISSED" : "INCIDENT");
    row->SetIntValue("ID", static_cast<long>(i.id));
    row->SetValue("WHEN", readableTime(i.occurred_at));
    row->SetValue("NAME", nameOf(*t.store, i.person_id));
    row->SetValue("PERSON_ID", i.person_id);
    row->SetValue("CHANNEL", i.channel);
    row->SetValue("WHAT", what(i.code));
    row->SetValue("PHOTO", i.photo);
    row->SetValue("BY", who(i.decided_by));
    row->SetValue("DECIDED", readableTime(i.decided_at));
    row->SetValue("HOW", audit::evidenceLabel(i.evidence) +
                             (i.decided_by.empty() ? "" : "; confirmed by " + who(i.decided_by)));
  }
  if (!confirmed) page.ShowSection("NO_INCIDENTS");
}

void addNoPhotoList(ctemplate::TemplateDictionary& page, reg::RegisterStore& store) {
  auto people = store.people();
  if (!people) return page.ShowSection("REGISTER_ERROR");
  for (const auto& p : *people) {
    if (!p.no_photo) continue;
    auto note = store.noPhotoNote(p.id);
    auto* row = page.AddSectionDictionary("NO_PHOTO");
    row->SetValue("NAME", p.displayName());
    row->SetValue("ID", p.id);
    row->SetValue("NOTE", note ? *note : "(could not be read)");
  }
}

// What became of a decision, from the incident's record (never text from the address).
std::string doneNotice(const std::string& value, ThreadDatabase& t) {
  if (value.empty() || value.size() > 18 ||
      value.find_first_not_of("0123456789") != std::string::npos)
    return "";
  auto incident = t.store->incident(std::stoll(value));
  if (!incident || !*incident || (*incident)->status == "possible") return "";
  const reg::Incident& i = **incident;
  const std::string name = nameOf(*t.store, i.person_id);
  if (i.status == "confirmed") {
    return "Confirmed: " + name + " was in " + i.photo +
           ". It is recorded as an incident and counts in the termly report.";
  }
  std::string stays = "stays as it was: dismissing does not change it.";
  if (auto job = t.queue->find(i.job_id); job && *job) {
    const std::string& verdict = (*job)->verdict;
    if (verdict == "block") stays = "stays blocked: dismissing does not publish it.";
    if (verdict == "review") {
      stays = "stays held for a senior leader: dismissing does not publish it.";
    }
  }
  return "Dismissed: the face in " + i.photo + " is not " + name +
         ". It is not counted as an incident. The photo " + stays;
}

void list(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
          ThreadDatabase& t, const Session& session, const ServiceSettings& settings) {
  // Reading the restricted notes is itself recorded.
  (void)audit::AuditLog(t.store->database())
      .append(actorOf(session), "restricted_notes_viewed", "no-photo list");
  ctemplate::TemplateDictionary page("incidents");
  for (const auto& [name, value] : Poco::URI(request.getURI()).getQueryParameters()) {
    if (name != "done") continue;
    if (const std::string text = doneNotice(value, t); !text.empty()) {
      page.AddSectionDictionary("DONE")->SetValue("TEXT", text);
    }
  }
  if (const int overdue = overdueTakedowns(t.store->database(), settings.takedown_days)) {
    auto* late = page.AddSectionDictionary("OVERDUE");
    late->SetIntValue("COUNT", overdue);
    late->SetIntValue("DAYS", settings.takedown_days);
  }
  addIncidents(page, t, session);
  addNoPhotoList(page, *t.store);
  sendPage(response, HTTPResponse::HTTP_OK, "Incidents", renderPage("incidents.tpl", page),
           &session);
}

// The face with some of what is around it, upright, at most 320 px across (small faces are
// enlarged, so that the DSL can judge them).
void sendFace(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t, const Session& session,
              std::int64_t id) {
  const auto refuse = [&](const std::string& message) {
    sendMessagePage(response, HTTPResponse::HTTP_NOT_FOUND, "No face to show", message, &session);
  };
  auto incident = t.store->incident(id);
  if (!incident || !*incident) return refuse("There is no incident with this number.");
  const reg::Incident& i = **incident;
  const auto box = queue::parseBoxKey(i.box);
  std::optional<queue::Job> job;
  if (auto found = t.queue->find(i.job_id); box && found) job = std::move(found.value());
  if (!box || !job) return refuse("This incident has no face in a kept photo.");
  auto bytes = image::readFileBytes(job->original);
  auto decoded = bytes ? image::decodeImage(*bytes) : Result<image::UprightImage>(bytes.error());
  if (!decoded) return refuse("The photo can no longer be read: " + decoded.error().message);
  const cv::Mat& rgb = decoded->rgb;
  // Half the face's size again on every side.
  const int padX = box->w / 2, padY = box->h / 2;
  const cv::Rect area =
      cv::Rect(box->x - padX, box->y - padY, box->w + 2 * padX, box->h + 2 * padY) &
      cv::Rect(0, 0, rgb.cols, rgb.rows);
  if (area.empty()) return refuse("The face's place is outside the photo.");
  sendJpeg(response, rgb(area), 320, /*enlarge=*/true);
}

void decide(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t, const Session& session,
            std::int64_t id, bool confirmed) {
  audit::AuditedRegister audited(*t.store, actorOf(session));
  if (Status s = audited.decideIncident(id, confirmed); !s) {
    const std::string& code = s.error().code;
    return sendMessagePage(response,
                           code == "not_found"         ? HTTPResponse::HTTP_NOT_FOUND
                           : code == "already_decided" ? HTTPResponse::HTTP_CONFLICT
                                                       : HTTPResponse::HTTP_SERVICE_UNAVAILABLE,
                           "Not done", s.error().message, &session);
  }
  redirect(response, "/incidents?done=" + std::to_string(id));
}

}  // namespace

bool handleIncidentsRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                          const ServiceSettings& settings) {
  const std::string prefix = "/incidents";
  if (path.rfind(prefix, 0) != 0) return false;
  const std::string rest = path.substr(prefix.size());
  const bool post = request.getMethod() == "POST";
  if (rest.empty()) {
    if (post) return false;
    auto session = requireSession(request, response, t, canSeeIncidents);
    if (session) list(request, response, t, *session, settings);
    return true;
  }
  // /incidents/{n}/face.jpg, /incidents/{n}/confirm, /incidents/{n}/dismiss
  const size_t slash = rest.find('/', 1);
  if (rest[0] != '/' || slash == std::string::npos) return false;
  const std::string number = rest.substr(1, slash - 1), action = rest.substr(slash + 1);
  if (number.empty() || number.size() > 18 ||
      number.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  const bool face = !post && action == "face.jpg";
  const bool decision = post && (action == "confirm" || action == "dismiss");
  if (!face && !decision) return false;
  Poco::Net::HTMLForm form;
  auto session = requireSession(request, response, t, canSeeIncidents, &form);
  if (!session) return true;
  if (face) {
    sendFace(response, t, *session, std::stoll(number));
  } else {
    decide(response, t, *session, std::stoll(number), action == "confirm");
  }
  return true;
}

}  // namespace consentguard::service
