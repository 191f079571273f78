// The register page's notices for the school office (register.tpl): the people to photograph
// again, and the people Consent Guard finds too alike to tell apart, each with what to do.
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
// NAME, WHY) and LOOKALIKE_NOTICE (LOOKALIKE with TEXT; ADVICE). A database problem leaves a
// notice out: the page itself still shows.
void addRegisterNotices(ctemplate::TemplateDictionary& page, reg::RegisterStore& store,
                        const ServiceSettings& settings, const std::vector<reg::Person>& people);

}  // namespace consentguard::service
