// Reference photos in the browser, for the admin: upload one or more photos of a person to
// enrol them (only with biometric consent; each photo refused gets its plain reason), see a
// kept photo, remove one, and enrol everyone again from the kept photos after the face engine
// changes (/re-enrol). The work is check/enrolment.h's, audited there.
#include <Poco/NumberParser.h>
#include <Poco/URI.h>

#include "consentguard/check/enrolment.h"
#include "page_templates.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

constexpr size_t kMaxPhotosPerUpload = 10;

void engineProblem(Poco::Net::HTTPServerResponse& response, const Error& error,
                   const Session& session) {
  sendMessagePage(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Not enrolled",
                  "The face engine could not be loaded, so nothing was enrolled. Tell the "
                  "Consent Guard administrator: " +
                      error.message,
                  &session);
}

void upload(const std::string& id, Poco::Net::HTTPServerRequest& request,
            Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
            const ServiceSettings& settings, const Session& session) {
  Poco::Net::HTMLForm form;
  FileUploads files(settings.max_upload_bytes, kMaxPhotosPerUpload);
  if (!readUpload(request, response, session, form, files)) return;
  const auto refuse = [&](const std::string& message) {
    sendMessagePage(response, HTTPResponse::HTTP_BAD_REQUEST, "Not enrolled", message, &session);
  };
  if (files.too_many) {
    return refuse("Send at most " + std::to_string(kMaxPhotosPerUpload) +
                  " photos at a time. Nothing was enrolled.");
  }
  if (files.too_large) {
    return refuse("A photo is larger than " + std::to_string(settings.max_upload_bytes >> 20) +
                  " MB. Export a smaller copy. Nothing was enrolled.");
  }
  if (files.files.empty()) return refuse("Choose one or more photos of the person's face.");
  auto person = t.store->findPerson(id);
  if (!person || !*person) {
    return sendMessagePage(response, HTTPResponse::HTTP_NOT_FOUND, "No such person",
                           "There is nobody with the register id " + id + ".", &session);
  }
  if ((*person)->biometric != reg::Biometric::kGiven) {
    return refuse((*person)->displayName() +
                  " has no biometric consent, so no reference photo can be kept. Record the "
                  "parent's biometric consent first if they have given it.");
  }
  auto engine = threadFaceEngine(settings);
  if (!engine) return engineProblem(response, engine.error(), session);
  ctemplate::TemplateDictionary page("enrolled");
  page.SetValue("ID", id);
  page.SetValue("NAME", (*person)->displayName());
  int enrolled = 0;
  for (const auto& file : files.files) {
    const std::string name = std::filesystem::path(file.name).filename().string();
    auto done = check::enrolReferencePhoto(*t.store, **engine, id, file.bytes,
                                           name.empty() ? "photo" : name, actorOf(session));
    auto* row = page.AddSectionDictionary("FILE");
    row->SetValue("NAME", name);
    if (done) {
      ++enrolled;
      row->ShowSection("OK");
      row->SetValue("TEXT", "Enrolled (the photo was taken on " + done->photo_date + ").");
    } else {
      row->ShowSection("REFUSED");
      row->SetValue("TEXT", "Not enrolled. " + done.error().message);
    }
  }
  page.SetIntValue("ENROLLED", enrolled);
  page.SetIntValue("SENT", static_cast<long>(files.files.size()));
  sendPage(response, enrolled > 0 ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_BAD_REQUEST,
           "Reference photos", renderPage("enrolled.tpl", page), &session);
}

void showPhoto(const std::string& id, std::int64_t photo, Poco::Net::HTTPServerResponse& response,
               ThreadDatabase& t, const Session& session) {
  auto kept = t.store->referencePhoto(photo);
  if (!kept || !*kept || (*kept)->person_id != id) {
    return sendMessagePage(response, HTTPResponse::HTTP_NOT_FOUND, "No such photo",
                           "That reference photo is not kept (it may have been removed).",
                           &session);
  }
  response.setStatusAndReason(HTTPResponse::HTTP_OK);
  response.setContentType("image/jpeg");
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.setContentLength(static_cast<std::streamsize>((*kept)->jpeg.size()));
  response.send().write(reinterpret_cast<const char*>((*kept)->jpeg.data()),
                        static_cast<std::streamsize>((*kept)->jpeg.size()));
}

