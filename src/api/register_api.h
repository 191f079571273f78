// The register's routes of the REST API, for the MIS link and the admin's tools (a key made
// with `consentguard keys create --register`):
//   GET  /api/v1/people                    GET|PUT /api/v1/people/{id}
//   PUT  /api/v1/people/{id}/consent/{channel}   {"granted": bool, "expires_on": "YYYY-MM-DD"}
//   PUT  /api/v1/people/{id}/no-photo            {"no_photo": bool, "note": "..."}
//   GET|POST /api/v1/devices               DELETE /api/v1/devices/{n}
// A change of consent or of the no-photo flag sends that person's held photos back to be
// checked again at once. The no-photo note is never returned here (it is for the DSL).
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

#include "http_util.h"

namespace consentguard::service {

// Answers the request when `path` (after /api/v1) is one of the register's routes; returns
// false, having sent nothing, when it is not. Changes are written to the audit trail as made by
// `actor` ("key:NAME").
bool handleRegisterRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                         Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                         const ServiceSettings& settings, const std::string& actor);

}  // namespace consentguard::service
