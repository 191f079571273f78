// Finds register people's full names in free text (rule 4: pupils' full names are never
// published with a photograph). A full name is the given (or preferred) name and the family
// name together, in any case, with any punctuation between, in either order: "Amy Fowler",
// "amy_fowler.jpg", "FOWLER, Amy", "Amy-Farrah Fowler" for family name "Farrah Fowler".
// A first name on its own is allowed. Letters outside ASCII are compared as they are (no case
// folding), so "ZOË" does not match "Zoë": see README.
// Immutable after construction; safe to use from several threads.
#pragma once

#include <string>
#include <vector>

namespace consentguard::policy {

struct PersonName {
  std::string person_id;
  std::string given_name;
  std::string preferred_name;  // may be empty
  std::string family_name;
};

struct NameHit {
  std::string person_id;
  std::string name;  // as the register writes it, e.g. "Amy Fowler"
};

class FullNameFinder {
 public:
  explicit FullNameFinder(const std::vector<PersonName>& people);

  // Every person whose full name appears in `text`, once each.
  std::vector<NameHit> find(const std::string& text) const;

 private:
  struct Pattern {
    std::vector<std::string> tokens;  // e.g. {"amy", "fowler"} or {"fowler", "amy"}
    std::string squashed;             // "amyfowler", for names run together as in AmyFowler.jpg
    NameHit hit;
  };
  std::vector<Pattern> patterns_;
};

// Lower-case ASCII words of `text`: every run of letters, digits and non-ASCII bytes.
std::vector<std::string> nameTokens(const std::string& text);

}  // namespace consentguard::policy
