#include "consentguard/service/notifier.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureSMTPClientSession.h>

#include <algorithm>
#include <vector>

#include "consentguard/common/local_time.h"

namespace consentguard::service {
namespace {

using reg::Statement;

// notify_state keeps how far each kind of news has been told.
Result<std::optional<std::string>> stateOf(reg::Database& db, const std::string& name) {
  auto stmt = db.prepare("SELECT value FROM notify_state WHERE name = ?");
  if (!stmt) return stmt.error();
  auto rows = stmt->bind({name}).collect([](const Statement& r) { return r.text(0); });
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::string>{};
  return std::optional<std::string>{rows->front()};
}

Status setState(reg::Database& db, const std::string& name, const std::string& value) {
  return db.execute(
      "INSERT INTO notify_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
      "value = excluded.value",
      {name, value});
}

Result<std::string> sqlNow(reg::Database& db, const std::string& modifier = "+0 seconds") {
  auto stmt = db.prepare("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)");
  if (!stmt) return stmt.error();
  auto rows = stmt->bind({modifier}).collect([](const Statement& r) { return r.text(0); });
  if (!rows) return rows.error();
  return rows->front();
}

struct Recipient {
  std::string name, email;
};

Result<std::vector<Recipient>> peopleWithRole(reg::Database& db, const std::string& role) {
  auto stmt = db.prepare(
      "SELECT name, email FROM users u WHERE EXISTS (SELECT 1 FROM user_roles r WHERE "
      "r.user_id = u.id AND r.role = ?) AND email != '' AND disabled = 0 ORDER BY name");
  if (!stmt) return stmt.error();
  return stmt->bind({role}).collect([](const Statement& r) {
    return Recipient{r.text(0), r.text(1)};
  });
}

std::string channelWords(const std::string& channel) {
  std::string words = channel;
  std::replace(words.begin(), words.end(), '_', ' ');
  return words;
}

class SmtpSender : public MailSender {
 public:
  explicit SmtpSender(NotifySettings settings) : settings_(std::move(settings)) {}

  Status send(const Mail& mail) override {
    try {
      Poco::Net::SecureSMTPClientSession session(settings_.smtp_host,
                                                 static_cast<Poco::UInt16>(settings_.smtp_port));
      session.setTimeout(Poco::Timespan(30, 0));
      session.login();
      if (settings_.tls == "starttls") {
        Poco::Net::Context::Ptr context =
            new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", settings_.ca_file,
                                   Poco::Net::Context::VERIFY_RELAXED, 9, settings_.ca_file.empty(),
                                   "HIGH:!aNULL:!MD5:!RC4");
        context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        if (!session.startTLS(context)) {
          return makeError("mail_failed",
                           "The mail server does not offer an encrypted connection (STARTTLS), "
                           "so nothing was sent.",
                           settings_.smtp_host + " offers no STARTTLS");
        }
      }
      if (!settings_.user.empty()) {
        session.login(Poco::Net::SMTPClientSession::AUTH_LOGIN, settings_.user, settings_.password);
      }
      Poco::Net::MailMessage message;
      message.setSender(settings_.from);
      message.addRecipient(
          Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.to));
      message.setSubject(Poco::Net::MailMessage::encodeWord(mail.subject, "UTF-8"));
      message.setContentType("text/plain; charset=UTF-8");
      message.setContent(mail.body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
      session.sendMessage(message);
      session.close();
      return okStatus();
    } catch (const Poco::Exception& e) {
      return makeError("mail_failed", "The mail could not be sent.", e.displayText());
    } catch (const std::exception& e) {
      return makeError("mail_failed", "The mail could not be sent.", e.what());
    }
  }

 private:
  NotifySettings settings_;
};

}  // namespace

std::unique_ptr<MailSender> makeSmtpSender(const NotifySettings& settings) {
  return std::make_unique<SmtpSender>(settings);
}

std::string Notifier::link(const std::string& path) const {
  std::string base = settings_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base.empty() ? "the Consent Guard page " + path : base + path;
}

Status Notifier::queueMail(const std::string& event, const Mail& mail, int& queued) {
  if (Status s = db_.execute(
          "INSERT INTO mail_outbox (event, recipient, subject, body) VALUES (?, ?, ?, ?) ON "
          "CONFLICT (event) DO NOTHING",
          {event, mail.to, mail.subject, mail.body});
      !s) {
    return s;
  }
  queued += db_.changes();
  return okStatus();
}

