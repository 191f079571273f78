#include "consentguard/api/http_api.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <algorithm>
#include <istream>

#include "consentguard/common/dates.h"
#include "consentguard/common/files.h"
#include "consentguard/image/image_format.h"
#include "consentguard/image/image_loader.h"
#include "consentguard/queue/job_queue.h"
#include "consentguard/queue/takedowns.h"
#include "consentguard/register/register_store.h"
#include "consentguard/service/api_keys.h"
#include "consentguard/service/takedown_files.h"
#include "consentguard/video/video_file.h"
#include "http_util.h"
#include "register_api.h"
#include "web_pages.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

class ApiHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiHandler(const ServiceSettings& settings) : settings_(settings) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override;

 private:
  // Checks the bearer key; on failure the response has been sent and nullopt is returned.
  std::optional<ApiKey> authorise(HTTPServerRequest& request, HTTPServerResponse& response,
                                  reg::Database& db);
  void submit(HTTPServerRequest& request, HTTPServerResponse& response, ThreadDatabase& t);
  void status(const std::string& id, bool published, HTTPServerRequest& request,
              HTTPServerResponse& response, ThreadDatabase& t);
  void health(HTTPServerResponse& response, ThreadDatabase& t);
  // GET /api/v1/takedowns?channel=CH and POST /api/v1/takedowns/{id}/done.
  void takedowns(const std::string& path, HTTPServerRequest& request, HTTPServerResponse& response,
                 ThreadDatabase& t);

  const ServiceSettings& settings_;
};

std::optional<ApiKey> ApiHandler::authorise(HTTPServerRequest& request,
                                            HTTPServerResponse& response, reg::Database& db) {
  const std::string header = request.get("Authorization", "");
  const auto refuse = [&] { drain(request.stream(), 2 * settings_.max_upload_bytes); };
  if (header.rfind("Bearer ", 0) != 0) {
    refuse();
    response.set("WWW-Authenticate", "Bearer");
    sendError(response, HTTPResponse::HTTP_UNAUTHORIZED, "no_key",
              "This request needs an API key: send the header Authorization: Bearer KEY.");
    return std::nullopt;
  }
  auto key = findApiKey(db, header.substr(7));
  if (!key) {
    sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "database", key.error().message);
    return std::nullopt;
  }
  if (!*key) {
    refuse();
    response.set("WWW-Authenticate", "Bearer");
    sendError(response, HTTPResponse::HTTP_UNAUTHORIZED, "bad_key",
              "The API key is not known or has been withdrawn. Ask the school's Consent Guard "
              "administrator for a key.");
    return std::nullopt;
  }
  return **key;
}

void ApiHandler::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
  // Served over HTTPS only (service/https.h): browsers are told never to use plain HTTP here.
  response.set("Strict-Transport-Security", "max-age=31536000");
  const Poco::URI uri(request.getURI());
  const std::string path = uri.getPath();
  auto t = threadDatabase(settings_);
  if (!t) {
    sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "database", t.error().message);
    return;
  }
  const std::string method = request.getMethod();
  if (path.rfind("/api/", 0) != 0) return handleWebRoute(path, request, response, **t, settings_);
  const std::string photos = "/api/v1/photos/", publishedSuffix = "/published";
  if (path == "/api/v1/health" && method == "GET") return health(response, **t);
  if (path == "/api/v1/openapi.json" && method == "GET") {
    response.setContentType("application/json");
    response.send() << openApiDocument();
    return;
  }
  if (path == "/api/v1/photos" && method == "POST") return submit(request, response, **t);
  if (path.rfind("/api/v1/people", 0) == 0 || path.rfind("/api/v1/devices", 0) == 0) {
    auto key = authorise(request, response, (*t)->store->database());
    if (!key) return;
    if (!key->manages_register) {
      drain(request.stream(), 1 << 20);
      sendError(response, HTTPResponse::HTTP_FORBIDDEN, "not_a_register_key",
                "This API key may not change the register; the school's Consent Guard "
                "administrator can make one that may.");
      return;
    }
    if (handleRegisterRoute(path.substr(7), request, response, **t, settings_, "key:" + key->name))
      return;
  }
  if (path == "/api/v1/takedowns" || path.rfind("/api/v1/takedowns/", 0) == 0) {
    return takedowns(path, request, response, **t);
  }
  if (path.rfind(photos, 0) == 0 && path.size() > photos.size() && method == "GET") {
    std::string id = path.substr(photos.size());
    const bool published = id.size() > publishedSuffix.size() &&
                           id.compare(id.size() - publishedSuffix.size(), publishedSuffix.size(),
                                      publishedSuffix) == 0;
    if (published) id.resize(id.size() - publishedSuffix.size());
    return status(id, published, request, response, **t);
  }
  sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
            "There is no " + method + " " + path + " in this API (see /api/v1/).");
}

