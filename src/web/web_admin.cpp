// Administration, for the admin role: accounts (make one, switch one off or on) and API keys
// (see which are in use, revoke one). Every change is in the audit trail with who made it.
// The register itself is maintained with the `register` commands or the register API.
#include "consentguard/service/api_keys.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

void adminPage(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t, const Session& session,
               const std::string& notice, bool failed = false) {
  const std::string csrf = csrfField(session.csrf_token);
  std::string body = notice.empty() ? ""
                                    : "<p class=\"" + std::string(failed ? "error" : "notice") +
                                          "\">" + html(notice) + "</p>";
  body += "<h2>Accounts</h2><table id=\"accounts\"><tr><th>Name</th><th>Role</th><th></th></tr>";
  auto accounts = Accounts(t.store->database()).list();
  for (const auto& a : accounts ? *accounts : std::vector<Account>{}) {
    body += "<tr><td>" + html(a.name) + "</td><td>" + roleName(a.role) +
            "</td><td><form method=\"post\" action=\"/admin/account\">" + csrf +
            "<input type=\"hidden\" name=\"name\" value=\"" + html(a.name) +
            "\"><input type=\"hidden\" name=\"switch\" value=\"" + (a.disabled ? "on" : "off") +
            "\"><button type=\"submit\">" + (a.disabled ? "Switch on" : "Switch off") +
            "</button></form></td></tr>";
  }
  body += "</table><form id=\"new-account\" method=\"post\" action=\"/admin/account\">" + csrf +
          "<h3>New account</h3><label>Name <input name=\"name\" required></label> <label>Role "
          "<select name=\"role\"><option>office</option><option>slt</option><option>dsl</option>"
          "<option>admin</option></select></label> <label>First password <input name=\"password\""
          " type=\"password\" required minlength=\"" +
          std::to_string(Accounts::kMinPasswordLength) +
          "\"></label> <button type=\"submit\">Make the account</button></form>";
  body +=
      "<h2>API keys</h2><table id=\"keys\"><tr><th>Name</th><th>Channels</th><th>Manages "
      "the register</th><th>Made</th><th></th></tr>";
  auto keys = listApiKeys(t.store->database());
  for (const auto& k : keys ? *keys : std::vector<StoredApiKey>{}) {
    body += "<tr><td>" + html(k.name) + "</td><td>" + html(k.channels) + "</td><td>" +
            (k.manages_register ? "yes" : "no") + "</td><td>" + html(readableTime(k.created_at)) +
            "</td><td>" +
            (k.revoked ? std::string("revoked")
                       : "<form method=\"post\" action=\"/admin/revoke-key\">" + csrf +
                             "<input type=\"hidden\" name=\"id\" value=\"" + std::to_string(k.id) +
                             "\"><button type=\"submit\">Revoke</button></form>") +
            "</td></tr>";
  }
  body +=
      "</table><p>Make a new key, and register the school's cameras and tablets, on "
      "<a href=\"/devices\">Devices and API keys</a>.</p>";
  sendPage(response, failed ? HTTPResponse::HTTP_BAD_REQUEST : HTTPResponse::HTTP_OK,
           "Administration", body, &session);
}

void changeAccount(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                   const Session& session, const Poco::Net::HTMLForm& form) {
  Accounts accounts(t.store->database());
  const std::string name = form.get("name", "");
  if (form.has("switch")) {
    const bool off = form.get("switch") == "off";
    if (off && name == session.account.name) {
      return adminPage(response, t, session, "You cannot switch off your own account.", true);
    }
    Status s = accounts.setDisabled(name, off, actorOf(session));
    return adminPage(
        response, t, session,
        s ? name + (off ? " is switched off." : " is switched on.") : s.error().message, !s);
  }
  auto role = parseRole(form.get("role", ""));
  if (!role) return adminPage(response, t, session, "Choose a role for the account.", true);
  Status s = accounts.create(name, *role, form.get("password", ""), actorOf(session));
  adminPage(response, t, session,
            s ? "Account " + name + " made. Give them the password in person." : s.error().message,
            !s);
}

}  // namespace

bool handleAdminRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response, ThreadDatabase& t) {
  const bool post = request.getMethod() == "POST";
  if (path == "/admin" && !post) {
    auto session = requireSession(request, response, t, canManageAccounts);
    if (session) adminPage(response, t, *session, "");
    return true;
  }
  if ((path == "/admin/account" || path == "/admin/revoke-key") && post) {
    Poco::Net::HTMLForm form;
    auto session = requireSession(request, response, t, canManageAccounts, &form);
    if (!session) return true;
    if (path == "/admin/account") return changeAccount(response, t, *session, form), true;
    const std::string id = form.get("id", "");
    const bool idOk =
        !id.empty() && id.size() < 10 &&
        std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); });
    Status s = idOk ? revokeApiKey(t.store->database(), std::stoll(id), actorOf(*session))
                    : Status(makeError("no_key", "There is no such API key."));
    adminPage(response, t, *session,
              s ? "The key is revoked: it no longer works." : s.error().message, !s);
    return true;
  }
  return false;
}

}  // namespace consentguard::service
