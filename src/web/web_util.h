// Pieces shared by the pages people use in a browser (sign-in, review, my photos, incidents,
// report): the page frame (src/web/templates/frame.tpl), cookies and forms, and the one gate every page
// goes through: a current session, a role that may see the page, and for every POST the
// session's CSRF token. Pages are plain HTML forms served by the service itself, with no
// script at all, so they work offline on the school network and a Content-Security-Policy
// can forbid scripts outright.
#pragma once

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>
#include <optional>
#include <string>

#include "consentguard/faces/face_engine.h"
#include "consentguard/service/accounts.h"
#include "http_util.h"

namespace consentguard::service {

// "2026-11-23T08:24:17.179Z" (or SQLite's "2026-11-23 08:24:17") as "2026-11-23 08:24 UTC".
std::string readableTime(const std::string& iso);

// A channel's key in words for a page: "social_media" -> "Social media", "website" -> "Website".
std::string channelLabel(const std::string& key);

// Who did something, for a person to read: "user:ada" -> "ada", "service" -> "Consent Guard",
// "cli:root" -> "root (on the server)", "key:cms" -> "the system cms (API key)".
std::string actorLabel(const std::string& actor);

// Sends a whole page: the header with who is signed in and the links their role may use.
void sendPage(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const std::string& title, const std::string& body, const Session* session = nullptr);
// A page with a heading and one message, for refusals and errors.
void sendMessagePage(Poco::Net::HTTPServerResponse& response,
                     Poco::Net::HTTPResponse::HTTPStatus status, const std::string& title,
                     const std::string& message, const Session* session = nullptr);
void redirect(Poco::Net::HTTPServerResponse& response, const std::string& to);

// Sends an RGB picture (a face, a held photo) as a JPEG whose long side is `longSide` px: shrunk
// to it when larger, and enlarged to it too when `enlarge`. Never cached: it shows a child.
void sendJpeg(Poco::Net::HTTPServerResponse& response, const cv::Mat& rgb, int longSide,
              bool enlarge = false);

std::string cookie(const Poco::Net::HTTPServerRequest& request, const std::string& name);
void setCookie(Poco::Net::HTTPServerResponse& response, const std::string& name,
               const std::string& value, int max_age_seconds);

// Reads a url-encoded form of at most 64 KB into `form`; false (and a 413 or 400 page sent)
// when it is larger or cannot be read.
bool readForm(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
              Poco::Net::HTMLForm& form);

// The gate: the signed-in session if there is one and `allowed(roles)` holds, and, for a POST,
// the form's CSRF token matches. Otherwise the answer has been sent (sign-in page, 403, 400)
// and nullopt is returned. For a POST the form is read into `form` and its token checked,
// unless `form_read_by_caller` (an upload), when the caller must call csrfMatches itself.
std::optional<Session> requireSession(Poco::Net::HTTPServerRequest& request,
                                      Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                                      const std::function<bool(const Roles&)>& allowed,
                                      Poco::Net::HTMLForm* form = nullptr,
                                      bool form_read_by_caller = false);
// Checks a form's CSRF token; on a mismatch the 403 page has been sent.
bool csrfMatches(const Poco::Net::HTMLForm& form, const Session& session,
                 Poco::Net::HTTPServerResponse& response);

// The files of a multipart upload (parts with a file name; an empty file input is skipped):
// at most `max_files`, each at most `limit` bytes. A file over the limit, or one too many, is
// read and dropped, and flagged, never cut short or appended to another.
class FileUploads : public Poco::Net::PartHandler {
 public:
  FileUploads(std::uint64_t limit, size_t max_files) : limit_(limit), max_files_(max_files) {}
  void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override;

  struct File {
    std::string name;  // as the browser gave it
    std::vector<std::uint8_t> bytes;
  };
  std::vector<File> files;
  bool too_large = false;
  bool too_many = false;

 private:
  std::uint64_t limit_;
  size_t max_files_;
};

// Reads a multipart form (an upload) into `form` and `files`, and checks its CSRF token. False
// when it cannot be read or the token is wrong; the answer has then been sent.
bool readUpload(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                const Session& session, Poco::Net::HTMLForm& form, FileUploads& files);

// This request thread's face engine, loaded on first use (about a second).
Result<faces::FaceEngine*> threadFaceEngine(const ServiceSettings& settings);

// "user:NAME", the actor in the audit trail.
std::string actorOf(const Session& session);

}  // namespace consentguard::service
