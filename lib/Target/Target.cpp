//===- Target.cpp - The backend registry ----------------------------------===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
#include "tern/Target/Target.h"

#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;
using namespace mlir::tern;

namespace {
std::map<std::string, TargetFactory> &registry() {
  static std::map<std::string, TargetFactory> targets;
  return targets;
}
} // namespace

void mlir::tern::registerTarget(llvm::StringRef name, TargetFactory factory) {
  registry()[name.str()] = factory;
}

std::unique_ptr<Target> mlir::tern::createTarget(llvm::StringRef name,
                                                 std::string &error) {
  auto it = registry().find(name.str());
  if (it != registry().end())
    return it->second();
  std::vector<std::string> known;
  for (const auto &entry : registry())
    known.push_back(entry.first);
  error = "unknown --target '" + name.str() + "'; this build knows: " +
          llvm::join(known, ", ");
  return nullptr;
}

void mlir::tern::printTargets(llvm::raw_ostream &os) {
  for (const auto &entry : registry()) {
    std::unique_ptr<Target> target = entry.second();
    os << entry.first << ": " << target->description() << "\n";
    for (const auto &[flag, meaning] : target->options())
      os << "  " << flag << "  " << meaning << "\n";
  }
}
