// Telling people by email: the service sends, through an SMTP server the test runs on loopback
// (STARTTLS with a certificate made for it, and a password), the outcome of a photo to the
// office worker who submitted it, the digest of held photos to SLT and the incident mail to the
// DSL, naming no child. And the Notifier on its own: news is queued once, a failed send is kept
// and tried again, and plain SMTP is refused for a server on another machine.
#include <Poco/Net/SSLManager.h>

#include "consentguard/service/notifier.h"
#include "consentguard/service/service_settings.h"
#include "consentguard/service/tls_certificate.h"
#include "service/review_fixture.h"
#include "service/smtp_test_server.h"

namespace consentguard::testing {
namespace {

class NotifyServiceTest : public ReviewServiceTest {
 protected:
  void SetUp() override {
    CG_REQUIRE_SHARED_TESTDATA();
    Poco::Net::initializeSSL();
    const fs::path certs = scratchDir("smtp-certificate");
    auto made = service::makeSelfSignedCertificate(certs, "smtp", "localhost");
    ASSERT_TRUE(made.ok()) << made.error().detail;
    certificate_ = *made;
    smtp_ = std::make_unique<SmtpTestServer>(certificate_.certificate, certificate_.key);
    ReviewServiceTest::SetUp();
  }
  void TearDown() override {
    server_.reset();
    smtp_.reset();
    Poco::Net::uninitializeSSL();
  }
  std::string configText() override {
    return ReviewServiceTest::configText() +
           "notify.smtp.host = localhost\n"
           "notify.smtp.port = " + std::to_string(smtp_->port()) + "\n"
           "notify.smtp.user = consentguard\n"
           "notify.smtp.password = mail-password\n"
           "notify.smtp.ca_file = " + certificate_.certificate.string() + "\n"
           "notify.from = consentguard@school.test\n"
           "notify.base_url = https://consentguard.school.test:8470/\n"
           "notify.digest_minutes = 1\n"
           "notify.poll_seconds = 0.2\n";
  }
  void prepareRegister(reg::Database& db) override {
    for (const auto& [name, email] : {std::pair{"sam.slt", "sam@school.test"},
                                      {"dee.dsl", "dee@school.test"},
                                      {"olive.office", "olive@school.test"}}) {
      ASSERT_TRUE(service::Accounts(db).setEmail(name, email, "test").ok());
    }
  }
  service::SelfSignedCertificate certificate_;
  std::unique_ptr<SmtpTestServer> smtp_;
};

TEST_F(NotifyServiceTest, TheSubmitterSltAndTheDslAreToldByEncryptedMailNamingNoChild) {
  // The office submits a photo that passes: they hear it may be published.
  Browser office(port_);
  ASSERT_EQ(office.signIn("olive.office", kPassword).status, 303);
  const Page form = office.get("/photos");
  const auto bytes = *image::readFileBytes(probePhoto("amy"));
  const Page sent = office.upload("/photos", {{"csrf", Browser::csrfIn(form.body)},
                                              {"channel", "website"}},
                                  "photo", "sports-day.png",
                                  std::string(bytes.begin(), bytes.end()));
  ASSERT_EQ(sent.status, 303) << sent.body;
  ASSERT_NE(office.get(sent.location).body.find("was received"), std::string::npos);
  auto outcome = smtp_->waitFor("olive@school.test", "passed the school's photo policy");
  ASSERT_TRUE(outcome) << "no outcome mail; the service's log: " << dir_ / "serve.log";
  EXPECT_NE(outcome->text().find("Subject: Published: sports-day.png"), std::string::npos);
  EXPECT_NE(outcome->text().find("https://consentguard.school.test:8470/photos"),
            std::string::npos);

  // A held photo: SLT get the digest.
  heldPhoto();
  auto digest = smtp_->waitFor("sam@school.test", "1 photo(s) are held for a senior leader");
  ASSERT_TRUE(digest) << "no digest; the service's log: " << dir_ / "serve.log";
  EXPECT_NE(digest->text().find("/review"), std::string::npos);

  // A no-photo pupil: the DSL gets the incident, without the pupil's name.
  const std::string howard = submitAndWait(*image::readFileBytes(probePhoto("howard")),
                                           "howard.png");
  ASSERT_EQ(verdictOf(howard), "block");
  auto incident = smtp_->waitFor("dee@school.test", "a pupil on the no-photo list");
  ASSERT_TRUE(incident) << "no incident mail; the service's log: " << dir_ / "serve.log";
  EXPECT_NE(incident->text().find("Subject: Incident"), std::string::npos);
  EXPECT_NE(incident->text().find("/incidents"), std::string::npos);

  for (const auto& m : smtp_->mail()) {
    EXPECT_TRUE(m.encrypted) << "sent before STARTTLS: " << m.to;
    EXPECT_EQ(m.user, "consentguard");
    for (const std::string name : {"Howard", "Wolowitz", "Amy", "Fowler", "Penny"}) {
      EXPECT_EQ(m.text().find(name), std::string::npos) << name << " named in mail to " << m.to;
    }
  }
  // Each was sent once: the digest is not repeated while nothing new arrives.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  int digests = 0;
  for (const auto& m : smtp_->mail()) digests += m.to == "sam@school.test";
  EXPECT_EQ(digests, 1);
}

class FakeSender : public service::MailSender {
 public:
  Status send(const service::Mail& mail) override {
    if (down) return makeError("mail_failed", "The mail could not be sent.", "554 test");
    sent.push_back(mail);
    return okStatus();
  }
  bool down = false;
  std::vector<service::Mail> sent;
};

TEST(Notifier, NewsIsQueuedOnceAndAFailedSendIsKeptAndTriedAgain) {
  const fs::path file = scratchDir("notifier") / "consentguard.db";
  auto db = reg::openRegisterDatabase(file);
  ASSERT_TRUE(db.ok());
  service::Accounts accounts(**db);
  ASSERT_TRUE(accounts.create("dee.dsl", service::Role::kDsl, kPassword, "test").ok());
  ASSERT_TRUE(accounts.setEmail("dee.dsl", "dee@school.test", "test").ok());
  EXPECT_FALSE(accounts.setEmail("dee.dsl", "dee@school.test\r\nBcc: x@y.z", "test").ok());
  EXPECT_FALSE(accounts.setEmail("dee.dsl", "not an address", "test").ok());
  auto store = reg::RegisterStore::open(file);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->recordIncident("P1", "website", "no_photo", "old.jpg").ok());

