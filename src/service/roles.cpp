#include "consentguard/service/roles.h"

#include "consentguard/common/text.h"

namespace consentguard::service {

std::string roleName(Role role) {
  switch (role) {
    case Role::kSlt:
      return "slt";
    case Role::kDsl:
      return "dsl";
    case Role::kAdmin:
      return "admin";
    case Role::kOffice:
      break;
  }
  return "office";
}

std::string roleWords(Role role) {
  switch (role) {
    case Role::kSlt:
      return "Senior leader";
    case Role::kDsl:
      return "DSL";
    case Role::kAdmin:
      return "Administrator";
    case Role::kOffice:
      break;
  }
  return "Office";
}

std::optional<Role> parseRole(const std::string& text) {
  for (Role role : kAllRoles) {
    if (roleName(role) == text) return role;
  }
  return std::nullopt;
}

std::vector<Role> Roles::list() const {
  std::vector<Role> out;
  for (Role role : kAllRoles) {
    if (has(role)) out.push_back(role);
  }
  return out;
}

std::string Roles::names() const {
  std::string out;
  for (Role role : list()) out += (out.empty() ? "" : ",") + roleName(role);
  return out;
}

std::string Roles::words() const {
  std::string out;
  for (Role role : list()) out += (out.empty() ? "" : ", ") + roleWords(role);
  return out;
}

std::optional<Roles> Roles::parse(const std::string& text) {
  Roles roles;
  size_t from = 0;
  while (from <= text.size()) {
    const size_t comma = std::min(text.find(',', from), text.size());
    auto role = parseRole(trimSpace(text.substr(from, comma - from)));
    if (!role) return std::nullopt;
    roles.add(*role);
    from = comma + 1;
  }
  if (roles.empty()) return std::nullopt;
  return roles;
}

bool canReview(const Roles& roles) { return roles.has(Role::kSlt) || roles.has(Role::kDsl); }
bool canSeeIncidents(const Roles& roles) { return roles.has(Role::kDsl); }
bool canManageAccounts(const Roles& roles) { return roles.has(Role::kAdmin); }
bool canSeeRegister(const Roles& roles) { return roles.has(Role::kAdmin) || roles.has(Role::kDsl); }
bool canChangeRegister(const Roles& roles) { return roles.has(Role::kAdmin); }
bool canSeeNoPhotoNotes(const Roles& roles) { return roles.has(Role::kDsl); }

}  // namespace consentguard::service
