// A self-signed TLS certificate for a school that has none of its own yet (OpenSSL): an ECDSA
// P-256 key and a certificate for the host name, valid for ten years, with the host (and
// 127.0.0.1) as its subject alternative names. The key file is written with mode 0600. People
// check the SHA-256 fingerprint against the one in the log before trusting it.
// Free functions; thread-safe.
#pragma once

#include <filesystem>
#include <string>

#include "consentguard/common/result.h"

namespace consentguard::service {

struct SelfSignedCertificate {
  std::filesystem::path certificate;  // PEM
  std::filesystem::path key;          // PEM, mode 0600
  std::string sha256_fingerprint;     // "AB:CD:...", as browsers show it
};

// Writes DIR/NAME.crt and DIR/NAME.key. Errors: "tls_certificate".
Result<SelfSignedCertificate> makeSelfSignedCertificate(const std::filesystem::path& dir,
                                                        const std::string& name,
                                                        const std::string& host);

// The SHA-256 fingerprint ("AB:CD:...") of a PEM certificate file. Errors: "tls_certificate".
Result<std::string> certificateFingerprint(const std::filesystem::path& pem);

// Whether `key` (PEM) is the private key of the certificate `pem`. Errors: "tls_certificate".
Status checkKeyIsCertificates(const std::filesystem::path& pem, const std::filesystem::path& key);

}  // namespace consentguard::service
