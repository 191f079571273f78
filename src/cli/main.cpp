// consentguard: the command-line entry point. Process-wide settings are made here, once.
#include <algorithm>
#include <iostream>

#include "commands.h"
#include "consentguard/faces/allocator.h"

namespace consentguard::cli {

std::string takeOption(Args& args, const std::string& name) {
  auto it = std::find(args.begin(), args.end(), name);
  if (it == args.end() || std::next(it) == args.end()) return {};
  std::string value = *std::next(it);
  args.erase(it, it + 2);
  return value;
}

bool takeFlag(Args& args, const std::string& name) {
  auto it = std::find(args.begin(), args.end(), name);
  if (it == args.end()) return false;
  args.erase(it);
  return true;
}

namespace {

void printUsage() {
  std::cerr << "Usage:\n"
               "  consentguard faces [--json] [--hog] [--models DIR] IMAGE\n"
               "      Finds every face in IMAGE and prints its box, score and descriptor.\n"
               "  consentguard models check [--models DIR]\n"
               "      Says which models are present and loadable, and how to fetch missing ones.\n"
               "  consentguard models convert --manifest JSON --weights BIN --out DAT\n"
               "      Converts face-api's recognition network into dlib's format (set-up).\n";
}

}  // namespace
}  // namespace consentguard::cli

int main(int argc, char** argv) {
  using namespace consentguard::cli;
  consentguard::faces::tuneAllocatorForDlib();
  Args args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    printUsage();
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "faces") return runFaces(args);
    if (command == "models") return runModels(args);
  } catch (const std::exception& e) {
    std::cerr << "consentguard: unexpected error: " << e.what() << "\n";
    return kExitSetupProblem;
  }
  std::cerr << "consentguard: unknown command '" << command << "'\n";
  printUsage();
  return kExitUsage;
}
