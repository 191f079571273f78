#include "register_notices.h"

#include <algorithm>
#include <map>

#include "consentguard/common/dates.h"
#include "consentguard/faces/calibration.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/queue/offered_faces.h"

namespace consentguard::service {
namespace {

void addStale(ctemplate::TemplateDictionary& page, reg::RegisterStore& store,
              const ServiceSettings& settings, const std::string& pipeline) {
  const int months = settings.policy.template_max_age_months;
  auto stale = store.staleEnrolments(monthsBefore(todayIso(), months), pipeline);
  if (!stale || stale->empty()) return;
  auto* notice = page.AddSectionDictionary("STALE_NOTICE");
  notice->SetIntValue("STALE_COUNT", static_cast<long>(stale->size()));
  notice->SetIntValue("MONTHS", months);
  for (const auto& e : *stale) {
    auto* row = notice->AddSectionDictionary("STALE_PERSON");
    row->SetValue("ID", e.person_id);
    row->SetValue("NAME", e.display_name);
    row->SetValue("WHY", e.too_old ? "newest reference photo taken " + e.newest_photo_date
                                   : "enrolled by an earlier version of Consent Guard");
  }
}

void addLookalikes(ctemplate::TemplateDictionary& page, reg::RegisterStore& store,
                   const ServiceSettings& settings, const std::vector<reg::Person>& people,
                   const std::string& pipeline) {
  auto stored = store.templates();
  if (!stored) return;
  // Distances only compare within one pipeline, as `consentguard calibrate` does.
  std::vector<faces::EnrolledTemplate> templates;
  for (const auto& t : *stored) {
    if (t.pipeline != pipeline) continue;
    faces::EnrolledTemplate e;
    e.person = t.person_id;
    std::copy_n(t.descriptor.begin(), std::min(t.descriptor.size(), e.descriptor.size()),
                e.descriptor.begin());
    templates.push_back(std::move(e));
  }
  faces::CalibrationOptions options;
  options.match_threshold = settings.policy.match_threshold;
  options.match_margin = settings.policy.match_margin;
  options.protect_threshold = settings.policy.protect_threshold;
  const faces::Calibration c = faces::calibrate(templates, options);
  if (c.too_close.empty()) return;
  std::map<std::string, std::string> names;
  for (const auto& p : people) names[p.id] = p.displayName() + " (" + p.id + ")";
  auto who = [&](const std::string& id) { return names.count(id) ? names[id] : id; };
  auto* notice = page.AddSectionDictionary("LOOKALIKE_NOTICE");
  for (const auto& pair : c.too_close) {
    notice->AddSectionDictionary("LOOKALIKE")
        ->SetValue("TEXT", faces::tooCloseWarning(pair, who(pair.a), who(pair.b), options));
  }
  notice->SetValue("ADVICE", faces::tooCloseAdvice());
}

// Faces senior leaders named in reviewed photos, waiting for the admin on each pupil's page.
void addOffered(ctemplate::TemplateDictionary& page, reg::RegisterStore& store,
                const std::vector<reg::Person>& people) {
  auto offers = queue::openOffers(store.database(), "");
  if (!offers || offers->empty()) return;
  std::map<std::string, int> counts;
  for (const auto& o : *offers) ++counts[o.person_id];
  auto* notice = page.AddSectionDictionary("OFFERED_NOTICE");
  notice->SetIntValue("OFFERED_COUNT", static_cast<long>(offers->size()));
  for (const auto& p : people) {
    if (!counts.count(p.id)) continue;
    auto* row = notice->AddSectionDictionary("OFFERED_PERSON");
    row->SetValue("ID", p.id);
    row->SetValue("NAME", p.displayName());
    row->SetIntValue("FACES", counts[p.id]);
  }
}

}  // namespace

void addRegisterNotices(ctemplate::TemplateDictionary& page, reg::RegisterStore& store,
                        const ServiceSettings& settings, const std::vector<reg::Person>& people) {
  const std::string pipeline = faces::pipelineVersion(settings.engine.detector);
  addStale(page, store, settings, pipeline);
  addLookalikes(page, store, settings, people, pipeline);
  addOffered(page, store, people);
}

}  // namespace consentguard::service
