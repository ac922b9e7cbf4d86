//===- Plugin.h - Backends loaded at run time -------------------*- C++ -*-===//
//
// Part of the Tern project: an ahead-of-time compiler for ternary and 1-bit
// LLMs.
//
//===----------------------------------------------------------------------===//
//
// `ternc --load-backend=libmybackend.so` loads a backend built outside the
// tree (docs/AddingABackend.md). The library is compiled against this
// release's headers and exports two C functions:
//
//   int  tern_backend_plugin_abi_version(void);  // TERN_BACKEND_PLUGIN_ABI
//   void tern_backend_plugin_register(void);     // calls registerTarget()
//
// The C++ it uses (Target.h, the pipelines, MLIR) resolves against ternc,
// which exports its symbols for that purpose; the version check stops a
// plugin built against another release before it can misbehave.
//
//===----------------------------------------------------------------------===//
#ifndef TERN_TARGET_PLUGIN_H
#define TERN_TARGET_PLUGIN_H

#include <string>

/// Bumped whenever Target.h or what it exposes changes incompatibly.
#define TERN_BACKEND_PLUGIN_ABI 2

#define TERN_BACKEND_PLUGIN_VERSION_SYMBOL "tern_backend_plugin_abi_version"
#define TERN_BACKEND_PLUGIN_REGISTER_SYMBOL "tern_backend_plugin_register"

namespace mlir::tern {

/// Loads the plugin at `path` and lets it register its backends; false with
/// `error` naming the file and what is wrong (cannot be loaded, a missing
/// entry point, another ABI version).
bool loadBackendPlugin(const std::string &path, std::string &error);

} // namespace mlir::tern

#endif // TERN_TARGET_PLUGIN_H