  service::NotifySettings settings;
  settings.smtp_host = "localhost";
  service::Notifier notifier(**db, settings, 2);
  EXPECT_EQ(*notifier.queueNews(), 0) << "what happened before email was on is not news";
  ASSERT_TRUE((*store)->recordIncident("P1", "website", "no_photo", "new.jpg").ok());
  EXPECT_EQ(*notifier.queueNews(), 1);
  EXPECT_EQ(*notifier.queueNews(), 0) << "queued once";

  FakeSender sender;
  sender.down = true;
  auto failed = notifier.sendWaiting(sender);
  ASSERT_FALSE(failed.ok());
  auto stmt = (*db)->prepare(
      "SELECT attempts, last_error, next_attempt_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM "
      "mail_outbox");
  ASSERT_TRUE(stmt.ok() && stmt->step().ok());
  EXPECT_EQ(stmt->integer(0), 1);
  EXPECT_NE(stmt->text(1).find("554"), std::string::npos);
  EXPECT_EQ(stmt->integer(2), 1) << "tried again later, not at once";
  sender.down = false;
  EXPECT_EQ(*notifier.sendWaiting(sender), 0) << "not yet due";
  ASSERT_TRUE((*db)->execute("UPDATE mail_outbox SET next_attempt_at = ''").ok());
  EXPECT_EQ(*notifier.sendWaiting(sender), 1);
  ASSERT_EQ(sender.sent.size(), 1u);
  EXPECT_EQ(sender.sent[0].to, "dee@school.test");
  EXPECT_EQ(*notifier.sendWaiting(sender), 0) << "sent once";
}

TEST(SmtpSender, SendsOnlyOverTlsToAServerWhoseCertificateIsTrusted) {
  Poco::Net::initializeSSL();
  const fs::path dir = scratchDir("smtp-sender");
  auto server = service::makeSelfSignedCertificate(dir, "server", "localhost");
  auto stranger = service::makeSelfSignedCertificate(dir, "stranger", "localhost");
  ASSERT_TRUE(server.ok() && stranger.ok());
  EXPECT_NE(server->sha256_fingerprint, stranger->sha256_fingerprint);
  EXPECT_EQ(fs::status(server->key).permissions() & fs::perms::others_read, fs::perms::none);
  {
    SmtpTestServer smtp(server->certificate, server->key);
    service::NotifySettings settings;
    settings.smtp_host = "localhost";
    settings.smtp_port = smtp.port();
    settings.user = "consentguard";
    settings.password = "mail-password";
    settings.from = "consentguard@school.test";
    const service::Mail mail{"dee@school.test", "Test", "Hello"};
    settings.ca_file = stranger->certificate.string();
    Status refused = service::makeSmtpSender(settings)->send(mail);
    EXPECT_FALSE(refused.ok()) << "a certificate nobody trusts must stop the mail";
    settings.ca_file = server->certificate.string();
    Status sent = service::makeSmtpSender(settings)->send(mail);
    EXPECT_TRUE(sent.ok()) << sent.error().detail;
    const auto received = smtp.mail();
    ASSERT_EQ(received.size(), 1u) << "only the trusted connection delivered";
    EXPECT_TRUE(received[0].encrypted);
    EXPECT_NE(received[0].text().find("Hello"), std::string::npos);
  }
  Poco::Net::uninitializeSSL();
}

TEST(NotifySettings, PlainMailIsOnlyForAServerOnThisMachine) {
  const fs::path dir = scratchDir("notify-settings");
  const auto load = [&](const std::string& text) {
    std::ofstream(dir / "consentguard.properties") << text;
    service::SettingsOverrides overrides;
    overrides.config = dir / "consentguard.properties";
    return service::loadServiceSettings(overrides);
  };
  auto off = load("");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->notify.enabled());
  auto plain = load("notify.smtp.host = mail.school.example\nnotify.smtp.tls = none\n"
                    "notify.from = cg@school.example\n");
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.error().message.find("unencrypted"), std::string::npos);
  EXPECT_TRUE(load("notify.smtp.host = localhost\nnotify.smtp.tls = none\n"
                   "notify.from = cg@school.example\n")
                  .ok());
  auto noFrom = load("notify.smtp.host = mail.school.example\n");
  ASSERT_FALSE(noFrom.ok());
  EXPECT_NE(noFrom.error().message.find("notify.from"), std::string::npos);
  auto typo = load("notify.smtp.hots = mail.school.example\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message.find("notify.smtp.hots"), std::string::npos);
}

}  // namespace
}  // namespace consentguard::testing
