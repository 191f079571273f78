#include "consentguard/register/data_key.h"

#include <Poco/Crypto/Cipher.h>
#include <Poco/Crypto/CipherFactory.h>
#include <Poco/Crypto/CipherKey.h>
#include <Poco/Crypto/CryptoTransform.h>
#include <Poco/Crypto/DigestEngine.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace consentguard::reg {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMark = "CGK1";
constexpr std::size_t kIdBytes = 8, kNonceBytes = 12, kTagBytes = 16;
constexpr std::size_t kHeaderBytes = kMark.size() + kIdBytes + kNonceBytes;
constexpr std::string_view kFileHeader = "consentguard-data-key-1 ";

std::string hex(const std::uint8_t* data, std::size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

bool unhex(std::string_view text, std::uint8_t* out, std::size_t size) {
  if (text.size() != size * 2) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < size; ++i) {
    const int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return true;
}

void randomBytes(std::uint8_t* out, std::size_t size) {
  if (RAND_bytes(out, static_cast<int>(size)) != 1) {
    throw std::runtime_error("the operating system's random number generator failed");
  }
}

// One AES-256-GCM pass (Poco::Crypto over OpenSSL). Decrypting checks `tag` and throws when
// it does not match.
std::string gcm(const std::array<std::uint8_t, 32>& key, const std::uint8_t* nonce,
                const std::string& input, bool encrypt, std::string* tag) {
  Poco::Crypto::CipherKey cipherKey("aes-256-gcm",
                                    Poco::Crypto::CipherKey::ByteVec(key.begin(), key.end()),
                                    Poco::Crypto::CipherKey::ByteVec(nonce, nonce + kNonceBytes));
  Poco::Crypto::Cipher* cipher =
      Poco::Crypto::CipherFactory::defaultFactory().createCipher(cipherKey);
  std::unique_ptr<Poco::Crypto::Cipher> owned(cipher);
  Poco::Crypto::CryptoTransform::Ptr transform =
      encrypt ? cipher->createEncryptor() : cipher->createDecryptor();
  if (!encrypt) transform->setTag(*tag);
  std::string output(input.size() + 2 * transform->blockSize() + 16, '\0');
  auto* out = reinterpret_cast<unsigned char*>(output.data());
  std::streamsize written = transform->transform(
      reinterpret_cast<const unsigned char*>(input.data()),
      static_cast<std::streamsize>(input.size()), out, static_cast<std::streamsize>(output.size()));
  written +=
      transform->finalize(out + written, static_cast<std::streamsize>(output.size()) - written);
  output.resize(static_cast<std::size_t>(written));
  if (encrypt) *tag = transform->getTag(kTagBytes);
  return output;
}

std::string framed(std::string_view context, const std::vector<std::uint8_t>& value) {
  std::string plain;
  const auto length = static_cast<std::uint32_t>(context.size());
  for (int shift = 24; shift >= 0; shift -= 8) plain += static_cast<char>((length >> shift) & 255);
  plain.append(context);
  plain.append(value.begin(), value.end());
  return plain;
}

}  // namespace

DataKey::DataKey(const std::array<std::uint8_t, 32>& key) : key_(key) {
  Poco::Crypto::DigestEngine sha("SHA256");
  sha.update(key_.data(), key_.size());
  id_ = Poco::Crypto::DigestEngine::digestToHex(sha.digest()).substr(0, 2 * kIdBytes);
}

DataKey DataKey::generate() {
  std::array<std::uint8_t, 32> key{};
  randomBytes(key.data(), key.size());
  return DataKey(key);
}

Result<DataKey> DataKey::load(const fs::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) {
    return makeError("no_data_key",
                     "The data key file " + file.string() +
                         " is missing. The face templates and reference photos in the register "
                         "are encrypted with it and cannot be read without it. Put back the copy "
                         "of the key you keep apart from the backups (or name it with "
                         "service.data_key or --data-key), then try again.",
                     std::strerror(errno));
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return makeError("data_key_readable_by_others",
                     "The data key file " + file.string() +
                         " can be read by other users of this server. Let only Consent "
                         "Guard's account read it (chmod 600 " +
                         file.string() + "), then try again.");
  }
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  std::array<std::uint8_t, 32> key{};
  const bool wellFormed =
      line.rfind(kFileHeader, 0) == 0 &&
      unhex(std::string_view(line).substr(kFileHeader.size()), key.data(), key.size());
  if (!wellFormed) {
    return makeError("bad_data_key",
                     "The file " + file.string() +
                         " is not a Consent Guard data key. Put back the key file the register "
                         "was made with, then try again.");
  }
  DataKey loaded(key);
  OPENSSL_cleanse(key.data(), key.size());
  return loaded;
}

