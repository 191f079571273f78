#include "consentguard/service/data_folders.h"

namespace consentguard::service {

Status DataFolders::create(const std::vector<std::string>& channels) const {
  std::vector<std::filesystem::path> folders = {root, held(), rejected(), store()};
  for (const auto& channel : channels) {
    folders.push_back(inbox(channel));
    folders.push_back(outbox(channel));
  }
  for (const auto& folder : folders) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) {
      return makeError("io_error",
                       "The folder " + folder.string() +
                           " could not be made. Check that the data folder is on a disk the "
                           "service can write to.",
                       ec.message());
    }
  }
  return okStatus();
}

}  // namespace consentguard::service
