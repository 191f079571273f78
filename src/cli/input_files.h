// The files a command is asked to look at: files named on the command line, and every file in
// the folders named there (and in their folders, in name order). In a folder, hidden files and
// the names copy tools use while they are still copying (service/folder_intake.h) are left out,
// as the inbox folders leave them; a file named on the command line is always taken.
#pragma once

#include <filesystem>
#include <vector>

#include "commands.h"

namespace consentguard::cli {

// Whether an argument left over looks like an option ("--hgo"): a usage error, not a file.
bool hasUnknownOption(const Args& args);

// Whether `args` asks for more than one file: several paths, or a folder.
bool isBatch(const Args& args);

// The files to look at, in the order given (a folder's files sorted by path). A path that does
// not exist is kept, so that its own line can say so. Files inside `leaveOut` (the folder the
// clean copies go to, when given) are not taken.
std::vector<std::filesystem::path> inputFiles(const Args& args,
                                              const std::filesystem::path& leaveOut = {});

}  // namespace consentguard::cli
