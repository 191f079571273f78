// Versioned schema migrations for the register. Each migration runs once, in order, in its own
// transaction together with the bump of schema_version; a database newer than this program is
// refused rather than guessed at.
#pragma once

#include "consentguard/register/database.h"

namespace consentguard::reg {

Status migrate(Database& db);

}  // namespace consentguard::reg
