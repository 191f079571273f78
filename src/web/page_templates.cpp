#include "page_templates.h"

#include <mutex>
#include <set>

namespace consentguard::service {

std::string renderPage(const std::string& name, const ctemplate::TemplateDictionary& values) {
  static std::mutex loading;
  static std::set<std::string> loaded;
  {
    std::lock_guard<std::mutex> lock(loading);
    if (!loaded.count(name)) {
      const char* text = pageTemplateText(name);
      if (!text || !ctemplate::StringToTemplateCache(name, text, ctemplate::DO_NOT_STRIP)) {
        return "<p class=\"error\">This page could not be shown (its template " + name +
               " is missing or damaged). Tell the person who looks after Consent Guard.</p>";
      }
      loaded.insert(name);
    }
  }
  std::string out;
  if (!ctemplate::ExpandTemplate(name, ctemplate::DO_NOT_STRIP, &values, &out)) {
    return "<p class=\"error\">This page could not be shown. Tell the person who looks after "
           "Consent Guard.</p>";
  }
  return out;
}

}  // namespace consentguard::service
