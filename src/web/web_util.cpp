#include "web_util.h"

#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "consentguard/common/local_time.h"
#include "consentguard/common/text.h"
#include "page_templates.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

constexpr std::streamsize kMaxFormBytes = 64 * 1024;

}  // namespace

std::string readableTime(const std::string& iso) { return localTimeWords(iso); }

std::string channelLabel(const std::string& key) {
  std::string label = key;
  for (char& c : label) {
    if (c == '_' || c == '-') c = ' ';
  }
  if (!label.empty()) {
    label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  }
  return label;
}

std::string actorLabel(const std::string& actor) {
  if (actor.rfind("user:", 0) == 0) return actor.substr(5);
  if (actor.rfind("cli:", 0) == 0) return actor.substr(4) + " (on the server)";
  if (actor.rfind("key:", 0) == 0) return "the system " + actor.substr(4) + " (API key)";
  if (actor == "service") return "Consent Guard";
  return actor;
}

void sendJpeg(Poco::Net::HTTPServerResponse& response, const cv::Mat& rgb, int longSide,
              bool enlarge) {
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  double scale = static_cast<double>(longSide) / std::max(1, std::max(bgr.cols, bgr.rows));
  if (!enlarge) scale = std::min(1.0, scale);
  if (scale != 1.0) {
    cv::resize(bgr, bgr, cv::Size(), scale, scale, scale < 1.0 ? cv::INTER_AREA : cv::INTER_CUBIC);
  }
  std::vector<uchar> jpeg;
  cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, 85});
  response.setContentType("image/jpeg");
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.sendBuffer(jpeg.data(), jpeg.size());
}

void sendPage(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
              const std::string& title, const std::string& body, const Session* session) {
  response.setStatusAndReason(status);
  response.setContentType("text/html; charset=utf-8");
  // No script runs on these pages; nothing may frame them; nothing is cached.
  response.set("Content-Security-Policy",
               "default-src 'none'; img-src 'self'; media-src 'self'; "
               "style-src 'self' 'unsafe-inline'; "
               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  response.set("X-Frame-Options", "DENY");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Cache-Control", "no-store");
  // The frame: the header with who is signed in and the links their role may use.
  ctemplate::TemplateDictionary frame("frame");
  frame.SetValue("TITLE", title);
  frame.SetValue("BODY", body);  // already rendered from its own template, escaped there
  if (session) {
    const Roles& role = session->account.roles;
    auto* header = frame.AddSectionDictionary("SIGNED_IN");
    header->SetValue("NAME", session->account.name);
    header->SetValue("ROLES", role.words());
    header->SetValue("CSRF", session->csrf_token);
    if (canReview(role)) header->ShowSection("REVIEW");
    if (canSeeIncidents(role)) header->ShowSection("DSL");
    if (canSeeRegister(role)) header->ShowSection("REGISTER");
    if (canManageAccounts(role)) header->ShowSection("ADMIN");
  }
  const std::string page = renderPage("frame.tpl", frame);
  response.sendBuffer(page.data(), page.size());
}

void sendMessagePage(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
                     const std::string& title, const std::string& message, const Session* session) {
  ctemplate::TemplateDictionary page("message");
  page.SetValue("MESSAGE", message);
  sendPage(response, status, title, renderPage("message.tpl", page), session);
}

void redirect(Poco::Net::HTTPServerResponse& response, const std::string& to) {
  response.setStatusAndReason(HTTPResponse::HTTP_SEE_OTHER);
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
                                 std::to_string(max_age_seconds) +
                                 "; Secure; HttpOnly; SameSite=Strict");
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
                                      const std::function<bool(const Roles&)>& allowed,
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
  if (!allowed((*session)->account.roles)) {
    drain(request.stream(), 1 << 20);
    sendMessagePage(response, HTTPResponse::HTTP_FORBIDDEN, "Not allowed",
                    "Your account (" + (*session)->account.roles.words() +
                        ") may not do this. Ask a senior leader if it needs doing, or the "
                        "administrator if your account needs another role.",
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
