#include "person_history.h"

#include <Poco/JSON/Parser.h>

#include <cctype>

#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::JSON::Object;

std::string text(const Object::Ptr& o, const std::string& key) {
  return o && o->has(key) && !o->isNull(key) ? o->getValue<std::string>(key) : "";
}

int number(const Object::Ptr& o, const std::string& key) {
  return o && o->has(key) && !o->isNull(key) ? o->getValue<int>(key) : 0;
}

bool flag(const Object::Ptr& o, const std::string& key) {
  return o && o->has(key) && !o->isNull(key) && o->getValue<bool>(key);
}

std::string consentWords(const Object::Ptr& c) {
  const std::string status = text(c, "status"), expires = text(c, "expires_on");
  if (status == "granted") return expires.empty() ? "given" : "given until " + expires;
  if (status == "withdrawn") return "withdrawn";
  if (status == "refused") return "refused";
  return "not recorded";
}

std::string biometricWords(const std::string& name) {
  if (name == "given") return "given";
  if (name == "withdrawn") return "withdrawn";
  if (name == "objected") return "objected to by the pupil";
  return "not given";
}

std::string fieldWords(const std::string& field) {
  if (field == "given_name") return "given name";
  if (field == "family_name") return "family name";
  if (field == "preferred_name") return "preferred name";
  if (field == "year_group") return "year group";
  if (field == "left_on") return "leaving date";
  return field;
}

std::string templatesDeleted(int n) {
  return n > 0 ? "; " + std::to_string(n) + " face template(s) deleted" : "";
}

std::string sentence(const std::string& action, const Object::Ptr& d) {
  if (action == "consent_changed") {
    const auto now = d->getObject("new"), before = d->getObject("old");
    std::string s = "Consent for " + channelLabel(text(d, "channel")) + " " + consentWords(now);
    if (before) s += " (was " + consentWords(before) + ")";
    return s + ".";
  }
  if (action == "no_photo_changed") {
    const bool before = flag(d, "old"), now = flag(d, "new");
    const std::string note = text(d, "note") == "note changed" ? " The restricted note changed." : "";
    if (now && !before) return "Put on the no-photo list." + note;
    if (!now && before) return "Taken off the no-photo list." + note;
    return (now ? "Still on the no-photo list." : "Still not on the no-photo list.") + note;
  }
  if (action == "biometric_changed") {
    return "Biometric consent recorded as " + biometricWords(text(d, "new")) + " (was " +
           biometricWords(text(d, "old")) + ")" + templatesDeleted(number(d, "templates_deleted")) +
           ".";
  }
  if (action == "person_saved") {
    std::string fields;
    if (d->has("changed")) {
      for (const auto& f : *d->getArray("changed")) {
        const std::string name = f.toString();
        if (name == "new person") return "Added to the register.";
        fields += (fields.empty() ? "" : ", ") + fieldWords(name);
      }
    }
    return fields.empty() ? "Details saved, nothing changed." : "Details changed: " + fields + ".";
  }
  if (action == "reference_photo_added") {
    const std::string date = text(d, "photo_date");
    return "Reference photo " + text(d, "source") + " added" +
           (date.empty() ? "" : " (taken " + date + ")") + ", with a face template made from it.";
  }
  if (action == "reference_photo_removed") {
    return "Reference photo " + text(d, "source") + " removed, with its face template.";
  }
  if (action == "re_enrolled") {
    return "Enrolled again from the kept reference photos after the face engine changed: " +
           std::to_string(number(d, "templates_made")) + " face template(s) made.";
  }
  if (action == "reference_face_offered") {
    return "A senior leader named them in a reviewed photo; the face was offered as a reference "
           "photo.";
  }
  if (action == "reference_face_added") {
    return "A face offered from a reviewed photo was added to the reference photos.";
  }
  if (action == "reference_face_declined") return "A face offered from a reviewed photo was turned down.";
  if (action == "register_imported") return "Changed by an import of the register from the MIS.";
  return "";
}

}  // namespace

std::string historySentence(const std::string& action, const std::string& details) {
  std::string said;
  try {
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(details.empty() ? "{}" : details);
    const auto object = parsed.extract<Object::Ptr>();
    if (object) said = sentence(action, object);
  } catch (const Poco::Exception&) {
  } catch (const std::exception&) {  // a detail of an unexpected type: fall back to the action
  }
  if (!said.empty()) return said;
  std::string words = action;
  for (char& c : words) {
    if (c == '_') c = ' ';
  }
  if (!words.empty()) words[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(words[0])));
  return words + ".";
}

}  // namespace consentguard::service
