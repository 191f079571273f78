// The pages people use in a browser, served by the service beside the REST API:
//   /login, /logout                    signing in and out (web_login.cpp)
//   /setup                             the first administrator, with the code from the log
//                                      (web_setup.cpp)
//   /photos                            submit photos, see your own (web_photos.cpp)
//   /photos/{id}/cleaned|thumb.jpg     a published photo's cleaned copy, a thumbnail
//                                      (web_photo_files.cpp)
//   /review, /review/{id}[/...]         held photos and SLT's decisions (web_review.cpp)
//   /incidents[/{n}/face.jpg|confirm|dismiss]
//                                      incidents, possible ones confirmed or dismissed, and the
//                                      no-photo list, for the DSL (web_incidents.cpp)
//   /report[.csv|.html]                the termly report, for the DSL (web_dsl.cpp)
//   /admin                             accounts (with email) and API keys, for admin
//                                      (web_admin.cpp)
//   /register, /register/{id}[/...]    the consent register, for admin and the DSL
//                                      (web_register.cpp)
//   /register/{id}/offered/{n}.jpg|add|decline
//                                      faces named in review, offered as reference photos,
//                                      for admin (web_offered_faces.cpp)
//   /register/{id}/reference[/{n}.jpg|/{n}/remove], /re-enrol
//                                      reference photos, for admin
//                                      (web_reference_photos.cpp)
//   /import[/{token}]                  importing the register's CSV, previewed first, for admin
//                                      (web_import.cpp)
//   /devices[/add|remove|key]          school devices and making an API key, for admin
//                                      (web_devices.cpp)
//   /takedowns[/{id}/done]             published photos that must come down, for everyone
//                                      (web_takedowns.cpp)
// Every page is rendered from its template in src/web/templates/ (page_templates.h), inside
// frame.tpl; every route checks the session and role on the server (web_util.h:
// requireSession).
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <ctemplate/template.h>

#include "consentguard/register/register_store.h"
#include "consentguard/service/accounts.h"
#include "consentguard/service/service_settings.h"
#include "http_util.h"

namespace consentguard::service {

// Handles any path outside /api/; answers 404 for one it does not know.
void handleWebRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                    Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                    const ServiceSettings& settings);

bool handleLoginRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response, ThreadDatabase& t);
bool handleSetupRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response, ThreadDatabase& t);
bool handlePhotosRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                       const ServiceSettings& settings);
// /photos/{id}/cleaned and /photos/{id}/thumb.jpg: a published photo's cleaned copy to
// download, and a thumbnail of one's own photo (web_photo_files.cpp).
bool handlePhotoFilesRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response, ThreadDatabase& t);
bool handleReviewRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                       const ServiceSettings& settings);
// /account: anyone signed in sees their account and changes their own password (web_account.cpp).
bool handleAccountRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                        Poco::Net::HTTPServerResponse& response, ThreadDatabase& t);
bool handleAdminRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                      const ServiceSettings& settings);
bool handleRegisterPagesRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                              Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                              const ServiceSettings& settings);
// /register/{id}/reference[...] and /re-enrol (web_reference_photos.cpp).
bool handleReferencePhotosRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                                Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                                const ServiceSettings& settings);
// /register/{id}/offered/{n}.jpg|add|decline: faces SLT named in reviewed photos, offered to the
// admin as reference photos (web_offered_faces.cpp); and the person page's part that lists them
// (ANY_OFFERED in person.tpl).
bool handleOfferedFacesRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                             Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                             const ServiceSettings& settings);
void addOfferedFaces(ctemplate::TemplateDictionary& page, ThreadDatabase& t,
                     const reg::Person& person, const Session& session);
// The notice after an offer was acted on (`outcome` from ?offer=added|declined).
void addOfferedFaceNotice(ctemplate::TemplateDictionary& page, const reg::Person& person,
                          const std::string& outcome);
// /import[/{token}]: the register from the MIS, previewed then confirmed (web_import.cpp).
bool handleImportRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                       const ServiceSettings& settings);
bool handleDevicesRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                        Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                        const ServiceSettings& settings);
// Registers a device as the school's (audited) and checks its held photos again.
Status registerSchoolDevice(ThreadDatabase& t, const reg::Device& device, const Session& session);
bool handleTakedownsRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                          const ServiceSettings& settings);
// How many open takedowns are older than `days` days (for the DSL).
int overdueTakedowns(reg::Database& db, int days);
bool handleIncidentsRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                          Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                          const ServiceSettings& settings);
bool handleDslRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                    Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                    const ServiceSettings& settings);

}  // namespace consentguard::service
