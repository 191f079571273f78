#include "consentguard/policy/full_names.h"

#include <algorithm>
#include <set>

namespace consentguard::policy {
namespace {

bool isWordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

std::string join(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) out += t;
  return out;
}

bool containsRun(const std::vector<std::string>& haystack, const std::vector<std::string>& run) {
  if (run.empty() || run.size() > haystack.size()) return false;
  return std::search(haystack.begin(), haystack.end(), run.begin(), run.end()) != haystack.end();
}

}  // namespace

std::vector<std::string> nameTokens(const std::string& text) {
  std::vector<std::string> tokens;
  std::string current;
  for (unsigned char c : text) {
    if (isWordByte(c)) {
      current += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

FullNameFinder::FullNameFinder(const std::vector<PersonName>& people) {
  for (const auto& person : people) {
    const auto family = nameTokens(person.family_name);
    if (family.empty()) continue;
    for (const auto* first : {&person.given_name, &person.preferred_name}) {
      const auto given = nameTokens(*first);
      if (given.empty()) continue;
      const NameHit hit{person.person_id, *first + " " + person.family_name};
      std::vector<std::string> forward = given, backward = family;
      forward.insert(forward.end(), family.begin(), family.end());
      backward.insert(backward.end(), given.begin(), given.end());
      patterns_.push_back({forward, join(forward), hit});
      patterns_.push_back({backward, join(backward), hit});
    }
  }
}

std::vector<NameHit> FullNameFinder::find(const std::string& text) const {
  const auto tokens = nameTokens(text);
  std::vector<NameHit> hits;
  std::set<std::string> seen;
  for (const auto& pattern : patterns_) {
    if (seen.count(pattern.hit.person_id)) continue;
    // Whole words in order, or the name run together inside one word ("AmyFowler.jpg"). The
    // second can match across words by chance; a false alarm only holds a caption back.
    bool found = containsRun(tokens, pattern.tokens);
    if (!found && pattern.tokens.size() >= 2) {
      found = std::any_of(tokens.begin(), tokens.end(), [&](const std::string& token) {
        return token.find(pattern.squashed) != std::string::npos;
      });
    }
    if (found) {
      seen.insert(pattern.hit.person_id);
      hits.push_back(pattern.hit);
    }
  }
  return hits;
}

}  // namespace consentguard::policy
