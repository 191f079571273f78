// A person's history on their register page, in sentences: the audit trail's entries about
// them (consent, the no-photo list, biometric consent, details, reference photos) turned from
// their action code and JSON details into words. Pure functions; thread-safe.
#pragma once

#include <string>

namespace consentguard::service {

// "Consent for Website withdrawn.", "Put on the no-photo list.", ... for an audit entry's action
// and details (JSON); a plain sentence naming the change for an action it does not know.
std::string historySentence(const std::string& action, const std::string& details);

}  // namespace consentguard::service