Poco::JSON::Object takedownJson(const queue::Takedown& t) {
  // Never the pupil: the CMS needs only what to remove, and why in one word.
  Poco::JSON::Object json;
  json.set("id", t.id);
  json.set("photo", t.photo);
  json.set("channel", t.channel);
  json.set("reason", t.reason);
  json.set("since", t.since);
  return json;
}

void ApiHandler::takedowns(const std::string& path, HTTPServerRequest& request,
                           HTTPServerResponse& response, ThreadDatabase& t) {
  auto key = authorise(request, response, t.store->database());
  if (!key) return;
  reg::Database& db = t.store->database();
  const std::string method = request.getMethod();
  if (path == "/api/v1/takedowns" && method == "GET") {
    std::string channel;
    for (const auto& [name, value] : Poco::URI(request.getURI()).getQueryParameters()) {
      if (name == "channel") channel = value;
    }
    if (!channel.empty() && !key->allows(channel)) {
      sendError(response, HTTPResponse::HTTP_FORBIDDEN, "channel_not_allowed",
                "This API key is not for the " + channel + " channel.");
      return;
    }
    auto open = queue::openTakedowns(db, channel);
    if (!open) {
      sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "database", open.error().message);
      return;
    }
    Poco::JSON::Array list;
    for (const auto& takedown : *open) {
      if (key->allows(takedown.channel)) list.add(takedownJson(takedown));
    }
    Poco::JSON::Object root;
    root.set("takedowns", list);
    sendJson(response, HTTPResponse::HTTP_OK, root);
    return;
  }
  // /api/v1/takedowns/{id}/done
  const std::string prefix = "/api/v1/takedowns/", suffix = "/done";
  const std::string id =
      path.size() > prefix.size() + suffix.size() &&
              path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0
          ? path.substr(prefix.size(), path.size() - prefix.size() - suffix.size())
          : "";
  const bool numeric =
      !id.empty() && id.size() <= 18 &&
      std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (method != "POST" || !numeric) {
    drain(request.stream(), 1 << 20);
    sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
              "There is no " + method + " " + path + " in this API (see /api/v1/).");
    return;
  }
  drain(request.stream(), 1 << 20);
  auto takedown = queue::findTakedown(db, std::stoll(id));
  if (!takedown) {
    sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "database",
              takedown.error().message);
    return;
  }
  if (!*takedown || !key->allows((*takedown)->channel)) {
    sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found",
              "There is no takedown " + id + ".");
    return;
  }
  // Done, and the service's own copy of the photo is deleted from the server (logged).
  if (Status s = finishTakedown(db, settings_.folders, (*takedown)->id, "key:" + key->name,
                                Poco::Logger::get("consentguard"));
      !s) {
    sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "database", s.error().message);
    return;
  }
  Poco::JSON::Object root = takedownJson(**takedown);
  root.set("done", true);
  sendJson(response, HTTPResponse::HTTP_OK, root);
}

void ApiHandler::health(HTTPServerResponse& response, ThreadDatabase& t) {
  Poco::JSON::Object root, jobs;
  for (auto state : {queue::JobState::kQueued, queue::JobState::kProcessing,
                     queue::JobState::kFinishing, queue::JobState::kDone}) {
    auto n = t.queue->count(state);
    if (!n) {
      sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "database", n.error().message);
      return;
    }
    jobs.set(queue::stateName(state), *n);
  }
  root.set("status", "ok");
  root.set("jobs", jobs);
  sendJson(response, HTTPResponse::HTTP_OK, root);
}