Status DataKey::save(const fs::path& file, bool overwrite) const {
  std::error_code ec;
  // A folder made for the key is its owner's only, as the key is.
  if (!file.parent_path().empty() && fs::create_directories(file.parent_path(), ec)) {
    fs::permissions(file.parent_path(), fs::perms::owner_all, ec);
  }
  const auto failed = [&](const std::string& what) {
    return makeError("write_failed",
                     "The data key could not be written to " + file.string() +
                         ". Check that the folder exists and Consent Guard may write to it.",
                     what + ": " + std::strerror(errno));
  };
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
  const int fd = ::open(file.c_str(), flags, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return makeError("output_exists", "There is already a data key at " + file.string() + ".");
    }
    return failed("open");
  }
  const std::string text = std::string(kFileHeader) + hex(key_.data(), key_.size()) + "\n";
  const bool written = ::fchmod(fd, 0600) == 0 &&
                       ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return failed("write");
  return okStatus();
}

std::vector<std::uint8_t> DataKey::seal(const std::vector<std::uint8_t>& value,
                                        std::string_view context) const {
  std::vector<std::uint8_t> sealed(kMark.begin(), kMark.end());
  std::uint8_t id[kIdBytes];
  unhex(id_, id, kIdBytes);
  sealed.insert(sealed.end(), id, id + kIdBytes);
  std::uint8_t nonce[kNonceBytes];
  randomBytes(nonce, kNonceBytes);
  sealed.insert(sealed.end(), nonce, nonce + kNonceBytes);
  std::string tag;
  const std::string cipherText = gcm(key_, nonce, framed(context, value), true, &tag);
  sealed.insert(sealed.end(), cipherText.begin(), cipherText.end());
  sealed.insert(sealed.end(), tag.begin(), tag.end());
  return sealed;
}

Result<std::vector<std::uint8_t>> DataKey::open(const std::vector<std::uint8_t>& sealed,
                                                std::string_view context) const {
  const auto damaged = [&](const std::string& detail) {
    return makeError("sealed_value_damaged",
                     "A face template or reference photo in the register has been changed or "
                     "damaged, so it cannot be read. Restore the register from a backup, or "
                     "enrol that person again.",
                     std::string(context) + ": " + detail);
  };
  if (!isSealed(sealed) || sealed.size() < kHeaderBytes + kTagBytes) return damaged("not sealed");
  if (sealedKeyId(sealed) != id_) {
    return makeError(
        "data_key_mismatch",
        "A face template or reference photo was encrypted with another data key. "
        "Put back the key file the register was made with.",
        std::string(context) + ": sealed with key " + sealedKeyId(sealed) + ", the key is " + id_);
  }
  const std::uint8_t* nonce = sealed.data() + kMark.size() + kIdBytes;
  const std::string cipherText(sealed.begin() + kHeaderBytes, sealed.end() - kTagBytes);
  std::string tag(sealed.end() - kTagBytes, sealed.end());
  std::string plain;
  try {
    plain = gcm(key_, nonce, cipherText, false, &tag);
  } catch (const Poco::Exception& e) {
    return damaged(e.displayText());
  }
  const std::string expected = framed(context, {});
  if (plain.size() < expected.size() ||
      CRYPTO_memcmp(plain.data(), expected.data(), expected.size()) != 0) {
    return damaged("sealed for another context");
  }
  return std::vector<std::uint8_t>(plain.begin() + static_cast<std::ptrdiff_t>(expected.size()),
                                   plain.end());
}

bool isSealed(const std::vector<std::uint8_t>& blob) {
  return blob.size() >= kMark.size() && std::equal(kMark.begin(), kMark.end(), blob.begin());
}

std::string sealedKeyId(const std::vector<std::uint8_t>& blob) {
  if (!isSealed(blob) || blob.size() < kMark.size() + kIdBytes) return {};
  return hex(blob.data() + kMark.size(), kIdBytes);
}

fs::path defaultDataKeyPath(const fs::path& database) {
  return database.parent_path() / "keys" / "data.key";
}

fs::path pendingDataKeyPath(const fs::path& key_file) {
  return fs::path(key_file.string() + ".new");
}

}  // namespace consentguard::reg
