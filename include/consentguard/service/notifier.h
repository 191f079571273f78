// Telling people by email, through the school's own SMTP server (Poco's SecureSMTPClientSession
// with STARTTLS). Email is off until notify.smtp.host is set. Who is told what:
//   - senior leaders (slt): a digest when photos wait for their decision, at most every
//     notify.digest_minutes, and only when a photo has arrived since the last digest;
//   - whoever submitted a photo on the pages: what became of it (published or not, by the
//     rules or by a senior leader);
//   - the DSL: each incident (an attempt to publish a no-photo pupil or one without consent),
//     and each takedown not done after service.takedown_days.
// The mail names no child: it says what happened and links to the page, behind the sign-in.
// Each message is queued once in mail_outbox under its event's key, then sent; a failure is
// retried (after 1, 2, 4 ... up to 60 minutes), so nothing is lost while the mail server is
// down, and nothing is sent twice.
// A Notifier borrows its database connection and, like it, is not thread-safe: the service
// runs one on a thread of its own.
#pragma once

#include <memory>
#include <string>

#include "consentguard/common/result.h"
#include "consentguard/register/database.h"

namespace consentguard::service {

struct NotifySettings {
  std::string smtp_host;        // notify.smtp.host: empty means email is off
  int smtp_port = 587;          // notify.smtp.port
  std::string tls = "starttls"; // notify.smtp.tls: starttls, or none (only to this machine)
  std::string user;             // notify.smtp.user: empty for no sign-in
  std::string password;         // notify.smtp.password
  std::string ca_file;          // notify.smtp.ca_file: the server's CA (else the system's)
  std::string from;             // notify.from: the sender's address
  std::string base_url;         // notify.base_url: where the pages are, for links
  int digest_minutes = 60;      // notify.digest_minutes
  double poll_seconds = 30;     // notify.poll_seconds: how often to look for news
  bool enabled() const { return !smtp_host.empty(); }
};

struct Mail {
  std::string to;
  std::string subject;
  std::string body;  // plain text
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  // Errors: "mail_failed", with the server's answer in the detail.
  virtual Status send(const Mail& mail) = 0;
};

// Sends through the school's SMTP server. With tls = starttls the connection must become TLS
// (1.2 or newer) with a certificate valid for the host, before any password or message is sent.
std::unique_ptr<MailSender> makeSmtpSender(const NotifySettings& settings);

class Notifier {
 public:
  Notifier(reg::Database& db, NotifySettings settings, int takedown_days)
      : db_(db), settings_(std::move(settings)), takedown_days_(takedown_days) {}

  // Queues the mail for what has happened since the last call (the first call only marks
  // where to start). Returns how many messages it queued.
  Result<int> queueNews();
  // Sends the queued mail that is due; returns how many were sent. A message that fails is
  // kept for a later try, with the error.
  Result<int> sendWaiting(MailSender& sender);

 private:
  Status queueMail(const std::string& event, const Mail& mail, int& queued);
  Status outcomes(int& queued);
  Status incidents(int& queued);
  Status overdueTakedowns(int& queued);
  Status digest(int& queued);
  std::string link(const std::string& path) const;

  reg::Database& db_;
  NotifySettings settings_;
  int takedown_days_;
};

}  // namespace consentguard::service