// Photos submitted on the pages that are finished: published or not, by the rules or by SLT.
Status Notifier::outcomes(int& queued) {
  auto since = stateOf(db_, "outcomes_after");
  if (!since) return since.error();
  auto stmt = db_.prepare(
      "SELECT j.id, j.file_name, j.channel, j.verdict, j.decision, j.decision_reason, u.email, "
      "j.updated_at FROM jobs j JOIN users u ON j.submitted_by = 'user:' || u.name WHERE "
      "j.state = 'done' AND j.verdict IN ('publish', 'block') AND j.updated_at > ? AND u.email "
      "!= '' AND u.disabled = 0 ORDER BY j.updated_at");
  if (!stmt) return stmt.error();
  auto rows = stmt->bind({since->value_or("")}).collect([](const Statement& r) {
    return std::vector<std::string>{r.text(0), r.text(1), r.text(2), r.text(3),
                                    r.text(4), r.text(5), r.text(6), r.text(7)};
  });
  if (!rows) return rows.error();
  std::string latest = since->value_or("");
  for (const auto& row : *rows) {
    const std::string &id = row[0], &file = row[1], &channel = row[2], &verdict = row[3],
                      &decision = row[4], &reason = row[5];
    latest = std::max(latest, row[7]);
    const bool published = verdict == "publish";
    const bool bySlt = !decision.empty();
    Mail mail;
    mail.to = row[6];
    mail.subject = std::string(published ? "Published: " : "Not published: ") + file;
    mail.body = "Your photo " + file + " for the " + channelWords(channel) + " " +
                (published ? (bySlt ? "was approved by a senior leader and may be published."
                                    : "passed the school's photo policy and may be published.")
                           : (bySlt ? "was not approved by a senior leader" +
                                          (reason.empty() ? std::string(".") : ": " + reason + ".")
                                    : "was not published: it breaks the school's photo policy.")) +
                "\n\nSee it on " + link("/photos") + ".\n";
    if (Status s = queueMail("outcome:" + id + ":" + verdict + ":" + decision, mail, queued); !s) {
      return s;
    }
  }
  return setState(db_, "outcomes_after", latest);
}

Status Notifier::incidents(int& queued) {
  auto after = stateOf(db_, "incidents_after");
  if (!after) return after.error();
  auto stmt =
      db_.prepare("SELECT id, channel, code, status FROM incidents WHERE id > ? ORDER BY id");
  if (!stmt) return stmt.error();
  auto rows = stmt->bind({std::stoll(after->value_or("0"))}).collect([](const Statement& r) {
    return std::tuple(r.integer(0), r.text(1), r.text(2), r.text(3) == "possible");
  });
  if (!rows) return rows.error();
  if (rows->empty()) return okStatus();
  auto dsls = peopleWithRole(db_, "dsl");
  if (!dsls) return dsls.error();
  for (const auto& [id, channel, code, possible] : *rows) {
    const std::string what = code == "no_photo"
                                 ? "a pupil on the no-photo list"
                                 : "a pupil without consent for the " + channelWords(channel);
    // A likely match is only possibly that pupil: the DSL is asked to look.
    const std::string subject =
        possible ? "Possible incident: a photo that may show " + what + " was stopped"
                 : "Incident: a photo of " + what + " was stopped";
    const std::string body =
        possible
            ? "Consent Guard stopped a photo for the " + channelWords(channel) +
                  " because a face in it may be " + what +
                  ". Nothing was published.\n\nPlease look at the face on " + link("/incidents") +
                  " (sign in as the DSL) and say whether it is them. Only the ones you "
                  "confirm count as incidents.\n"
            : "Consent Guard stopped a photo for the " + channelWords(channel) +
                  " because it shows " + what +
                  ". Nothing was published.\n\nWho it was, and the photo, are on " +
                  link("/incidents") + " (sign in as the DSL).\n";
    for (const auto& dsl : *dsls) {
      Mail mail{dsl.email, subject, body};
      if (Status s = queueMail("incident:" + std::to_string(id) + ":" + dsl.name, mail, queued);
          !s) {
        return s;
      }
    }
  }
  return setState(db_, "incidents_after", std::to_string(std::get<0>(rows->back())));
}

Status Notifier::overdueTakedowns(int& queued) {
  auto stmt = db_.prepare(
      "SELECT id, channel, since FROM takedowns WHERE done_at = '' AND since < "
      "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?) ORDER BY id");
  if (!stmt) return stmt.error();
  auto rows =
      stmt->bind({"-" + std::to_string(takedown_days_) + " days"}).collect([](const Statement& r) {
        return std::tuple(r.integer(0), r.text(1), r.text(2));
      });
  if (!rows) return rows.error();
  if (rows->empty()) return okStatus();
  auto dsls = peopleWithRole(db_, "dsl");
  if (!dsls) return dsls.error();
  for (const auto& [id, channel, since] : *rows) {
    for (const auto& dsl : *dsls) {
      Mail mail{dsl.email, "Overdue: a published photo has not been taken down",
                "A photo published on the " + channelWords(channel) +
                    " must come down, because someone in it may no longer appear there. It "
                    "has been waiting since " +
                    since.substr(0, 10) + ", more than " + std::to_string(takedown_days_) +
                    " days.\n\nSee it, and mark it done once it is removed, on " +
                    link("/takedowns") + ".\n"};
      if (Status s =
              queueMail("takedown_overdue:" + std::to_string(id) + ":" + dsl.name, mail, queued);
          !s) {
        return s;
      }
    }
  }
  return okStatus();
}

