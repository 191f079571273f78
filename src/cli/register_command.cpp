// consentguard register ...: the office's tools for the consent register.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "consentguard/audit/audited_register.h"
#include "consentguard/check/enrolment.h"
#include "consentguard/faces/face_engine.h"
#include "consentguard/common/dates.h"
#include "consentguard/policy/policy_config.h"
#include "consentguard/register/csv_import.h"
#include "engine_options.h"
#include "register_access.h"

namespace consentguard::cli {
namespace {

constexpr const char* kUsage =
    "Usage:\n"
    "  consentguard register import --db DB [--config FILE] FILE.csv\n"
    "  consentguard register list --db DB [--stale [--config FILE] [--detector NAME]]\n"
    "      --stale: only the people to photograph again (every face template too old, or made\n"
    "      by an earlier face engine), as policy.template_max_age_months says\n"
    "  consentguard register re-enrol --db DB [--config FILE] [--models DIR] [--detector NAME]\n"
    "      makes every face template again from the kept reference photos (after the face\n"
    "      engine changes)\n"
    "  consentguard register consent --db DB --person ID --channel CH (--grant [--expires "
    "YYYY-MM-DD] | --withdraw)\n"
    "  consentguard register biometric --db DB --person ID (--give | --object | --withdraw)\n"
    "  consentguard register no-photo --db DB --person ID (--on [--note TEXT] | --off)\n"
    "  consentguard register export --db DB --person ID      (subject access: prints JSON)\n"
    "  consentguard register erase --db DB --person ID\n"
    "  consentguard register device add --db DB --make MAKE --model MODEL [--serial S] "
    "[--description TEXT]\n"
    "  consentguard register device list --db DB\n"
    "  consentguard register device remove --db DB --id N\n";

int usage() {
  std::cerr << kUsage;
  return kExitUsage;
}

int importCsv(reg::RegisterStore& store, const std::string& db, Args& args) {
  auto config = policy::loadPolicy(takeOption(args, "--config"));
  if (!config) return reportError(config.error(), kExitSetupProblem);
  if (args.size() != 1) return usage();
  std::ifstream in(args[0], std::ios::binary);
  if (!in) {
    return reportError(makeError("not_found", "The file " + args[0] + " could not be opened."),
                       kExitBadInput);
  }
  std::ostringstream text;
  text << in.rdbuf();
  reg::ImportOptions options;
  options.channels = config->channelNames();
  options.today = todayIso();
  auto report =
      audit::AuditedRegister(store, cliActor())
          .importCsv(text.str(), options, std::filesystem::path(args[0]).filename().string());
  if (!report) return reportError(report.error(), kExitBadInput);
  std::cout << "Imported the register: " << report->added << " added, " << report->updated
            << " updated.\n";
  if (report->consents_withdrawn > 0) {
    std::cout << report->consents_withdrawn
              << " consent(s) withdrawn: photos not yet published will now be held or blocked.\n";
  }
  if (report->templates_deleted > 0) {
    std::cout << report->templates_deleted
              << " face template(s) deleted because biometric consent was withdrawn.\n";
  }
  reopenHeldPhotos(db, report->people_changed);
  for (const auto& column : report->ignored_columns) {
    std::cout << "Column '" << column << "' is not kept by Consent Guard and was ignored.\n";
  }
  return kExitOk;
}

int list(reg::RegisterStore& store) {
  auto people = store.people();
  if (!people) return reportError(people.error(), kExitSetupProblem);
  for (const auto& p : *people) {
    auto templates = store.templateCount(p.id);
    auto consents = store.consents(p.id);
    if (!templates || !consents) return reportError(databaseProblem(), kExitSetupProblem);
    std::cout << p.id << "  " << reg::roleName(p.role) << "  " << p.displayName()
              << (p.no_photo ? "  NO PHOTO" : "") << "  biometric "
              << reg::biometricName(p.biometric) << " (" << *templates << " templates)";
    for (const auto& c : *consents) {
      std::cout << "  " << c.channel << "=" << reg::consentStatusName(c.status)
                << (c.expires_on.empty() ? "" : " until " + c.expires_on);
    }
    std::cout << "\n";
  }
  return kExitOk;
}

// The people whose templates can no longer let a photo through (they still protect).
int reEnrol(reg::RegisterStore& store, Args& args) {
  const std::string configFile = takeOption(args, "--config");
  const faces::ModelPaths models = faces::locateModels(takeOption(args, "--models"));
  auto options = takeEngineOptions(args, configFile);
  if (!options) return reportError(options.error(), engineOptionsExit(options.error()));
  if (!args.empty()) return usage();
  auto engine = faces::FaceEngine::create(models, *options);
  if (!engine) return reportError(engine.error(), kExitSetupProblem);
  auto report = check::reEnrol(store, **engine, cliActor());
  if (!report) return reportError(report.error(), kExitSetupProblem);
  std::cout << "Made " << report->templates_made << " face template(s) again for "
            << report->people << " person(s) from their kept reference photos, with "
            << (*engine)->pipelineVersion() << ".\n";
  for (const auto& refused : report->refused) std::cout << "Not enrolled: " << refused << "\n";
  if (!report->refused.empty()) {
    std::cout << report->refused.size()
              << " photo(s) could not be used by this face engine: enrol new photos of those "
                 "people.\n";
  }
  return report->refused.empty() ? kExitOk : kExitBadInput;
}

int listStale(reg::RegisterStore& store, const std::string& db, Args& args) {
  const std::string configFile = takeOption(args, "--config");
  auto engine = takeEngineOptions(args, configFile);
  if (!engine) return reportError(engine.error(), engineOptionsExit(engine.error()));
  if (!args.empty()) return usage();
  auto config = policy::loadPolicy(configFile);
  if (!config) return reportError(config.error(), kExitSetupProblem);
  const int months = config->template_max_age_months;
  auto stale = store.staleEnrolments(monthsBefore(todayIso(), months),
                                     faces::pipelineVersion(engine->detector));
  if (!stale) return reportError(stale.error(), kExitSetupProblem);
  if (stale->empty()) {
    std::cout << "Nobody needs photographing again: everyone enrolled has a face template from a "
                 "photo under "
              << months << " months old, made by this version of the face engine.\n";
    return kExitOk;
  }
  for (const auto& e : *stale) {
    std::cout << e.person_id << "  " << reg::roleName(e.role) << "  " << e.display_name
              << "  newest reference photo " << e.newest_photo_date << ": "
              << (e.too_old ? "older than " + std::to_string(months) + " months" : "")
              << (e.too_old && e.other_pipeline ? "; " : "")
              << (e.other_pipeline ? "made by an earlier version of the face engine" : "")
              << "\n";
  }
  std::cout << stale->size()
            << " person(s) to photograph again. Until then their faces are not recognised as "
               "consented (a senior leader sees them), though they are still protected. Enrol "
               "the new photo with: consentguard enrol --db "
            << db << " --person ID PHOTO\n";
  return kExitOk;
}

int consent(reg::RegisterStore& store, const std::string& db, Args& args) {
  const std::string person = takeOption(args, "--person"), channel = takeOption(args, "--channel");
  const std::string expires = takeOption(args, "--expires");
  const std::string configFile = takeOption(args, "--config");
  const bool grant = takeFlag(args, "--grant"), withdraw = takeFlag(args, "--withdraw");
  if (person.empty() || channel.empty() || grant == withdraw || !args.empty()) return usage();
  auto config = policy::loadPolicy(configFile);
  if (!config) return reportError(config.error(), kExitSetupProblem);
  if (!config->channel(channel))
    return reportError(policy::unknownChannel(channel, *config), kExitBadInput);
  if (!expires.empty() && !isIsoDate(expires)) {
    return reportError(makeError("bad_date", "The expiry date must be written as YYYY-MM-DD."),
                       kExitUsage);
  }
  if (Status s = audit::AuditedRegister(store, cliActor())
                     .setConsent(person, channel, grant, expires, todayIso());
      !s) {
    return reportError(s.error(), kExitBadInput);
  }
  std::cout << "Consent for " << channel << " " << (grant ? "granted" : "withdrawn") << " for "
            << person << ".\n";
  reopenHeldPhotos(db, {person});
  return kExitOk;
}

int biometric(reg::RegisterStore& store, const std::string& db, Args& args) {
  const std::string person = takeOption(args, "--person");
  const bool give = takeFlag(args, "--give"), object = takeFlag(args, "--object"),
             withdraw = takeFlag(args, "--withdraw");
  if (person.empty() || give + object + withdraw != 1 || !args.empty()) return usage();
  const reg::Biometric value =
      give ? reg::Biometric::kGiven
           : (object ? reg::Biometric::kObjected : reg::Biometric::kWithdrawn);
  if (Status s = audit::AuditedRegister(store, cliActor()).setBiometric(person, value, todayIso());
      !s) {
    return reportError(s.error(), kExitBadInput);
  }
  std::cout << "Biometric consent for " << person << " is now " << reg::biometricName(value)
            << (give ? ".\n" : "; their face templates have been deleted.\n");
  reopenHeldPhotos(db, {person});
  return kExitOk;
}

int noPhoto(reg::RegisterStore& store, const std::string& db, Args& args) {
  const std::string person = takeOption(args, "--person"), note = takeOption(args, "--note");
  const bool on = takeFlag(args, "--on"), off = takeFlag(args, "--off");
  if (person.empty() || on == off || !args.empty()) return usage();
  if (Status s = audit::AuditedRegister(store, cliActor()).setNoPhoto(person, on, note); !s)
    return reportError(s.error(), kExitBadInput);
  std::cout << person << (on ? " is now on" : " is no longer on") << " the no-photo list.\n";
  reopenHeldPhotos(db, {person});
  return kExitOk;
}

int exportPerson(reg::RegisterStore& store, Args& args) {
  const std::string id = takeOption(args, "--person");
  if (id.empty() || !args.empty()) return usage();
  auto person = store.findPerson(id);
  if (!person) return reportError(person.error(), kExitSetupProblem);
  if (!*person) return reportError(reg::unknownPerson(id), kExitBadInput);
  auto consents = store.consents(id);
  auto note = store.noPhotoNote(id);
  auto templates = store.templateCount(id);
  if (!consents || !note || !templates) return reportError(databaseProblem(), kExitSetupProblem);
  const reg::Person& p = **person;
  Poco::JSON::Object root;
  root.set("id", p.id);
  root.set("role", reg::roleName(p.role));
  root.set("given_name", p.given_name);
  root.set("family_name", p.family_name);
  root.set("preferred_name", p.preferred_name);
  root.set("year_group", p.year_group);
  root.set("left_on", p.left_on);
  root.set("no_photo", p.no_photo);
  root.set("no_photo_note", *note);
  root.set("biometric_consent", reg::biometricName(p.biometric));
  root.set("face_templates_stored", *templates);
  // The kept reference photos themselves are given as files on request (they are on the
  // person's page); the export says which are kept.
  auto kept = store.referencePhotos(id);
  if (!kept) return reportError(databaseProblem(), kExitSetupProblem);
  Poco::JSON::Array photos;
  for (const auto& r : *kept) {
    Poco::JSON::Object json;
    json.set("file", r.source);
    json.set("taken_on", r.photo_date);
    json.set("added_at", r.added_at);
    photos.add(json);
  }
  root.set("reference_photos_kept", photos);
  Poco::JSON::Array consentJson;
  for (const auto& c : *consents) {
    Poco::JSON::Object json;
    json.set("channel", c.channel);
    json.set("status", reg::consentStatusName(c.status));
    json.set("recorded_on", c.recorded_on);
    json.set("expires_on", c.expires_on);
    json.set("withdrawn_on", c.withdrawn_on);
    consentJson.add(json);
  }
  root.set("consent", consentJson);
  root.stringify(std::cout, 2);
  std::cout << "\n";
  return kExitOk;
}

int erase(reg::RegisterStore& store, Args& args) {
  const std::string id = takeOption(args, "--person");
  if (id.empty() || !args.empty()) return usage();
  if (Status s = audit::AuditedRegister(store, cliActor()).erasePerson(id); !s)
    return reportError(s.error(), kExitBadInput);
  std::cout << "Erased " << id
            << " with their consent records, face templates and reference photos.\n";
  return kExitOk;
}

int device(reg::RegisterStore& store, Args& args) {
  if (args.empty()) return usage();
  const std::string action = args[0];
  args.erase(args.begin());
  if (action == "add") {
    reg::Device d{0, takeOption(args, "--make"), takeOption(args, "--model"),
                  takeOption(args, "--serial"), takeOption(args, "--description")};
    if (!args.empty()) return usage();
    auto id = audit::AuditedRegister(store, cliActor()).addDevice(d);
    if (!id) return reportError(id.error(), kExitBadInput);
    std::cout << "Registered device " << *id << ": " << d.make << " " << d.model << "\n";
    return kExitOk;
  }
  if (action == "list" && args.empty()) {
    auto devices = store.devices();
    if (!devices) return reportError(devices.error(), kExitSetupProblem);
    for (const auto& d : *devices) {
      std::cout << d.id << "  " << d.make << "  " << d.model << "  "
                << (d.serial.empty() ? "(any serial)" : d.serial) << "  " << d.description << "\n";
    }
    return kExitOk;
  }
  if (action == "remove") {
    const std::string id = takeOption(args, "--id");
    if (id.empty() || !args.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
      return usage();
    }
    if (Status s = audit::AuditedRegister(store, cliActor()).removeDevice(std::stoll(id)); !s)
      return reportError(s.error(), kExitBadInput);
    std::cout << "Removed device " << id << ".\n";
    return kExitOk;
  }
  return usage();
}

}  // namespace

int runRegister(const Args& input) {
  Args args = input;
  if (args.empty() || args[0] == "help" || args[0] == "--help") {
    std::cout << kUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string action = args[0];
  args.erase(args.begin());
  const auto dbAt = std::find(args.begin(), args.end(), "--db");
  const std::string db =
      dbAt != args.end() && std::next(dbAt) != args.end() ? *std::next(dbAt) : "";
  auto store = openRegister(args);
  if (!store)
    return reportError(store.error(),
                       store.error().code == "usage" ? kExitUsage : kExitSetupProblem);
  reg::RegisterStore& s = **store;
  if (action == "import") return importCsv(s, db, args);
  if (action == "list" && args.empty()) return list(s);
  if (action == "list" && takeFlag(args, "--stale")) return listStale(s, db, args);
  if (action == "re-enrol") return reEnrol(s, args);
  if (action == "consent") return consent(s, db, args);
  if (action == "biometric") return biometric(s, db, args);
  if (action == "no-photo") return noPhoto(s, db, args);
  if (action == "export") return exportPerson(s, args);
  if (action == "erase") return erase(s, args);
  if (action == "device") return device(s, args);
  return usage();
}

}  // namespace consentguard::cli
