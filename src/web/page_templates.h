// Pages rendered from template files (src/web/templates/NAME.tpl, built into the program) with
// ctemplate. Every template starts with {{%AUTOESCAPE context="HTML"}}, so each value is
// escaped for the place it goes: text, an attribute or a URL. The page frame (header, links
// for the role) is still web_util's sendPage; the pages move to templates one by one.
// Thread-safe: the templates are loaded once, on first use.
#pragma once

#include <ctemplate/template.h>

#include <string>

namespace consentguard::service {

// The expanded template; a page saying it could not be shown if the template is broken.
std::string renderPage(const std::string& name, const ctemplate::TemplateDictionary& values);

// The templates' text by name, from the generated page_templates_data.cpp.
const char* pageTemplateText(const std::string& name);

}  // namespace consentguard::service