Status Notifier::digest(int& queued) {
  auto last = stateOf(db_, "digest_at");
  if (!last) return last.error();
  const std::string lastAt = last->value_or("");
  auto due = sqlNow(db_, "-" + std::to_string(settings_.digest_minutes) + " minutes");
  if (!due) return due.error();
  if (!lastAt.empty() && lastAt > *due) return okStatus();  // too soon after the last one
  auto stmt = db_.prepare(
      "SELECT count(*), coalesce(min(updated_at), ''), coalesce(max(updated_at), '') FROM jobs "
      "WHERE state = 'done' AND verdict = 'review'");
  if (!stmt) return stmt.error();
  auto rows = stmt->collect(
      [](const Statement& r) { return std::tuple(r.integer(0), r.text(1), r.text(2)); });
  if (!rows) return rows.error();
  const auto& [waiting, oldest, newest] = rows->front();
  if (waiting == 0 || newest <= lastAt) return okStatus();  // nothing new since the last one
  auto now = sqlNow(db_);
  if (!now) return now.error();
  auto slts = peopleWithRole(db_, "slt");
  if (!slts) return slts.error();
  for (const auto& slt : *slts) {
    Mail mail{slt.email, std::to_string(waiting) + " photo(s) wait for a senior leader",
              std::to_string(waiting) +
                  " photo(s) are held for a senior leader's decision, the oldest since " +
                  localTimeWords(oldest) + ". Until someone decides, they are not published.\n\nDecide on " +
                  link("/review") + ".\n"};
    if (Status s = queueMail("digest:" + *now + ":" + slt.name, mail, queued); !s) return s;
  }
  return setState(db_, "digest_at", *now);
}

Result<int> Notifier::queueNews() {
  reg::Database::Transaction tx(db_);
  if (!tx.begun()) return tx.begun().error();
  int queued = 0;
  auto started = stateOf(db_, "started");
  if (!started) return started.error();
  if (!*started) {
    // Email was just switched on: what happened before is not news.
    auto now = sqlNow(db_);
    if (!now) return now.error();
    auto stmt = db_.prepare("SELECT coalesce(max(id), 0) FROM incidents");
    if (!stmt) return stmt.error();
    auto maxId = stmt->collect([](const Statement& r) { return r.integer(0); });
    if (!maxId) return maxId.error();
    for (const auto& [name, value] : {std::pair<std::string, std::string>{"started", *now},
                                      {"outcomes_after", *now},
                                      {"incidents_after", std::to_string(maxId->front())}}) {
      if (Status s = setState(db_, name, value); !s) return s.error();
    }
  }
  for (auto step : {&Notifier::outcomes, &Notifier::incidents, &Notifier::overdueTakedowns,
                    &Notifier::digest}) {
    if (Status s = (this->*step)(queued); !s) return s.error();
  }
  // Sent mail is kept a month, for whoever asks whether it went.
  if (Status s = db_.execute("DELETE FROM mail_outbox WHERE sent_at != '' AND sent_at < "
                             "strftime('%Y-%m-%dT%H:%M:%SZ', "
                             "'now', '-31 days')");
      !s) {
    return s.error();
  }
  if (Status s = tx.commit(); !s) return s.error();
  return queued;
}

Result<int> Notifier::sendWaiting(MailSender& sender) {
  auto stmt = db_.prepare(
      "SELECT id, recipient, subject, body, attempts FROM mail_outbox WHERE sent_at = '' AND "
      "(next_attempt_at = '' OR next_attempt_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ORDER "
      "BY id LIMIT 50");
  if (!stmt) return stmt.error();
  auto rows = stmt->collect([](const Statement& r) {
    return std::tuple(r.integer(0), Mail{r.text(1), r.text(2), r.text(3)}, r.integer(4));
  });
  if (!rows) return rows.error();
  int sent = 0;
  for (const auto& [id, mail, attempts] : *rows) {
    Status s = sender.send(mail);
    if (s) {
      ++sent;
      if (Status u = db_.execute("UPDATE mail_outbox SET sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', "
                                 "'now'), attempts = attempts + 1 WHERE id = ?",
                                 {id});
          !u) {
        return u.error();
      }
      continue;
    }
    const std::int64_t wait =
        std::min<std::int64_t>(60, std::int64_t{1} << std::min<std::int64_t>(attempts, 6));
    if (Status u = db_.execute(
            "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = "
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?) WHERE id = ?",
            {s.error().message + " " + s.error().detail, "+" + std::to_string(wait) + " minutes",
             id});
        !u) {
      return u.error();
    }
    return s.error();  // the server is likely down: the rest wait for the next round
  }
  return sent;
}

}  // namespace consentguard::service
