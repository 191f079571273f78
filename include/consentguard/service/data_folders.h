// The service's data folder and what is in it:
//   consentguard.db        the register and the queue (the same file the commands take as --db)
//   inbox/<channel>/       office staff drop photos here
//   outbox/<channel>/      cleaned photos that may be published
//   held/                  originals waiting for a senior leader, each with a .txt saying why
//   rejected/              originals that must not be published, each with a .txt saying why
//   store/                 every submitted original, by job id (never shown to staff)
//   keys/data.key          the data key sealing templates and reference photos (by default:
//                          service.data_key names another; register/data_key.h)
// Value type; thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "consentguard/common/result.h"

namespace consentguard::service {

struct DataFolders {
  std::filesystem::path root;

  std::filesystem::path database() const { return root / "consentguard.db"; }
  std::filesystem::path inbox(const std::string& channel) const { return root / "inbox" / channel; }
  std::filesystem::path outbox(const std::string& channel) const {
    return root / "outbox" / channel;
  }
  std::filesystem::path held() const { return root / "held"; }
  std::filesystem::path rejected() const { return root / "rejected"; }
  std::filesystem::path store() const { return root / "store"; }

  // Makes every folder that is missing.
  Status create(const std::vector<std::string>& channels) const;
};

}  // namespace consentguard::service
