// libFuzzer harness: the register's CSV import, previewed (run inside a transaction that is
// rolled back) against a register that already holds people, as the /import page does with an
// uploaded file. Every input must give a report or a "bad_csv" error.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "consentguard/register/csv_import.h"
#include "consentguard/register/register_store.h"

namespace {

// The register's file, deleted when the process ends.
struct TemporaryFile {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("cg-fuzz-csv-" + std::to_string(::getpid()) + ".db");
  ~TemporaryFile() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path.string() + suffix, ec);
    }
  }
};

consentguard::reg::RegisterStore& store() {
  static TemporaryFile file;
  static std::unique_ptr<consentguard::reg::RegisterStore> opened = [] {
    const auto path = file.path;
    std::filesystem::remove(path);
    auto s = consentguard::reg::RegisterStore::open(path);
    if (!s) __builtin_trap();
    consentguard::reg::ImportOptions options;
    options.today = "2026-09-01";
    (void)consentguard::reg::importRegisterCsv(
        **s,
        "id,role,given_name,family_name,no_photo,consent_website,consent_newsletter,"
        "consent_social_media,biometric_consent,preferred_name,year_group,consent_expires\n"
        "P001,pupil,Amy,Fowler,no,yes,yes,no,yes,,5,\n"
        "S001,staff,Stuart,Bloom,no,yes,yes,yes,no,,,\n",
        options);
    return std::move(s.value());
  }();
  return *opened;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  consentguard::reg::ImportOptions options;
  options.today = "2026-09-01";
  (void)consentguard::reg::previewRegisterCsv(
      store(), std::string_view(reinterpret_cast<const char*>(data), size), options);
  return 0;
}
