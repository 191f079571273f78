// /setup: the first administrator, with the one-time code from the log (service/first_run.h).
// Like the sign-in form it has its own CSRF token in a short-lived cookie (there is no session
// yet). Once any account exists the page only says so.
#include "consentguard/service/accounts.h"
#include "consentguard/service/first_run.h"
#include "page_templates.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

void sendSetupPage(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
                   const std::string& error, const std::string& name) {
  const std::string token = randomHex(32);
  setCookie(response, "cg_setup", token, 1800);
  ctemplate::TemplateDictionary page("setup");
  if (!error.empty()) page.AddSectionDictionary("ERROR")->SetValue("MESSAGE", error);
  page.SetValue("CSRF", token);
  page.SetValue("NAME", name);
  page.SetIntValue("MIN_PASSWORD", Accounts::kMinPasswordLength);
  sendPage(response, status, "Set up Consent Guard", renderPage("setup.tpl", page));
}

void alreadySetUp(Poco::Net::HTTPServerResponse& response) {
  sendMessagePage(response, HTTPResponse::HTTP_GONE, "Already set up",
                  "Consent Guard already has accounts, so the set-up page is closed. Sign in, or "
                  "ask an administrator for an account.");
}

void makeAdmin(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               ThreadDatabase& t) {
  Poco::Net::HTMLForm form;
  if (!readForm(request, response, form)) return;
  const std::string name = form.get("username", "").substr(0, 64);
  const std::string expected = cookie(request, "cg_setup");
  if (expected.empty() || !sameSecret(form.get("csrf", ""), expected)) {
    return sendSetupPage(response, HTTPResponse::HTTP_FORBIDDEN,
                         "The form was out of date. Please fill it in again.", name);
  }
  if (form.get("password", "") != form.get("password_again", "")) {
    return sendSetupPage(response, HTTPResponse::HTTP_BAD_REQUEST,
                         "The two passwords are not the same. Type them again.", name);
  }
  Status made =
      makeFirstAdmin(t.store->database(), form.get("code", ""), name, form.get("password", ""));
  if (!made) {
    const std::string& code = made.error().code;
    if (code == "already_set_up") return alreadySetUp(response);
    const bool refused = code == "bad_code" || code == "code_locked" || code == "no_code";
    return sendSetupPage(response,
                         code == "database"  ? HTTPResponse::HTTP_SERVICE_UNAVAILABLE
                         : refused           ? HTTPResponse::HTTP_FORBIDDEN
                                             : HTTPResponse::HTTP_BAD_REQUEST,
                         code == "database" ? "Consent Guard cannot reach its database; try again "
                                              "shortly."
                                            : made.error().message,
                         name);
  }
  setCookie(response, "cg_setup", "", 0);
  redirect(response, "/login?set_up=1");
}

}  // namespace

bool handleSetupRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response, ThreadDatabase& t) {
  if (path != "/setup") return false;
  const bool post = request.getMethod() == "POST";
  auto needed = needsFirstAdmin(t.store->database());
  if (!needed) {
    drain(request.stream(), 1 << 20);
    sendMessagePage(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Consent Guard has a problem",
                    "Consent Guard cannot reach its database; try again shortly.");
  } else if (!*needed) {
    drain(request.stream(), 1 << 20);
    alreadySetUp(response);
  } else if (post) {
    makeAdmin(request, response, t);
  } else {
    sendSetupPage(response, HTTPResponse::HTTP_OK, "", "");
  }
  return true;
}

}  // namespace consentguard::service