void ApiHandler::submit(HTTPServerRequest& request, HTTPServerResponse& response,
                        ThreadDatabase& t) {
  auto key = authorise(request, response, t.store->database());
  if (!key) return;
  const std::uint64_t limit = settings_.max_upload_bytes;
  const auto fail = [&](HTTPResponse::HTTPStatus status, const std::string& code,
                        const std::string& message) {
    drain(request.stream(), 2 * limit);
    sendError(response, status, code, message);
  };
  Poco::URI::QueryParameters query = Poco::URI(request.getURI()).getQueryParameters();
  queue::Submission submission{"", "", "", "", "api", "key:" + key->name};
  for (const auto& [name, value] : query) {
    if (name == "channel") submission.channel = value;
    if (name == "caption") submission.caption = value;
    if (name == "alt_text") submission.alt_text = value;
    if (name == "file_name") submission.file_name = value;
  }
  if (!settings_.policy.channel(submission.channel)) {
    fail(HTTPResponse::HTTP_BAD_REQUEST, "unknown_channel",
         policy::unknownChannel(submission.channel, settings_.policy).message);
    return;
  }
  if (!key->allows(submission.channel)) {
    fail(HTTPResponse::HTTP_FORBIDDEN, "wrong_channel",
         "This API key may not submit photos to the " + submission.channel + " channel.");
    return;
  }
  // A video may be larger than a photo: the bytes, once read, say which it is.
  const std::uint64_t anyLimit = std::max(limit, settings_.max_video_upload_bytes);
  const auto tooLarge = [&](std::optional<bool> isVideo) {
    const std::string photos = "photos up to " + std::to_string(limit >> 20) + " MB";
    const std::string videos =
        "videos up to " + std::to_string(settings_.max_video_upload_bytes >> 20) + " MB";
    fail(HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "too_large",
         !isVideo   ? "The file is too large: " + photos + " and " + videos + " are accepted."
         : *isVideo ? "The video is too large: " + videos + " are accepted."
                    : "The photo is too large: " + photos + " are accepted.");
  };
  if (request.hasContentLength() &&
      static_cast<std::uint64_t>(request.getContentLength64()) > anyLimit) {
    tooLarge(std::nullopt);
    return;
  }
  std::vector<std::uint8_t> body;
  if (request.hasContentLength()) body.reserve(static_cast<size_t>(request.getContentLength64()));
  std::istream& in = request.stream();
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    body.insert(body.end(), buffer, buffer + in.gcount());
    if (body.size() > anyLimit) {
      tooLarge(video::looksLikeVideo(body));
      return;
    }
  }
  const bool isVideo = video::looksLikeVideo(body);
  // A file sent without a name gets one that tells it from the others on every page and in
  // every folder: the day and the start of its id ("photo-2026-12-04-3fa2c9e1.png"). The same
  // bytes for the same channel are the same job, so the same name.
  const auto unnamed = [&](const std::string& kind, const std::string& extension) {
    return kind + "-" + todayIso() + "-" + queue::jobIdFor(submission.channel, body).substr(0, 8) +
           extension;
  };
  if (body.size() > (isVideo ? settings_.max_video_upload_bytes : limit)) {
    tooLarge(isVideo);
    return;
  }
  if (isVideo) {
    // Its length, frames and streams are checked by the worker; a file that is not a video
    // after all is blocked there with its reason.
    if (submission.file_name.empty()) submission.file_name = unnamed("video", ".mp4");
  } else {
    auto header = image::readImageHeader(body);
    if (!header) {
      const bool empty = header.error().code == "empty";
      sendError(response,
                empty ? HTTPResponse::HTTP_BAD_REQUEST : HTTPResponse::HTTP_UNSUPPORTED_MEDIA_TYPE,
                header.error().code, header.error().message);
      return;
    }
    if (std::uint64_t(header->width) * std::uint64_t(header->height) >
        image::LoadLimits{}.max_pixels) {
      sendError(response, HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE, "too_many_pixels",
                "The photo has too many pixels; export a smaller copy.");
      return;
    }
    if (submission.file_name.empty()) {
      submission.file_name = unnamed("photo", image::fileExtension(header->format));
    }
  }
  auto job = t.queue->submit(body, submission);
  if (!job) {
    sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "database", job.error().message);
    return;
  }
  Poco::JSON::Object root;
  root.set("id", job->id);
  root.set("status", job->state == queue::JobState::kDone ? "done" : "queued");
  response.set("Location", "/api/v1/photos/" + job->id);
  sendJson(response, HTTPResponse::HTTP_ACCEPTED, root);
}

