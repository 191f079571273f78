// Importing the register from the MIS in the browser, for the admin: /import takes the CSV
// file and shows a preview (who is added, what changes, what is withdrawn) made by running the
// import in a transaction that is rolled back; a file with bad rows is refused whole, with
// every bad line. Nothing changes until the admin confirms: the file waits in pending_imports
// (for one hour, for that admin only) and POST /import/{token} imports it, audited, and checks
// the held photos of everyone changed again.
#include <Poco/URI.h>

#include <sstream>

#include "consentguard/audit/audited_register.h"
#include "consentguard/common/dates.h"
#include "consentguard/queue/job_queue.h"
#include "consentguard/register/csv_import.h"
#include "page_templates.h"
#include "web_pages.h"
#include "web_util.h"

namespace consentguard::service {
namespace {

using Poco::Net::HTTPResponse;

constexpr std::uint64_t kMaxCsvBytes = 16u << 20;

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

reg::ImportOptions importOptions(const ServiceSettings& settings) {
  reg::ImportOptions options;
  options.channels = settings.policy.channelNames();
  options.today = todayIso();
  options.max_bytes = kMaxCsvBytes;
  return options;
}

class ImportPages {
 public:
  ImportPages(Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
              const ServiceSettings& settings, Session session)
      : response_(response), t_(t), settings_(settings), session_(std::move(session)) {
    page_.SetValue("CSRF", session_.csrf_token);
  }

  void form() {
    page_.ShowSection("FORM");
    send(HTTPResponse::HTTP_OK);
  }
  void preview(Poco::Net::HTTPServerRequest& request);
  void confirm(const std::string& token, const std::string& what);

 private:
  void send(HTTPResponse::HTTPStatus status) {
    sendPage(response_, status, "Import the register", renderPage("import.tpl", page_), &session_);
  }
  void problem(HTTPResponse::HTTPStatus status, const std::string& message) {
    sendMessagePage(response_, status, "Not imported", message, &session_);
  }
  void refused(const std::string& file, const Error& error);

