// The register page's notices for the school office (register.tpl): the people to photograph
// again, the people Consent Guard finds too alike to tell apart, and the faces offered from
// reviewed photos as new reference photos, each with what to do.
// The same facts as `consentguard register list --stale` and the warning of `consentguard
// calibrate` (faces/calibration.h), in words for the office.
// Reads the store it is given; not thread-safe beyond the store (one per request thread).
#pragma once

#include <ctemplate/template.h>

#include <vector>

#include "consentguard/register/register_store.h"
#include "consentguard/service/service_settings.h"

namespace consentguard::service {

// Fills, when there is something to say: STALE_NOTICE (STALE_COUNT; STALE_PERSON with ID,
// NAME, WHY), LOOKALIKE_NOTICE (LOOKALIKE with TEXT; ADVICE) and OFFERED_NOTICE (OFFERED_COUNT;
// OFFERED_PERSON with ID, NAME, FACES: faces named in review, offered as reference photos). A database problem leaves a
// notice out: the page itself still shows.
void addRegisterNotices(ctemplate::TemplateDictionary& page, reg::RegisterStore& store,
                        const ServiceSettings& settings, const std::vector<reg::Person>& people);

}  // namespace consentguard::service
