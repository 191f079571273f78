#include "consentguard/service/tls_certificate.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <functional>
#include <memory>

namespace consentguard::service {
namespace {

template <auto Free>
struct Freer {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using Key = std::unique_ptr<EVP_PKEY, Freer<EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Freer<X509_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Freer<X509_EXTENSION_free>>;

Error failed(const std::string& what) {
  return makeError("tls_certificate",
                   "A certificate for the secure connection could not be made. Check that the "
                   "data folder can be written to.",
                   what);
}

// "AB:CD:..." (SHA-256 of the DER), as browsers show it.
Result<std::string> fingerprintOf(X509* certificate) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(certificate, EVP_sha256(), digest, &length) != 1) return failed("fingerprint");
  static const char* kHex = "0123456789ABCDEF";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    if (i > 0) text += ':';
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 15];
  }
  return text;
}

Status addExtension(X509* certificate, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) {
    return failed("extension " + value);
  }
  return okStatus();
}

Status writePem(const std::filesystem::path& path, mode_t mode,
                const std::function<int(FILE*)>& write) {
  FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) return failed("cannot write " + path.string());
  ::fchmod(fileno(file), mode);
  const int ok = write(file);
  if (std::fclose(file) != 0 || ok != 1) return failed("cannot write " + path.string());
  return okStatus();
}

}  // namespace

Result<SelfSignedCertificate> makeSelfSignedCertificate(const std::filesystem::path& dir,
                                                        const std::string& name,
                                                        const std::string& host) {
  Key key(EVP_EC_gen("P-256"));
  if (!key) return failed("key generation");
  Certificate certificate(X509_new());
  if (!certificate) return failed("X509_new");
  X509_set_version(certificate.get(), 2);
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return failed("random serial");
  serial[0] &= 0x7F;  // a positive number
  std::unique_ptr<BIGNUM, Freer<BN_free>> number(BN_bin2bn(serial, sizeof serial, nullptr));
  if (!number || !BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(certificate.get()))) {
    return failed("serial");
  }
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -60 * 60);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 10L * 365 * 24 * 60 * 60);
  X509_set_pubkey(certificate.get(), key.get());
  X509_NAME* subject = X509_get_subject_name(certificate.get());
  const std::string organisation = "Consent Guard";
  X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(organisation.c_str()), -1, -1,
                             0);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1, 0);
  X509_set_issuer_name(certificate.get(), subject);
  const bool isAddress = host.find_first_not_of("0123456789.") == std::string::npos;
  std::string names = (isAddress ? "IP:" : "DNS:") + host;
  if (host != "127.0.0.1") names += ",IP:127.0.0.1";
  if (host != "localhost") names += ",DNS:localhost";
  for (const auto& [nid, value] :
       {std::pair{NID_subject_alt_name, names},
        {NID_basic_constraints, std::string("critical,CA:TRUE")},
        {NID_key_usage, std::string("critical,digitalSignature,keyCertSign")},
        {NID_ext_key_usage, std::string("serverAuth")}}) {
    if (Status s = addExtension(certificate.get(), nid, value); !s) return s.error();
  }
  if (X509_sign(certificate.get(), key.get(), EVP_sha256()) == 0) return failed("signing");

  SelfSignedCertificate made{dir / (name + ".crt"), dir / (name + ".key"), ""};
  if (Status s = writePem(made.key, 0600,
                          [&](FILE* f) {
                            return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr,
                                                        nullptr);
                          });
      !s) {
    return s.error();
  }
  if (Status s = writePem(made.certificate, 0644,
                          [&](FILE* f) { return PEM_write_X509(f, certificate.get()); });
      !s) {
    return s.error();
  }
  auto fingerprint = fingerprintOf(certificate.get());
  if (!fingerprint) return fingerprint.error();
  made.sha256_fingerprint = *fingerprint;
  return made;
}

Result<std::string> certificateFingerprint(const std::filesystem::path& pem) {
  std::unique_ptr<FILE, Freer<&fclose>> file(std::fopen(pem.c_str(), "r"));
  if (!file) {
    return makeError("tls_certificate",
                     "The certificate " + pem.string() +
                         " cannot be read. Check the path given "
                         "in service.tls.certificate and that the service may read it.",
                     pem.string());
  }
  Certificate certificate(PEM_read_X509(file.get(), nullptr, nullptr, nullptr));
  if (!certificate) {
    return makeError(
        "tls_certificate",
        "The file " + pem.string() +
            " is not a PEM certificate. Give the "
            "certificate itself (-----BEGIN CERTIFICATE-----) in service.tls.certificate.",
        pem.string());
  }
  return fingerprintOf(certificate.get());
}

Status checkKeyIsCertificates(const std::filesystem::path& pem, const std::filesystem::path& key) {
  const auto mismatch = [&](const std::string& detail) {
    return makeError("tls_certificate",
                     "The key " + key.string() + " is not the key of the certificate " +
                         pem.string() +
                         ", or cannot be read. Give the key that was made with "
                         "the certificate in service.tls.key.",
                     detail);
  };
  std::unique_ptr<FILE, Freer<&fclose>> certFile(std::fopen(pem.c_str(), "r"));
  std::unique_ptr<FILE, Freer<&fclose>> keyFile(std::fopen(key.c_str(), "r"));
  if (!certFile || !keyFile) return mismatch("cannot open");
  Certificate certificate(PEM_read_X509(certFile.get(), nullptr, nullptr, nullptr));
  Key privateKey(PEM_read_PrivateKey(keyFile.get(), nullptr, nullptr, nullptr));
  if (!certificate || !privateKey) return mismatch("not PEM");
  if (X509_check_private_key(certificate.get(), privateKey.get()) != 1) {
    return mismatch("X509_check_private_key");
  }
  return okStatus();
}

}  // namespace consentguard::service
