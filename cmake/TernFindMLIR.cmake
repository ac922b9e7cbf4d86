#===- TernFindMLIR.cmake - locate LLVM/MLIR 22 --------------*- cmake -*-===//
#
# Finds Debian's LLVM/MLIR 22 and refuses anything else with a message that
# names the packages to install. MLIR's C++ API changes between majors, so a
# build against another version would fail much later with far worse errors.
#
#===----------------------------------------------------------------------===//
set(TERN_LLVM_MAJOR 22)
set(TERN_APT_HINT
  "apt-get update && apt-get install -y llvm-${TERN_LLVM_MAJOR}-dev llvm-${TERN_LLVM_MAJOR}-tools libmlir-${TERN_LLVM_MAJOR}-dev mlir-${TERN_LLVM_MAJOR}-tools clang-${TERN_LLVM_MAJOR}")

find_package(MLIR CONFIG QUIET
  HINTS "${MLIR_DIR}" "/usr/lib/llvm-${TERN_LLVM_MAJOR}/lib/cmake/mlir")
if(NOT MLIR_FOUND)
  message(FATAL_ERROR
    "Tern needs MLIR ${TERN_LLVM_MAJOR} (CMake package MLIRConfig.cmake), which was "
    "not found. On Debian 12 install it with:\n  ${TERN_APT_HINT}\n"
    "or run scripts/setup, which does this for you. To use another install, pass "
    "-DMLIR_DIR=<prefix>/lib/cmake/mlir.")
endif()
if(NOT LLVM_VERSION_MAJOR EQUAL TERN_LLVM_MAJOR)
  message(FATAL_ERROR
    "Tern needs LLVM/MLIR ${TERN_LLVM_MAJOR}, but MLIR_DIR=${MLIR_DIR} is version "
    "${LLVM_PACKAGE_VERSION}. Install the right packages with:\n  ${TERN_APT_HINT}\n"
    "and configure with -DMLIR_DIR=/usr/lib/llvm-${TERN_LLVM_MAJOR}/lib/cmake/mlir.")
endif()
message(STATUS "Using MLIR ${LLVM_PACKAGE_VERSION} from ${MLIR_DIR}")

# lit and FileCheck: Debian's config points LLVM_DEFAULT_EXTERNAL_LIT at a
# missing llvm-lit; the real ones live in the package's bin/.
find_program(TERN_LIT lit HINTS "${LLVM_TOOLS_BINARY_DIR}" NO_DEFAULT_PATH)
find_program(TERN_FILECHECK FileCheck HINTS "${LLVM_TOOLS_BINARY_DIR}" NO_DEFAULT_PATH)
