// Signing in and out. The sign-in form has its own CSRF token, kept in a short-lived cookie
// (there is no session yet), so another site cannot sign a browser in to an account of its
// choosing. Failed sign-ins are throttled per address as well as per account
// (service/sign_in_throttle.h).
#include <Poco/URI.h>

#include "consentguard/audit/audit_log.h"
#include "consentguard/service/accounts.h"
#include "consentguard/service/first_run.h"
#include "consentguard/service/sign_in_throttle.h"
#include "page_templates.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

// `notice` is one of the fixed sentences below, chosen by the address (never its text).
void sendLoginPage(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
                   const std::string& error, const std::string& name, ThreadDatabase& t,
                   const std::string& notice = "") {
  const std::string token = randomHex(32);
  setCookie(response, "cg_login", token, 1800);
  ctemplate::TemplateDictionary page("login");
  if (!error.empty()) page.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  if (!notice.empty()) page.AddSectionDictionary("NOTICE")->SetValue("TEXT", notice);
  // A new install has no accounts: the way to make the first one is shown here.
  if (auto needed = needsFirstAdmin(t.store->database()); needed && *needed) {
    page.ShowSection("FIRST_RUN");
  }
  page.SetValue("CSRF", token);
  page.SetValue("NAME", name);
  sendPage(response, status, "Sign in", renderPage("login.tpl", page));
}

void signIn(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
            ThreadDatabase& t) {
  Poco::Net::HTMLForm form;
  if (!readForm(request, response, form)) return;
  const std::string name = form.get("username", "").substr(0, 64);
  const std::string expected = cookie(request, "cg_login");
  if (expected.empty() || !sameSecret(form.get("csrf", ""), expected)) {
    sendLoginPage(response, HTTPResponse::HTTP_FORBIDDEN,
                  "The sign-in form was out of date. Please sign in again.", name, t);
    return;
  }
  // One machine trying many names is refused before any account's count is touched.
  SignInThrottle& throttle = SignInThrottle::forPages();
  const std::string address = request.clientAddress().host().toString();
  if (!throttle.allowed(address)) {
    (void)audit::AuditLog(t.store->database())
        .append("address:" + address, "login_refused", name,
                "{\"why\":\"too many failed sign-ins from this address\"}");
    sendLoginPage(response, HTTPResponse::HTTP_TOO_MANY_REQUESTS,
                  "Too many failed sign-ins from this computer. Wait 15 minutes and try again, "
                  "or ask the Consent Guard administrator.",
                  name, t);
    return;
  }
  Accounts accounts(t.store->database());
  auto signedIn = accounts.signIn(name, form.get("password", ""));
  if (signedIn) throttle.succeeded(address);
  if (!signedIn && signedIn.error().code != "database") throttle.failed(address);
  if (!signedIn) {
    const bool database = signedIn.error().code == "database";
    sendLoginPage(
        response,
        database ? HTTPResponse::HTTP_SERVICE_UNAVAILABLE : HTTPResponse::HTTP_UNAUTHORIZED,
        database ? "Consent Guard cannot reach its database; try again shortly."
                 : signedIn.error().message,
        name, t);
    return;
  }
  setCookie(response, "cg_login", "", 0);
  setCookie(response, "cg_session", signedIn->token, Accounts::kSessionHours * 3600);
  redirect(response, canReview(signedIn->session.account.roles) ? "/review" : "/photos");
}

void signOut(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
             ThreadDatabase& t) {
  auto session = requireSession(request, response, t, [](const Roles&) { return true; });
  if (!session) return;
  (void)Accounts(t.store->database()).signOut(cookie(request, "cg_session"));
  setCookie(response, "cg_session", "", 0);
  redirect(response, "/login?signed_out=1");
}

std::string loginNotice(const Poco::Net::HTTPServerRequest& request) {
  const std::string query = Poco::URI(request.getURI()).getQuery();
  if (query == "set_up=1") {
    return "Consent Guard is set up and your administrator account is made. Sign in with it, "
           "then make the other accounts on the Accounts page.";
  }
  if (query == "signed_out=1") return "You are signed out.";
  if (query == "password_changed=1") {
    return "Your password is changed, and you are signed out everywhere. Sign in with the new "
           "password.";
  }
  return "";
}

void sendStyleSheet(Poco::Net::HTTPServerResponse& response) {
  const std::string css = pageTemplateText("style.css");
  response.setStatusAndReason(HTTPResponse::HTTP_OK);
  response.setContentType("text/css; charset=utf-8");
  response.set("Cache-Control", "max-age=3600");
  response.set("X-Content-Type-Options", "nosniff");
  response.sendBuffer(css.data(), css.size());
}

}  // namespace

bool handleLoginRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response, ThreadDatabase& t) {
  const std::string& method = request.getMethod();
  if (path == "/login" && method == "GET") {
    sendLoginPage(response, HTTPResponse::HTTP_OK, "", "", t, loginNotice(request));
  } else if (path == "/login" && method == "POST") {
    signIn(request, response, t);
  } else if (path == "/logout" && method == "POST") {
    signOut(request, response, t);
  } else {
    return false;
  }
  return true;
}

void handleWebRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                    Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                    const ServiceSettings& settings) {
  if (path == "/" && request.getMethod() == "GET") return redirect(response, "/photos");
  if (path == "/style.css" && request.getMethod() == "GET") return sendStyleSheet(response);
  if (handleLoginRoute(path, request, response, t)) return;
  if (handleSetupRoute(path, request, response, t)) return;
  if (handlePhotosRoute(path, request, response, t, settings)) return;
  if (handleReviewRoute(path, request, response, t, settings)) return;
  if (handleIncidentsRoute(path, request, response, t, settings)) return;
  if (handleDslRoute(path, request, response, t, settings)) return;
  if (handleTakedownsRoute(path, request, response, t, settings)) return;
  if (handleImportRoute(path, request, response, t, settings)) return;
  if (handleOfferedFacesRoute(path, request, response, t, settings)) return;
  if (handleReferencePhotosRoute(path, request, response, t, settings)) return;
  if (handleRegisterPagesRoute(path, request, response, t, settings)) return;
  if (handleDevicesRoute(path, request, response, t, settings)) return;
  if (handleAdminRoute(path, request, response, t, settings)) return;
  if (handleAccountRoute(path, request, response, t)) return;
  drain(request.stream(), 1 << 20);
  sendMessagePage(response, HTTPResponse::HTTP_NOT_FOUND, "Page not found",
                  "There is no such page in Consent Guard.");
}

}  // namespace consentguard::service
