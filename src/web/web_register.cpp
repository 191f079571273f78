// The consent register in the browser: /register (search and filters) and a person's page
// (/register/{id}) with consent per channel and its history, the no-photo list, biometric
// consent and leaving. The admin changes the register; the DSL sees it, changes the no-photo
// list and alone sees and edits its restricted notes; other roles may not open it. Every change
// goes through audit::AuditedRegister (one transaction with its audit entry) and then re-checks
// the person's held photos and raises takedowns at once, as the commands do.
#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <map>

#include "consentguard/audit/audit_log.h"
#include "consentguard/audit/audited_register.h"
#include "consentguard/common/dates.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/queue/job_queue.h"
#include "consentguard/register/register_store.h"
#include "consentguard/service/takedown_files.h"
#include "page_templates.h"
#include "person_history.h"
#include "register_notices.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

struct Filters {
  std::string q, year, channel, consent, biometric, enrolled;
  bool no_photo = false;
};

Filters filtersOf(const Poco::Net::HTTPServerRequest& request) {
  Filters f;
  for (const auto& [name, value] : Poco::URI(request.getURI()).getQueryParameters()) {
    const std::string v = value.substr(0, 100);
    if (name == "q") f.q = v;
    if (name == "year") f.year = v;
    if (name == "channel") f.channel = v;
    if (name == "consent") f.consent = v;
    if (name == "biometric") f.biometric = v;
    if (name == "enrolled") f.enrolled = v;
    if (name == "no_photo") f.no_photo = v == "1";
  }
  return f;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "yes", "no", "expired" and words for a person's consent on a channel today.
std::pair<std::string, std::string> consentState(const std::optional<reg::ChannelConsent>& c,
                                                 const std::string& today) {
  if (!c) return {"no", "not recorded"};
  if (c->allowsOn(today)) {
    return {"yes", c->expires_on.empty() ? "given" : "given until " + c->expires_on};
  }
  if (c->status == reg::ConsentStatus::kGranted) return {"expired", "expired " + c->expires_on};
  if (c->status == reg::ConsentStatus::kWithdrawn) return {"no", "withdrawn " + c->withdrawn_on};
  return {"no", "refused"};
}

// Biometric consent in words: "given", "not given", "withdrawn", "objected to by the pupil".
std::string biometricWords(reg::Biometric b) {
  switch (b) {
    case reg::Biometric::kGiven: return "given";
    case reg::Biometric::kWithdrawn: return "withdrawn";
    case reg::Biometric::kObjected: return "objected to by the pupil";
    case reg::Biometric::kNotGiven: break;
  }
  return "not given";
}

// "Pupil in Year 5" (the MIS may say "5" or "Year 5"), "Pupil in Reception", "Staff".
std::string whoTheyAre(const reg::Person& p) {
  if (p.role == reg::Role::kStaff) return "Staff";
  if (p.year_group.empty()) return "Pupil";
  const bool digits = p.year_group.find_first_not_of("0123456789") == std::string::npos;
  return "Pupil in " + (digits ? "Year " + p.year_group : p.year_group);
}

class RegisterPages {
 public:
  RegisterPages(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                ThreadDatabase& t, const ServiceSettings& settings, Session session)
      : request_(request), response_(response), t_(t), settings_(settings),
        session_(std::move(session)) {}

  void list();
  void person(const std::string& id);
  void change(const std::string& id, const std::string& what, const Poco::Net::HTMLForm& form);
  // The confirm step before a withdrawal (GET /register/{id}/withdraw?channel=...).
  void confirmWithdrawal(const std::string& id);

 private:
  void problem(const Error& error) {
    sendMessagePage(response_,
                    error.code == "database" ? HTTPResponse::HTTP_SERVICE_UNAVAILABLE
                                             : HTTPResponse::HTTP_BAD_REQUEST,
                    "Not changed", error.message, &session_);
  }
  // The newest reference photo date per person, and whether all their templates are stale.
  void templateFacts(std::map<std::string, int>& counts, std::map<std::string, bool>& stale);

  Poco::Net::HTTPServerRequest& request_;
  Poco::Net::HTTPServerResponse& response_;
  ThreadDatabase& t_;
  const ServiceSettings& settings_;
  Session session_;
};

void RegisterPages::templateFacts(std::map<std::string, int>& counts,
                                  std::map<std::string, bool>& stale) {
  if (auto templates = t_.store->templates()) {
    for (const auto& tp : *templates) ++counts[tp.person_id];
  }
  auto old = t_.store->staleEnrolments(
      monthsBefore(todayIso(), settings_.policy.template_max_age_months),
      faces::pipelineVersion(settings_.engine.detector));
  if (old) {
    for (const auto& e : *old) stale[e.person_id] = true;
  }
}

void RegisterPages::list() {
  auto people = t_.store->people();
  if (!people) return problem(people.error());
  const Filters f = filtersOf(request_);
  const std::string today = todayIso();
  std::map<std::string, int> counts;
  std::map<std::string, bool> stale;
  templateFacts(counts, stale);
  ctemplate::TemplateDictionary page("register");
  page.SetValue("Q", f.q);
  page.SetValue("YEAR", f.year);
  if (f.consent == "yes") page.ShowSection("CONSENT_YES");
  if (f.consent == "no") page.ShowSection("CONSENT_NO");
  if (f.no_photo) page.ShowSection("NO_PHOTO_CHECKED");
  if (f.enrolled == "yes") page.ShowSection("ENROLLED_YES");
  if (f.enrolled == "no") page.ShowSection("ENROLLED_NO");
  if (f.enrolled == "stale") page.ShowSection("ENROLLED_STALE");
  const auto channels = settings_.policy.channelNames();
  for (const auto& c : channels) {
    auto* option = page.AddSectionDictionary("CHANNEL_OPTION");
    option->SetValue("NAME", c);
    option->SetValue("LABEL", channelLabel(c));
    if (c == f.channel) option->ShowSection("SELECTED");
    page.AddSectionDictionary("CHANNEL_HEADING")->SetValue("NAME", channelLabel(c));
  }
  for (const auto b : {reg::Biometric::kGiven, reg::Biometric::kNotGiven,
                       reg::Biometric::kWithdrawn, reg::Biometric::kObjected}) {
    auto* option = page.AddSectionDictionary("BIOMETRIC_OPTION");
    option->SetValue("NAME", reg::biometricName(b));
    option->SetValue("LABEL", biometricWords(b));
    if (reg::biometricName(b) == f.biometric) option->ShowSection("SELECTED");
  }
  int shown = 0;
  for (const auto& p : *people) {
    const std::string needle = lower(f.q);
    if (!needle.empty() && lower(p.id + " " + p.given_name + " " + p.preferred_name + " " +
                                 p.family_name)
                                   .find(needle) == std::string::npos) {
      continue;
    }
    if (!f.year.empty() && p.year_group != f.year) continue;
    if (f.no_photo && !p.no_photo) continue;
    if (!f.biometric.empty() && reg::biometricName(p.biometric) != f.biometric) continue;
    const int templates = counts[p.id];
    if (f.enrolled == "yes" && templates == 0) continue;
    if (f.enrolled == "no" && templates > 0) continue;
    if (f.enrolled == "stale" && !stale[p.id]) continue;
    auto consents = t_.store->consents(p.id);
    if (!consents) return problem(consents.error());
    std::map<std::string, reg::ChannelConsent> byChannel;
    for (const auto& c : *consents) byChannel[c.channel] = c;
    if (!f.channel.empty() && !f.consent.empty()) {
      auto it = byChannel.find(f.channel);
      const bool given = it != byChannel.end() && it->second.allowsOn(today);
      if ((f.consent == "yes") != given) continue;
    }
    auto* row = page.AddSectionDictionary("PERSON");
    row->SetValue("ID", p.id);
    row->SetValue("NAME", p.displayName());
    row->SetValue("YEAR", p.year_group);
    if (p.role == reg::Role::kStaff) row->ShowSection("STAFF");
    if (!p.left_on.empty()) row->AddSectionDictionary("LEFT")->SetValue("LEFT_ON", p.left_on);
    for (const auto& c : channels) {
      auto it = byChannel.find(c);
      const auto [state, text] = consentState(
          it == byChannel.end() ? std::nullopt : std::optional(it->second), today);
      auto* cell = row->AddSectionDictionary("CONSENT");
      cell->SetValue("STATE", state);
      cell->SetValue("TEXT", text);
    }
    if (p.no_photo) row->ShowSection("NO_PHOTO");
    row->SetValue("BIOMETRIC", biometricWords(p.biometric));
    row->SetIntValue("TEMPLATES", templates);
    if (stale[p.id]) row->ShowSection("STALE");
    ++shown;
  }
  page.SetIntValue("COUNT", shown);
  addRegisterNotices(page, *t_.store, settings_, *people);
  if (canChangeRegister(session_.account.roles)) page.ShowSection("CAN_EDIT");
  page.SetValue("CSRF", session_.csrf_token);
  page.SetIntValue("TOTAL", static_cast<long>(people->size()));
  sendPage(response_, HTTPResponse::HTTP_OK, "The consent register",
           renderPage("register.tpl", page), &session_);
}

void RegisterPages::person(const std::string& id) {
  auto found = t_.store->findPerson(id);
  if (!found) return problem(found.error());
  if (!*found) {
    return sendMessagePage(response_, HTTPResponse::HTTP_NOT_FOUND, "No such person",
                           "There is nobody with the register id " + id + ".", &session_);
  }
  const reg::Person& p = **found;
  const Roles& role = session_.account.roles;
  const std::string today = todayIso();
  ctemplate::TemplateDictionary page("person");
  for (const auto& [name, value] : Poco::URI(request_.getURI()).getQueryParameters()) {
    if (name == "offer") addOfferedFaceNotice(page, p, value);
    if (name == "saved" && value == "1") {
      page.AddSectionDictionary("NOTICE")->SetValue(
          "TEXT", "Saved. Held photos of " + p.displayName() +
                      " are being checked again, and any published photo that must come "
                      "down is listed on the Takedowns page.");
    }
  }
  page.SetValue("ID", p.id);
  page.SetValue("NAME", p.displayName());
  page.SetValue("WHO", whoTheyAre(p));
  if (!p.left_on.empty()) page.AddSectionDictionary("LEFT")->SetValue("LEFT_ON", p.left_on);
  page.SetValue("LEFT_ON", p.left_on);
  page.SetValue("CSRF", session_.csrf_token);
  if (canChangeRegister(role)) page.ShowSection("CAN_EDIT");
  auto consents = t_.store->consents(p.id);
  if (!consents) return problem(consents.error());
  for (const auto& c : settings_.policy.channelNames()) {
    std::optional<reg::ChannelConsent> now;
    for (const auto& each : *consents) {
      if (each.channel == c) now = each;
    }
    const auto [state, text] = consentState(now, today);
    auto* row = page.AddSectionDictionary("CHANNEL");
    row->SetValue("CHANNEL", c);
    row->SetValue("LABEL", channelLabel(c));
    row->SetValue("STATE", state);
    row->SetValue("TEXT", text);
    row->SetValue("ID", p.id);
    row->SetValue("CSRF", session_.csrf_token);
    if (canChangeRegister(role)) {
      row->ShowSection("CAN_EDIT");
      row->ShowSection(state == "yes" ? "GRANTED" : "NOT_GRANTED");
    }
  }
  page.ShowSection(p.no_photo ? "NO_PHOTO" : "PHOTOS_ALLOWED");
  page.ShowSection("CAN_EDIT_NO_PHOTO");  // admin and DSL may change the flag
  if (canSeeNoPhotoNotes(role)) {
    auto note = t_.store->noPhotoNote(p.id);
    page.ShowSection("SEES_NOTE");
    page.SetValue("NOTE", note ? *note : "");
    (void)audit::AuditLog(t_.store->database())
        .append(actorOf(session_), "restricted_notes_viewed", p.id);
  }
  page.SetValue("BIOMETRIC", "Biometric consent: " + biometricWords(p.biometric));
  for (const auto b :
       {reg::Biometric::kGiven, reg::Biometric::kWithdrawn, reg::Biometric::kObjected}) {
    auto* option = page.AddSectionDictionary("BIOMETRIC_OPTION");
    option->SetValue("VALUE", reg::biometricName(b));
    option->SetValue("LABEL", b == reg::Biometric::kGiven
                                  ? "Given by the parent"
                                  : b == reg::Biometric::kWithdrawn
                                        ? "Withdrawn by the parent (deletes the face templates)"
                                        : "Objected to by the pupil (deletes the face templates)");
    if (b == p.biometric) option->ShowSection("SELECTED");
  }
  auto templates = t_.store->templates();
  int count = 0;
  std::string newest;
  if (templates) {
    for (const auto& tp : *templates) {
      if (tp.person_id != p.id) continue;
      ++count;
      newest = std::max(newest, tp.photo_date);
    }
  }
  page.SetIntValue("TEMPLATES", count);
  if (canChangeRegister(role)) {
    auto kept = t_.store->referencePhotos(p.id);
    if (!kept) return problem(kept.error());
    if (kept->empty()) page.ShowSection("NO_REFERENCE");
    for (const auto& photo : *kept) {
      auto* row = page.AddSectionDictionary("REFERENCE");
      row->SetValue("ID", p.id);
      row->SetIntValue("PHOTO", static_cast<long>(photo.id));
      row->SetValue("SOURCE", photo.source);
      row->SetValue("DATE", photo.photo_date);
      row->SetValue("ADDED", readableTime(photo.added_at));
      row->SetValue("BY", photo.added_by);
      row->SetValue("CSRF", session_.csrf_token);
    }
    page.ShowSection(p.biometric == reg::Biometric::kGiven ? "CAN_ENROL" : "NO_ENROL");
    addOfferedFaces(page, t_, p, session_);
  }
  if (!newest.empty()) page.AddSectionDictionary("NEWEST")->SetValue("NEWEST_DATE", newest);
  // The history, from the audit trail (never the restricted note: the entries do not hold it).
  auto history = t_.store->database().prepare(
      "SELECT at, actor, action, details FROM audit_log WHERE subject = ? AND action IN "
      "('consent_changed', 'no_photo_changed', 'biometric_changed', 'person_saved', "
      "'register_imported', 'reference_photo_added', 'reference_photo_removed', "
      "'re_enrolled', 'reference_face_offered', 'reference_face_added', "
      "'reference_face_declined') ORDER BY seq DESC LIMIT 100");
  std::vector<std::vector<std::string>> changes;
  if (history) {
    auto rows = history->bind({p.id}).collect([](const reg::Statement& r) {
      return std::vector<std::string>{r.text(0), r.text(1), r.text(2), r.text(3)};
    });
    if (rows) changes = std::move(rows.value());
  }
  if (changes.empty()) page.ShowSection("NO_HISTORY");
  for (const auto& c : changes) {
    auto* row = page.AddSectionDictionary("CHANGE");
    row->SetValue("AT", readableTime(c[0]));
    row->SetValue("BY", actorLabel(c[1]));
    row->SetValue("WHAT", historySentence(c[2], c[3]));
  }
  sendPage(response_, HTTPResponse::HTTP_OK, p.displayName(), renderPage("person.tpl", page),
           &session_);
}

void RegisterPages::change(const std::string& id, const std::string& what,
                           const Poco::Net::HTMLForm& form) {
  const Roles& role = session_.account.roles;
  auto found = t_.store->findPerson(id);
  if (!found) return problem(found.error());
  if (!*found) {
    return sendMessagePage(response_, HTTPResponse::HTTP_NOT_FOUND, "No such person",
                           "There is nobody with the register id " + id + ".", &session_);
  }
  if (what != "/no-photo" && !canChangeRegister(role)) {
    return sendMessagePage(response_, HTTPResponse::HTTP_FORBIDDEN, "Not allowed",
                           "Only an administrator may change the register.", &session_);
  }
  audit::AuditedRegister changes(*t_.store, actorOf(session_));
  Status done = okStatus();
  if (what == "/consent") {
    const std::string channel = form.get("channel", ""), expires = form.get("expires_on", "");
    if (!settings_.policy.channel(channel)) {
      return problem(policy::unknownChannel(channel, settings_.policy));
    }
    if (!expires.empty() && !isIsoDate(expires)) {
      return problem(makeError("bad_date", "The end date must be a real date."));
    }
    // A withdrawal takes photos down: it is done only from its confirm step.
    if (form.get("granted", "") != "yes" && form.get("confirmed", "") != "yes") {
      return redirect(response_, "/register/" + Poco::URI(id).toString() + "/withdraw?channel=" +
                                     Poco::URI(channel).toString());
    }
    done = changes.setConsent(id, channel, form.get("granted", "") == "yes", expires, todayIso());
  } else if (what == "/no-photo") {
    // Only the DSL sees the restricted note; anyone else keeps it as it is.
    std::string note;
    if (canSeeNoPhotoNotes(role)) {
      note = form.get("note", "").substr(0, 2000);
    } else if (auto kept = t_.store->noPhotoNote(id)) {
      note = *kept;
    }
    done = changes.setNoPhoto(id, form.get("no_photo", "") == "1", note);
  } else if (what == "/biometric") {
    const std::string b = form.get("biometric", "");
    const reg::Biometric value = b == "given"       ? reg::Biometric::kGiven
                                 : b == "withdrawn" ? reg::Biometric::kWithdrawn
                                 : b == "objected"  ? reg::Biometric::kObjected
                                                    : reg::Biometric::kNotGiven;
    if (b != "given" && b != "withdrawn" && b != "objected") {
      return problem(makeError("bad_value", "Choose given, withdrawn or objected."));
    }
    done = changes.setBiometric(id, value, todayIso());
  } else if (what == "/left") {
    const std::string left = form.get("left_on", "");
    if (!left.empty() && !isIsoDate(left)) {
      return problem(makeError("bad_date", "The leaving date must be a real date."));
    }
    reg::Person p = **found;
    p.left_on = left;
    done = changes.savePerson(p);
  } else {
    return sendMessagePage(response_, HTTPResponse::HTTP_NOT_FOUND, "Page not found",
                           "There is no such page in Consent Guard.", &session_);
  }
  if (!done) return problem(done.error());
  // As the commands do: held photos of them are checked again, published ones come down.
  if (auto reopened = t_.queue->reopenHeldPhotosOf(id); !reopened) {
    return problem(reopened.error());
  }
  // Their published copies leave the outbox now, before the page says it is done.
  (void)withdrawPublishedCopies(t_.store->database(), settings_.folders,
                                Poco::Logger::get("consentguard"));
  redirect(response_, "/register/" + Poco::URI(id).toString() + "?saved=1");
}

void RegisterPages::confirmWithdrawal(const std::string& id) {
  std::string channel;
  for (const auto& [name, value] : Poco::URI(request_.getURI()).getQueryParameters()) {
    if (name == "channel") channel = value;
  }
  auto found = t_.store->findPerson(id);
  if (!found) return problem(found.error());
  if (!*found) {
    return sendMessagePage(response_, HTTPResponse::HTTP_NOT_FOUND, "No such person",
                           "There is nobody with the register id " + id + ".", &session_);
  }
  if (!canChangeRegister(session_.account.roles)) {
    return sendMessagePage(response_, HTTPResponse::HTTP_FORBIDDEN, "Not allowed",
                           "Only an administrator may change the register.", &session_);
  }
  if (!settings_.policy.channel(channel)) {
    return problem(policy::unknownChannel(channel, settings_.policy));
  }
  const reg::Person& p = **found;
  ctemplate::TemplateDictionary page("withdraw_consent");
  page.SetValue("ID", p.id);
  page.SetValue("NAME", p.displayName());
  page.SetValue("CHANNEL", channel);
  page.SetValue("LABEL", channelLabel(channel));
  page.SetValue("CSRF", session_.csrf_token);
  sendPage(response_, HTTPResponse::HTTP_OK, "Withdraw consent for " + channelLabel(channel) + "?",
           renderPage("withdraw_consent.tpl", page), &session_);
}

}  // namespace

bool handleRegisterPagesRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                              Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                              const ServiceSettings& settings) {
  const std::string prefix = "/register";
  if (path != prefix && path.rfind(prefix + "/", 0) != 0) return false;
  const bool post = request.getMethod() == "POST";
  Poco::Net::HTMLForm form;
  auto session = requireSession(request, response, t, canSeeRegister, post ? &form : nullptr);
  if (!session) return true;
  RegisterPages pages(request, response, t, settings, *session);
  if (path == prefix) {
    if (post) return false;
    pages.list();
    return true;
  }
  // /register/{id}[/action]; ids are the MIS's, so decode them.
  std::string rest = path.substr(prefix.size() + 1), action;
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    action = rest.substr(slash);
    rest.resize(slash);
  }
  std::string id;
  Poco::URI::decode(rest, id);
  if (id.empty()) return false;
  if (!post && action.empty()) {
    pages.person(id);
  } else if (!post && action == "/withdraw") {
    pages.confirmWithdrawal(id);
  } else if (post && !action.empty()) {
    pages.change(id, action, form);
  } else {
    return false;
  }
  return true;
}

}  // namespace consentguard::service