  Poco::Net::HTTPServerResponse& response_;
  ThreadDatabase& t_;
  const ServiceSettings& settings_;
  Session session_;
  ctemplate::TemplateDictionary page_{"import"};
};

// The import's message is a summary, then one line per problem.
void ImportPages::refused(const std::string& file, const Error& error) {
  std::istringstream lines(error.message);
  std::string line;
  std::getline(lines, line);  // the summary: the page says it in its own words
  auto* problems = page_.AddSectionDictionary("PROBLEMS");
  problems->SetValue("FILE", file);
  while (std::getline(lines, line)) problems->AddSectionDictionary("LINE")->SetValue("TEXT", line);
  page_.ShowSection("FORM");
  send(HTTPResponse::HTTP_BAD_REQUEST);
}

void ImportPages::preview(Poco::Net::HTTPServerRequest& request) {
  Poco::Net::HTMLForm form;
  FileUploads files(kMaxCsvBytes, 1);
  if (!readUpload(request, response_, session_, form, files)) return;
  if (files.too_large) {
    return problem(HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE,
                   "The file is larger than 16 MB; check that the right file was chosen. "
                   "Nothing was changed.");
  }
  if (files.too_many || files.files.empty()) {
    return problem(HTTPResponse::HTTP_BAD_REQUEST, "Choose one register file (CSV).");
  }
  const auto& file = files.files.front();
  const std::string name = std::filesystem::path(file.name).filename().string();
  const std::string text(file.bytes.begin(), file.bytes.end());
  auto report = reg::previewRegisterCsv(*t_.store, text, importOptions(settings_));
  if (!report) {
    if (report.error().code != "bad_csv") {
      return problem(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, report.error().message);
    }
    return refused(name, report.error());
  }
  // The file waits, for this admin, until it is confirmed or cancelled (or an hour passes).
  const std::string token = randomHex(24);
  auto& db = t_.store->database();
  (void)db.execute("DELETE FROM pending_imports WHERE created_at < strftime('%Y-%m-%dT%H:%M:%SZ', "
                   "'now', '-1 hour') OR user_id = ?",
                   {session_.account.id});
  if (Status s = db.execute("INSERT INTO pending_imports (token, user_id, file_name, text) VALUES "
                            "(?, ?, ?, ?)",
                            {token, session_.account.id, name, file.bytes});
      !s) {
    return problem(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, s.error().message);
  }
  auto* p = page_.AddSectionDictionary("PREVIEW");
  p->SetValue("FILE", name);
  p->SetValue("TOKEN", token);
  p->SetValue("CSRF", session_.csrf_token);
  p->SetIntValue("ADDED", report->added);
  p->SetIntValue("UPDATED", report->updated);
  p->SetIntValue("WITHDRAWN", report->consents_withdrawn);
  for (const auto& person : report->people) {
    if (!person.withdrawals.empty()) {
      p->ShowSection("ANY_WITHDRAWN");
      auto* row = p->AddSectionDictionary("WITHDRAWN_ROW");
      row->SetValue("ID", person.id);
      row->SetValue("NAME", person.name);
      row->SetValue("TEXT", joined(person.withdrawals));
    }
    if (person.added) {
      p->ShowSection("ANY_ADDED");
      auto* row = p->AddSectionDictionary("ADDED_ROW");
      row->SetValue("ID", person.id);
      row->SetValue("NAME", person.name);
      row->SetValue("TEXT", person.changes.empty() ? "no consent" : joined(person.changes));
    } else {
      if (!person.changes.empty()) {
        p->ShowSection("ANY_CHANGED");
        auto* row = p->AddSectionDictionary("CHANGED_ROW");
        row->SetValue("ID", person.id);
        row->SetValue("NAME", person.name);
        row->SetValue("TEXT", joined(person.changes));
      }
    }
  }
  p->SetIntValue("UNCHANGED", report->unchanged);
  if (!report->ignored_columns.empty()) {
    p->ShowSection("ANY_IGNORED");
    std::string columns;
    for (const auto& c : report->ignored_columns) columns += (columns.empty() ? "" : ", ") + c;
    p->SetValue("IGNORED", columns);
  }
  send(HTTPResponse::HTTP_OK);
}

void ImportPages::confirm(const std::string& token, const std::string& what) {
  auto& db = t_.store->database();
  auto stmt = db.prepare(
      "SELECT file_name, text FROM pending_imports WHERE token = ? AND user_id = ? AND "
      "created_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 hour')");
  if (!stmt) return problem(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, stmt.error().message);
  auto rows = stmt->bind({token, session_.account.id}).collect([](const reg::Statement& r) {
    const auto bytes = r.blob(1);
    return std::pair(r.text(0), std::string(bytes.begin(), bytes.end()));
  });
  if (!rows) return problem(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, rows.error().message);
  if (rows->empty()) {
    return problem(HTTPResponse::HTTP_NOT_FOUND,
                   "This preview has expired or was already used. Nothing was changed; choose "
                   "the file again.");
  }
  (void)db.execute("DELETE FROM pending_imports WHERE token = ?", {token});
  if (what != "confirm") return redirect(response_, "/register");
  const auto& [name, text] = rows->front();
  // Checked again as it is written: the register may have changed since the preview.
  auto report = audit::AuditedRegister(*t_.store, actorOf(session_))
                    .importCsv(text, importOptions(settings_), name);
  if (!report) {
    if (report.error().code == "bad_csv") return refused(name, report.error());
    return problem(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, report.error().message);
  }
  int reopened = 0;
  for (const auto& person : report->people_changed) {
    if (auto n = t_.queue->reopenHeldPhotosOf(person)) reopened += *n;
  }
  auto* done = page_.AddSectionDictionary("DONE");
  done->SetValue("FILE", name);
  done->SetIntValue("ADDED", report->added);
  done->SetIntValue("UPDATED", report->updated);
  done->SetIntValue("UNCHANGED", report->unchanged);
  done->SetIntValue("WITHDRAWN", report->consents_withdrawn);
  done->SetIntValue("TEMPLATES", report->templates_deleted);
  done->SetIntValue("REOPENED", reopened);
  send(HTTPResponse::HTTP_OK);
}

}  // namespace

bool handleImportRoute(const std::string& path, Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response, ThreadDatabase& t,
                       const ServiceSettings& settings) {
  const std::string prefix = "/import";
  if (path != prefix && path.rfind(prefix + "/", 0) != 0) return false;
  const bool post = request.getMethod() == "POST";
  if (path == prefix) {
    Poco::Net::HTMLForm unused;
    auto session = requireSession(request, response, t, canChangeRegister, &unused,
                                  /*form_read_by_caller=*/true);
    if (!session) return true;
    ImportPages pages(response, t, settings, *session);
    post ? pages.preview(request) : pages.form();
    return true;
  }
  if (!post) return false;
  Poco::Net::HTMLForm form;
  auto session = requireSession(request, response, t, canChangeRegister, &form);
  if (!session) return true;
  ImportPages(response, t, settings, *session)
      .confirm(path.substr(prefix.size() + 1), form.get("do", ""));
  return true;
}

}  // namespace consentguard::service
