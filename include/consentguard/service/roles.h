// The roles people hold in Consent Guard's pages, and what each role may do.
//   office: submits photos and sees their own;   slt: reviews held photos and decides;
//   dsl: all that slt may, plus incidents, the no-photo list's restricted notes and the report;
//   admin: accounts, the register, devices and API keys.
// One account may hold several roles: in a small school the head teacher is SLT, DSL and admin
// at once. The pages and routes ask the canX questions below, never a role directly.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace consentguard::service {

enum class Role { kOffice, kSlt, kDsl, kAdmin };
inline constexpr Role kAllRoles[] = {Role::kOffice, Role::kSlt, Role::kDsl, Role::kAdmin};

std::string roleName(Role role);   // "office", "slt", "dsl", "admin": as stored and typed
std::string roleWords(Role role);  // "Office", "Senior leader", "DSL", "Administrator"
std::optional<Role> parseRole(const std::string& text);

// A set of roles. One role converts to a set of one, so `canReview(Role::kSlt)` reads as it says.
class Roles {
 public:
  Roles() = default;
  Roles(Role role) : bits_(bit(role)) {}  // NOLINT(google-explicit-constructor)

  bool has(Role role) const { return (bits_ & bit(role)) != 0; }
  Roles& add(Role role) {
    bits_ |= bit(role);
    return *this;
  }
  Roles& remove(Role role) {
    bits_ &= ~bit(role);
    return *this;
  }
  bool empty() const { return bits_ == 0; }
  std::vector<Role> list() const;
  std::string names() const;  // "slt,dsl", in kAllRoles' order
  std::string words() const;  // "Senior leader, DSL"
  // "slt,dsl" (spaces allowed, order free); nullopt for an empty list or an unknown name.
  static std::optional<Roles> parse(const std::string& text);

  bool operator==(const Roles&) const = default;

 private:
  static unsigned bit(Role role) { return 1u << static_cast<unsigned>(role); }
  unsigned bits_ = 0;
};

// What the roles allow; any one role that allows it is enough.
bool canReview(const Roles& roles);           // slt, dsl
bool canSeeIncidents(const Roles& roles);     // dsl
bool canManageAccounts(const Roles& roles);   // admin
bool canSeeRegister(const Roles& roles);      // admin, dsl
bool canChangeRegister(const Roles& roles);   // admin (the DSL changes only the no-photo list)
bool canSeeNoPhotoNotes(const Roles& roles);  // dsl

}  // namespace consentguard::service