void ApiHandler::status(const std::string& id, bool published, HTTPServerRequest& request,
                        HTTPServerResponse& response, ThreadDatabase& t) {
  auto key = authorise(request, response, t.store->database());
  if (!key) return;
  const bool validId = id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
                         return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                       });
  if (!validId) {
    sendError(response, HTTPResponse::HTTP_BAD_REQUEST, "bad_id",
              "'" + id + "' is not a photo id (32 hexadecimal digits).");
    return;
  }
  auto job = t.queue->find(id);
  if (!job) {
    sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "database", job.error().message);
    return;
  }
  // A key sees only its own channels' photos; others' are as good as absent.
  if (!*job || !key->allows((*job)->submission.channel)) {
    sendError(response, HTTPResponse::HTTP_NOT_FOUND, "not_found", "There is no photo " + id + ".");
    return;
  }
  const queue::Job& j = **job;
  const bool done = j.state == queue::JobState::kDone;
  if (published) {
    auto takenDown = queue::isTakenDown(t.store->database(), j.id);
    if (!takenDown) {
      sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "database",
                takenDown.error().message);
      return;
    }
    if (*takenDown) {
      sendError(response, HTTPResponse::HTTP_GONE, "taken_down",
                "This photo must no longer be published: someone in it may no longer appear on "
                "this channel. Remove it (see GET /api/v1/takedowns).");
      return;
    }
    if (!done || j.verdict != "publish") {
      sendError(response, HTTPResponse::HTTP_CONFLICT, "not_published",
                done ? "This photo was not approved for publication."
                     : "This photo has not been checked yet; ask again shortly.");
      return;
    }
    if (video::looksLikeVideo(readFileStart(j.output, 64))) {
      // Streamed from the outbox, not held in memory.
      try {
        response.sendFile(j.output.string(), "video/mp4");
      } catch (const Poco::Exception&) {
        sendError(response, HTTPResponse::HTTP_GONE, "gone",
                  "The published copy is no longer in the outbox.");
      }
      return;
    }
    auto bytes = image::readFileBytes(j.output);
    if (!bytes) {
      sendError(response, HTTPResponse::HTTP_GONE, "gone",
                "The published copy is no longer in the outbox.");
      return;
    }
    auto header = image::readImageHeader(*bytes);
    response.setContentType(image::mediaType(header ? header->format : image::ImageFormat::kJpeg));
    response.sendBuffer(bytes->data(), bytes->size());
    return;
  }
  Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
  if (done && !j.result_json.empty()) {
    Poco::JSON::Parser parser;
    root = parser.parse(j.result_json).extract<Poco::JSON::Object::Ptr>();
    root->remove("metadata");
    // Names the photo's own details gave are for SLT's page only: whether a name belongs to
    // the register is not the website's business.
    root->remove("metadata_names");
  }
  if (done && !j.decision.decision.empty()) {
    // A senior leader decided: the verdict is theirs, and says so.
    Poco::JSON::Object decision;
    decision.set("decision", j.decision.decision);
    decision.set("decided_by", j.decision.by);
    decision.set("decided_at", j.decision.at);
    if (!j.decision.reason.empty()) decision.set("reason", j.decision.reason);
    decision.set("checks_verdict", root->optValue<std::string>("verdict", j.first_verdict));
    root->set("decision", decision);
    root->set("verdict", j.verdict);
  }
  root->set("id", j.id);
  root->set("channel", j.submission.channel);
  root->set("file_name", j.submission.file_name);
  root->set("submitted_at", j.created_at);
  root->set("status",
            done ? "done" : (j.state == queue::JobState::kQueued ? "queued" : "checking"));
  if (done && j.verdict == "publish")
    root->set("published", "/api/v1/photos/" + j.id + "/published");
  sendJson(response, HTTPResponse::HTTP_OK, *root);
}

}  // namespace

Poco::Net::HTTPRequestHandler* ApiHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
  return new ApiHandler(settings_);
}

}  // namespace consentguard::service
