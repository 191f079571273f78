// /account: the signed-in person's own account (name, roles, email) and changing their own
// password, which asks for the current one first and then signs them out everywhere
// (service/accounts.h). Roles and email are the administrator's to change (web_admin.cpp).
#include "consentguard/service/accounts.h"
#include "page_templates.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

void sendAccountPage(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
                     ThreadDatabase& t, const Session& session, const std::string& error = "") {
  ctemplate::TemplateDictionary page("account");
  if (!error.empty()) page.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  page.SetValue("NAME", session.account.name);
  page.SetValue("ROLES", session.account.roles.words());
  std::string email = "none: Consent Guard sends you no email";
  if (auto all = Accounts(t.store->database()).list()) {
    for (const auto& a : *all) {
      if (a.name == session.account.name && !a.email.empty()) email = a.email;
    }
  }
  page.SetValue("EMAIL", email);
  page.SetValue("CSRF", session.csrf_token);
  page.SetIntValue("MIN_PASSWORD", Accounts::kMinPasswordLength);
  sendPage(response, status, "Your account", renderPage("account.tpl", page), &session);
}

void changePassword(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                    const Session& session, const Poco::Net::HTMLForm& form) {
  const std::string password = form.get("password", "");
  if (password != form.get("password_again", "")) {
    return sendAccountPage(response, HTTPResponse::HTTP_BAD_REQUEST, t, session,
                           "The two new passwords are not the same. Type them again.");
  }
  Status changed = Accounts(t.store->database())
                       .changeOwnPassword(session.account.name, form.get("current", ""), password);
  if (!changed) {
    const bool database = changed.error().code == "database";
    return sendAccountPage(
        response, database ? HTTPResponse::HTTP_SERVICE_UNAVAILABLE : HTTPResponse::HTTP_BAD_REQUEST,
        t, session,
        database ? "Consent Guard cannot reach its database; try again shortly."
                 : changed.error().message);
  }
  // Every session has ended with the old password, this one too.
  setCookie(response, "cg_session", "", 0);
  redirect(response, "/login?password_changed=1");
}

}  // namespace

bool handleAccountRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                        Poco::Net::HTTPServerResponse& response, ThreadDatabase& t) {
  const auto anyone = [](const Roles&) { return true; };
  const bool post = request.getMethod() == "POST";
  if (path == "/account" && !post) {
    auto session = requireSession(request, response, t, anyone);
    if (session) sendAccountPage(response, HTTPResponse::HTTP_OK, t, *session);
    return true;
  }
  if (path == "/account/password" && post) {
    Poco::Net::HTMLForm form;
    auto session = requireSession(request, response, t, anyone, &form);
    if (session) changePassword(response, t, *session, form);
    return true;
  }
  return false;
}

}  // namespace consentguard::service
