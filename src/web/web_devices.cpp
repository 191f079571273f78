// /devices, for the admin: the school's devices (register one, remove one) and making an API
// key, which is shown once. Every change is audited (audit::AuditedRegister, recordChange).
// Held photos from a device just registered are checked again at once.
#include "consentguard/audit/audited_register.h"
#include "consentguard/common/text.h"
#include "consentguard/queue/job_queue.h"
#include "consentguard/service/api_keys.h"
#include "page_templates.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

void devicesPage(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                 const ServiceSettings& settings, const Session& session,
                 const std::string& notice, bool failed = false, const std::string& keyName = {},
                 const std::string& key = {}) {
  ctemplate::TemplateDictionary page("devices");
  if (!notice.empty()) page.AddSectionDictionary(failed ? "ERROR" : "NOTICE")->SetValue("TEXT", notice);
  if (!key.empty()) {
    auto* shown = page.AddSectionDictionary("NEW_KEY");
    shown->SetValue("NAME", keyName);
    shown->SetValue("KEY", key);
  }
  page.SetValue("CSRF", session.csrf_token);
  auto devices = t.store->devices();
  for (const auto& d : devices ? *devices : std::vector<reg::Device>{}) {
    auto* row = page.AddSectionDictionary("DEVICE");
    row->SetIntValue("ID", static_cast<long>(d.id));
    row->SetValue("MAKE", d.make);
    row->SetValue("MODEL", d.model);
    row->SetValue("SERIAL", d.serial.empty() ? "(any)" : d.serial);
    row->SetValue("DESCRIPTION", d.description);
    row->SetValue("CSRF", session.csrf_token);
  }
  for (const auto& c : settings.policy.channelNames()) {
    page.AddSectionDictionary("CHANNEL")->SetValue("NAME", c);
  }
  response.set("Cache-Control", "no-store");  // a new key must not be kept by the browser
  sendPage(response, failed ? HTTPResponse::HTTP_BAD_REQUEST : HTTPResponse::HTTP_OK,
           "Devices and API keys", renderPage("devices.tpl", page), &session);
}

}  // namespace

// Registers the device and checks again every held photo that was held for its device.
Status registerSchoolDevice(ThreadDatabase& t, const reg::Device& device, const Session& session) {
  auto added = audit::AuditedRegister(*t.store, actorOf(session)).addDevice(device);
  if (!added) return added.error();
  auto reopened = t.queue->reopenHeldForDevice();
  if (!reopened) return reopened.error();
  return okStatus();
}

bool handleDevicesRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                        Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                        const ServiceSettings& settings) {
  if (path != "/devices" && path.rfind("/devices/", 0) != 0) return false;
  const bool post = request.getMethod() == "POST";
  if (path == "/devices" && !post) {
    auto session = requireSession(request, response, t, canManageAccounts);
    if (session) devicesPage(response, t, settings, *session, "");
    return true;
  }
  if (!post || (path != "/devices/add" && path != "/devices/remove" && path != "/devices/key")) {
    return false;
  }
  Poco::Net::HTMLForm form;
  auto session = requireSession(request, response, t, canManageAccounts, &form);
  if (!session) return true;
  if (path == "/devices/add") {
    const reg::Device device{0, trimSpace(form.get("make", "")), trimSpace(form.get("model", "")),
                             trimSpace(form.get("serial", "")),
                             trimSpace(form.get("description", ""))};
    if (device.make.empty() || device.model.empty()) {
      devicesPage(response, t, settings, *session, "Give the device's make and model.", true);
      return true;
    }
    Status s = registerSchoolDevice(t, device, *session);
    devicesPage(response, t, settings, *session,
                s ? device.make + " " + device.model +
                        " is registered as the school's. Photos held for it are checked again."
                  : s.error().message,
                !s);
    return true;
  }
  if (path == "/devices/remove") {
    const std::string id = form.get("id", "");
    const bool idOk = !id.empty() && id.size() < 10 &&
                      id.find_first_not_of("0123456789") == std::string::npos;
    Status s = idOk ? audit::AuditedRegister(*t.store, actorOf(*session)).removeDevice(std::stoll(id))
                    : Status(makeError("no_device", "There is no such device."));
    devicesPage(response, t, settings, *session,
                s ? "The device is removed: its photos will be held for a senior leader."
                  : s.error().message,
                !s);
    return true;
  }
  // /devices/key
  const std::string name = trimSpace(form.get("name", ""));
  std::vector<std::string> channels;
  for (auto it = form.find("channel"); it != form.end() && it->first == "channel"; ++it) {
    if (!settings.policy.channel(it->second)) {
      devicesPage(response, t, settings, *session, "There is no channel " + it->second + ".", true);
      return true;
    }
    channels.push_back(it->second);
  }
  const bool managesRegister = form.get("register", "") == "1";
  if (name.empty() || (channels.empty() && !managesRegister)) {
    devicesPage(response, t, settings, *session,
                "Give the key a name, and choose its channels (or let it change the register).",
                true);
    return true;
  }
  std::string key, list;
  for (const auto& c : channels) list += (list.empty() ? "" : ",") + c;
  Status made = audit::recordChange(
      t.store->database(), actorOf(*session), "api_key_created", name,
      [&]() -> Result<std::string> {
        auto created = createApiKey(t.store->database(), name, channels, managesRegister);
        if (!created) return created.error();
        key = *created;  // the secret itself is never recorded
        return std::string("{\"channels\":\"") + list + "\",\"manages_register\":" +
               (managesRegister ? "true" : "false") + "}";
      });
  if (!made) {
    devicesPage(response, t, settings, *session, made.error().message, true);
    return true;
  }
  devicesPage(response, t, settings, *session, "", false, name, key);
  return true;
}

}  // namespace consentguard::service
