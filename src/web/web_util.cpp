#include "web_util.h"

#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>

#include <sstream>

#include "consentguard/common/text.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

constexpr std::streamsize kMaxFormBytes = 64 * 1024;

const char* kStyle = R"css(
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
header{background:#1d3557;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:center}
header a,header button{color:#fff;background:none;border:0;font:inherit;cursor:pointer;text-decoration:underline}
header .who{margin-left:auto}
main{padding:1rem 1.5rem;max-width:1200px}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
.notice{background:#e3f4e1;border:1px solid #2e7d32;padding:.6rem;margin:.5rem 0}
.error{background:#fdecea;border:1px solid #b71c1c;padding:.6rem;margin:.5rem 0}
.photo{position:relative;display:inline-block;max-width:100%}
.photo img{display:block;max-width:100%;height:auto}
.face{position:absolute;border:3px solid #2e7d32;box-sizing:border-box}
.face-label{position:absolute;left:-3px;top:100%;background:#2e7d32;color:#fff;font-size:.8rem;padding:1px 4px;white-space:nowrap}
.face[data-status=no_photo],.face[data-status=no_consent]{border-color:#b71c1c}
.face[data-status=no_photo] .face-label,.face[data-status=no_consent] .face-label{background:#b71c1c}
.face[data-status=unknown],.face[data-status=ambiguous],.face[data-status=too_small]{border-color:#e65100}
.face[data-status=unknown] .face-label,.face[data-status=ambiguous] .face-label,.face[data-status=too_small] .face-label{background:#e65100}
.actions form{background:#fff;border:1px solid #ccc;padding:.6rem;margin:.5rem 0}
button{padding:.3rem .8rem}textarea{width:100%;min-height:3rem}
)css";

std::string navigation(const Session& s) {
  const Role role = s.account.role;
  std::string links = "<a href=\"/photos\">My photos</a><a href=\"/takedowns\">Takedowns</a>";
  if (canReview(role)) links += "<a href=\"/review\">Held photos</a>";
  if (canSeeIncidents(role)) {
    links += "<a href=\"/incidents\">Incidents</a><a href=\"/report\">Termly report</a>";
  }
  if (canSeeRegister(role)) links += "<a href=\"/register\">Register</a>";
  if (canManageAccounts(role)) {
    links += "<a href=\"/devices\">Devices and keys</a><a href=\"/admin\">Administration</a>";
  }
  return links + "<span class=\"who\">" + html(s.account.name) + " (" + roleName(role) +
         ")</span><form method=\"post\" action=\"/logout\">" + csrfField(s.csrf_token) +
         "<button type=\"submit\">Sign out</button></form>";
}

}  // namespace

std::string html(const std::string& text) { return htmlEscape(text); }

std::string readableTime(const std::string& iso) {
  if (iso.size() < 16 || (iso[10] != 'T' && iso[10] != ' ')) return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

void sendPage(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
              const std::string& title, const std::string& body, const Session* session) {
  response.setStatus(status);
  response.setContentType("text/html; charset=utf-8");
  // No script runs on these pages; nothing may frame them; nothing is cached.
  response.set("Content-Security-Policy",
               "default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'; "
               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  response.set("X-Frame-Options", "DENY");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Cache-Control", "no-store");
  const std::string page =
      "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width\"><title>" +
      html(title) + " - Consent Guard</title><style>" + kStyle +
      "</style></head><body><header><strong>Consent Guard</strong>" +
      (session ? navigation(*session) : std::string()) + "</header><main><h1>" + html(title) +
      "</h1>" + body + "</main></body></html>";
  response.sendBuffer(page.data(), page.size());
}

void sendMessagePage(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
                     const std::string& title, const std::string& message, const Session* session) {
  sendPage(response, status, title, "<p class=\"message\">" + html(message) + "</p>", session);
}

void redirect(Poco::Net::HTTPServerResponse& response, const std::string& to) {
  response.setStatus(HTTPResponse::HTTP_SEE_OTHER);
  response.set("Location", to);
  response.set("Cache-Control", "no-store");
  response.setContentLength(0);
  response.send();
}

std::string cookie(const Poco::Net::HTTPServerRequest& request, const std::string& name) {
  Poco::Net::NameValueCollection cookies;
  request.getCookies(cookies);
  return cookies.get(name, "");
}

void setCookie(Poco::Net::HTTPServerResponse& response, const std::string& name,
               const std::string& value, int max_age_seconds) {
  response.add("Set-Cookie", name + "=" + value + "; Path=/; Max-Age=" +
                                 std::to_string(max_age_seconds) + "; HttpOnly; SameSite=Strict");
}

std::string csrfField(const std::string& token) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + html(token) + "\">";
}

bool readForm(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
              Poco::Net::HTMLForm& form) {
  if (request.hasContentLength() && request.getContentLength64() > kMaxFormBytes) {
    drain(request.stream(), 1 << 20);
    sendMessagePage(response, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "Too much",
                    "The form sent more than this page accepts.");
    return false;
  }
  std::string body(static_cast<size_t>(kMaxFormBytes) + 1, '\0');
  request.stream().read(body.data(), kMaxFormBytes + 1);
  body.resize(static_cast<size_t>(request.stream().gcount()));
  if (body.size() > static_cast<size_t>(kMaxFormBytes)) {
    drain(request.stream(), 1 << 20);
    sendMessagePage(response, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "Too much",
                    "The form sent more than this page accepts.");
    return false;
  }
  try {
    std::istringstream in(body);
    form.load(request, in);
    return true;
  } catch (const Poco::Exception&) {
    sendMessagePage(response, HTTPResponse::HTTP_BAD_REQUEST, "The form could not be read",
                    "Go back and try again.");
    return false;
  }
}

std::optional<Session> requireSession(Poco::Net::HTTPServerRequest& request,
                                      Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                                      const std::function<bool(Role)>& allowed,
                                      Poco::Net::HTMLForm* form, bool form_read_by_caller) {
  const bool post = request.getMethod() == "POST";
  Accounts accounts(t.store->database());
  auto session = accounts.session(cookie(request, "cg_session"));
  if (!session) {
    drain(request.stream(), 1 << 20);
    sendMessagePage(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Consent Guard has a problem",
                    "The database could not be read. Try again in a minute; if it goes on, tell "
                    "the Consent Guard administrator.");
    return std::nullopt;
  }
  if (!*session) {
    drain(request.stream(), 1 << 20);
    if (post) {
      sendMessagePage(response, HTTPResponse::HTTP_UNAUTHORIZED, "Please sign in",
                      "You are not signed in (or your session has ended), so nothing was done. "
                      "Sign in and try again.");
    } else {
      redirect(response, "/login");
    }
    return std::nullopt;
  }
  if (!allowed((*session)->account.role)) {
    drain(request.stream(), 1 << 20);
    sendMessagePage(response, HTTPResponse::HTTP_FORBIDDEN, "Not allowed",
                    "Your account (" + roleName((*session)->account.role) +
                        ") may not do this. Ask a senior leader if it needs doing.",
                    &**session);
    return std::nullopt;
  }
  if (post && !form_read_by_caller) {
    Poco::Net::HTMLForm scratch;
    Poco::Net::HTMLForm& read = form ? *form : scratch;
    if (!readForm(request, response, read)) return std::nullopt;
    if (!csrfMatches(read, **session, response)) return std::nullopt;
  }
  return **session;
}

bool csrfMatches(const Poco::Net::HTMLForm& form, const Session& session,
                 Poco::Net::HTTPServerResponse& response) {
  if (sameSecret(form.get("csrf", ""), session.csrf_token)) return true;
  sendMessagePage(response, HTTPResponse::HTTP_FORBIDDEN, "Not allowed",
                  "This form is out of date or did not come from Consent Guard, so nothing was "
                  "done. Open the page again and repeat what you were doing.",
                  &session);
  return false;
}

std::string actorOf(const Session& session) { return "user:" + session.account.name; }

void FileUploads::handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) {
  std::string disposition;
  Poco::Net::NameValueCollection values;
  Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition,
                                            values);
  File file{values.get("filename", ""), {}};
  char buffer[65536];
  while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0) {
    if (file.bytes.size() + static_cast<std::uint64_t>(stream.gcount()) > limit_) {
      too_large = true;
      drain(stream, 4 * limit_);
      return;
    }
    file.bytes.insert(file.bytes.end(), buffer, buffer + stream.gcount());
  }
  if (file.name.empty() && file.bytes.empty()) return;  // a file input left empty
  if (files.size() == max_files_) {
    too_many = true;
    return;
  }
  files.push_back(std::move(file));
}

bool readUpload(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                const Session& session, Poco::Net::HTMLForm& form, FileUploads& files) {
  form.setFieldLimit(20);
  try {
    form.load(request, request.stream(), files);
  } catch (const Poco::Exception&) {
    drain(request.stream(), 1 << 20);
    sendMessagePage(response, HTTPResponse::HTTP_BAD_REQUEST, "Not sent",
                    "The upload could not be read. Try again.", &session);
    return false;
  }
  return csrfMatches(form, session, response);
}

Result<faces::FaceEngine*> threadFaceEngine(const ServiceSettings& settings) {
  thread_local std::unique_ptr<faces::FaceEngine> engine;
  if (!engine) {
    auto created = faces::FaceEngine::create(settings.models, settings.engine);
    if (!created) return created.error();
    engine = std::move(created.value());
  }
  return engine.get();
}

}  // namespace consentguard::service
