// Administration, for the admin role: accounts (make one with one or more roles, change its
// roles, reset its password, switch it off or on, set its email address) and API keys (see which
// are in use, revoke one). Every change is in the audit trail with who made it. Each account may
// have an email address for Consent Guard's messages (service/notifier.h).
#include "consentguard/common/text.h"
#include "consentguard/service/api_keys.h"
#include "page_templates.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

void adminPage(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
               const ServiceSettings& settings, const Session& session, const std::string& notice,
               bool failed = false) {
  ctemplate::TemplateDictionary page("admin");
  if (!notice.empty())
    page.AddSectionDictionary(failed ? "ERROR" : "NOTICE")->SetValue("TEXT", notice);
  page.SetValue("CSRF", session.csrf_token);
  page.SetIntValue("MIN_PASSWORD", Accounts::kMinPasswordLength);
  page.SetValue("EMAIL_STATE",
                settings.notify.enabled()
                    ? "Email is on: senior leaders get a digest of the photos waiting for them, "
                      "the DSL gets incidents and overdue takedowns, and people who submit a "
                      "photo here hear what became of it."
                    : "Email is off until the school's mail server is set in the configuration "
                      "file (notify.smtp.host and the other notify settings).");
  auto accounts = Accounts(t.store->database()).list();
  for (const auto& a : accounts ? *accounts : std::vector<Account>{}) {
    auto* row = page.AddSectionDictionary("ACCOUNT");
    row->SetValue("NAME", a.name);
    row->SetValue("ROLES", a.roles.words());
    for (Role role : kAllRoles) {
      auto* box = row->AddSectionDictionary("ROLE");
      box->SetValue("VALUE", roleName(role));
      box->SetValue("WORDS", roleWords(role));
      box->SetValue("NAME", a.name);
      if (a.roles.has(role)) box->SetValue("CHECKED", "checked");
    }
    row->ShowSection(a.disabled ? "SWITCHED_OFF" : "SWITCHED_ON");
    row->SetIntValue("MIN_PASSWORD", Accounts::kMinPasswordLength);
    row->SetValue("EMAIL", a.email);
    row->SetValue("CSRF", session.csrf_token);
  }
  for (Role role : kAllRoles) {
    auto* box = page.AddSectionDictionary("NEW_ROLE");
    box->SetValue("VALUE", roleName(role));
    box->SetValue("WORDS", roleWords(role));
  }
  auto keys = listApiKeys(t.store->database());
  for (const auto& k : keys ? *keys : std::vector<StoredApiKey>{}) {
    auto* row = page.AddSectionDictionary("KEY");
    row->SetValue("NAME", k.name);
    row->SetValue("CHANNELS", k.channels);
    row->SetValue("MANAGES", k.manages_register ? "yes" : "no");
    row->SetValue("MADE", readableTime(k.created_at));
    row->ShowSection(k.revoked ? "REVOKED" : "ACTIVE");
    row->SetIntValue("ID", static_cast<long>(k.id));
    row->SetValue("CSRF", session.csrf_token);
  }
  sendPage(response, failed ? HTTPResponse::HTTP_BAD_REQUEST : HTTPResponse::HTTP_OK,
           "Administration", renderPage("admin.tpl", page), &session);
}

// The roles ticked on a form: one "role" field per ticked box.
Roles tickedRoles(const Poco::Net::HTMLForm& form) {
  Roles roles;
  for (const auto& [field, value] : form) {
    if (field != "role") continue;
    if (auto role = parseRole(value)) roles.add(*role);
  }
  return roles;
}

void changeAccount(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                   const ServiceSettings& settings, const Session& session,
                   const Poco::Net::HTMLForm& form) {
  Accounts accounts(t.store->database());
  const std::string name = form.get("name", ""), email = trimSpace(form.get("email", ""));
  const std::string set = form.get("set", "");
  const auto answer = [&](const Status& s, const std::string& done) {
    adminPage(response, t, settings, session, s ? done : s.error().message, !s);
  };
  const auto refuse = [&](const std::string& why) {
    adminPage(response, t, settings, session, why, true);
  };
  if (set == "email") {
    return answer(
        accounts.setEmail(name, email, actorOf(session)),
        email.empty() ? name + " gets no email now." : name + "'s email is " + email + ".");
  }
  if (set == "roles") {
    const Roles roles = tickedRoles(form);
    if (roles.empty()) return refuse("Tick at least one role for " + name + ".");
    if (name == session.account.name && !roles.has(Role::kAdmin)) {
      return refuse("You cannot take the administrator role from your own account: ask another "
                    "administrator to do it.");
    }
    return answer(accounts.setRoles(name, roles, actorOf(session)),
                  name + "'s roles are now: " + roles.words() + ".");
  }
  if (set == "password") {
    if (form.get("password", "") != form.get("password_again", "")) {
      return refuse("The two passwords for " + name + " are not the same. Type them again.");
    }
    return answer(accounts.setPassword(name, form.get("password", ""), actorOf(session)),
                  name + "'s password is reset, and they are signed out everywhere. Give them "
                         "the new password in person; they can change it on their account page.");
  }
  if (form.has("switch")) {
    const bool off = form.get("switch") == "off";
    if (off && name == session.account.name) return refuse("You cannot switch off your own account.");
    return answer(accounts.setDisabled(name, off, actorOf(session)),
                  name + (off ? " is switched off." : " is switched on."));
  }
  const Roles roles = tickedRoles(form);
  if (roles.empty()) return refuse("Tick at least one role for the new account.");
  Status s = accounts.create(name, roles, form.get("password", ""), actorOf(session));
  if (s && !email.empty()) s = accounts.setEmail(name, email, actorOf(session));
  answer(s, "Account " + name + " made. Give them the password in person.");
}

}  // namespace

bool handleAdminRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                      const ServiceSettings& settings) {
  const bool post = request.getMethod() == "POST";
  if (path == "/admin" && !post) {
    auto session = requireSession(request, response, t, canManageAccounts);
    if (session) adminPage(response, t, settings, *session, "");
    return true;
  }
  if ((path == "/admin/account" || path == "/admin/revoke-key") && post) {
    Poco::Net::HTMLForm form;
    auto session = requireSession(request, response, t, canManageAccounts, &form);
    if (!session) return true;
    if (path == "/admin/account") {
      return changeAccount(response, t, settings, *session, form), true;
    }
    const std::string id = form.get("id", "");
    const bool idOk =
        !id.empty() && id.size() < 10 &&
        std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); });
    Status s = idOk ? revokeApiKey(t.store->database(), std::stoll(id), actorOf(*session))
                    : Status(makeError("no_key", "There is no such API key."));
    adminPage(response, t, settings, *session,
              s ? "The key is revoked: it no longer works." : s.error().message, !s);
    return true;
  }
  return false;
}

}  // namespace consentguard::service