void reEnrolEveryone(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                     const ServiceSettings& settings, const Session& session) {
  auto engine = threadFaceEngine(settings);
  if (!engine) return engineProblem(response, engine.error(), session);
  auto report = check::reEnrol(*t.store, **engine, actorOf(session));
  if (!report) {
    return sendMessagePage(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "Not enrolled again",
                           report.error().message, &session);
  }
  ctemplate::TemplateDictionary page("re_enrolled");
  page.SetIntValue("MADE", report->templates_made);
  page.SetIntValue("PEOPLE", report->people);
  page.SetValue("PIPELINE", (*engine)->pipelineVersion());
  if (!report->refused.empty()) page.ShowSection("ANY_REFUSED");
  for (const auto& refused : report->refused) {
    page.AddSectionDictionary("REFUSED")->SetValue("TEXT", refused);
  }
  sendPage(response, HTTPResponse::HTTP_OK, "Enrolled again from the kept photos",
           renderPage("re_enrolled.tpl", page), &session);
}

}  // namespace

bool handleReferencePhotosRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                                Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                                const ServiceSettings& settings) {
  const bool post = request.getMethod() == "POST";
  if (path == "/re-enrol") {
    if (!post) return false;
    auto session = requireSession(request, response, t, canChangeRegister);
    if (session) reEnrolEveryone(response, t, settings, *session);
    return true;
  }
  // /register/{id}/reference[/{n}.jpg | /{n}/remove]
  const std::string prefix = "/register/", marker = "/reference";
  if (path.rfind(prefix, 0) != 0) return false;
  const auto at = path.find(marker, prefix.size());
  if (at == std::string::npos) return false;
  std::string id;
  Poco::URI::decode(path.substr(prefix.size(), at - prefix.size()), id);
  const std::string rest = path.substr(at + marker.size());
  if (id.empty() || id.find('/') != std::string::npos) return false;
  if (rest.empty()) {
    // The enrolment's answer is the page of a POST: reloading or going back to its address
    // leads to the person's page, where the photos kept are listed.
    if (!post) {
      redirect(response, "/register/" + Poco::URI(id).toString() + "#reference");
      return true;
    }
    Poco::Net::HTMLForm unused;
    auto session = requireSession(request, response, t, canChangeRegister, &unused,
                                  /*form_read_by_caller=*/true);
    if (session) upload(id, request, response, t, settings, *session);
    return true;
  }
  std::int64_t photo = 0;
  const bool image = !post && rest.size() > 5 && rest.ends_with(".jpg");
  const bool remove = post && rest.ends_with("/remove");
  const std::string number = image    ? rest.substr(1, rest.size() - 5)
                             : remove ? rest.substr(1, rest.size() - 8)
                                      : "";
  Poco::Int64 parsed = 0;
  if (number.empty() || !Poco::NumberParser::tryParse64(number, parsed)) return false;
  photo = parsed;
  auto session = requireSession(request, response, t, canChangeRegister);
  if (!session) return true;
  if (image) {
    showPhoto(id, photo, response, t, *session);
    return true;
  }
  auto kept = t.store->referencePhoto(photo);
  Status done = kept && *kept && (*kept)->person_id == id
                    ? check::removeReferencePhoto(*t.store, photo, actorOf(*session))
                    : Status(makeError("not_found", "That reference photo is not kept."));
  if (!done) {
    sendMessagePage(response, HTTPResponse::HTTP_BAD_REQUEST, "Not removed",
                    done.error().message, &*session);
    return true;
  }
  redirect(response, "/register/" + Poco::URI(id).toString() + "?saved=1");
  return true;
}

}  // namespace consentguard::service
