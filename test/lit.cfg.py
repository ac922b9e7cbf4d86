# -*- Python -*-
# lit configuration of the Tern FileCheck suite.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "Tern"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tern_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Unit", "Inputs",
                   "tern_e2e.py", "make_bad_checkpoints.py", "compare_with_reference.py",
                   "bundled_model_checks.py", "compare_logits.py"]

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

config.substitutions.append(("%tern_src_root", config.tern_src_root))
config.substitutions.append(("%tern_obj_root", config.tern_obj_root))

tool_dirs = [config.tern_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["tern-opt", "tern-translate", "ternc", "tern-run"], tool_dirs)

# Debian's interpreter, which has numpy (the default python3 may not).
config.substitutions.append(("%python", "/usr/bin/python3"))
# The reference models and test-data generators live in python/tern.
llvm_config.with_environment("PYTHONPATH", os.path.join(config.tern_src_root, "python"),
                             append_path=True)
config.substitutions.append(
    ("%e2e", "/usr/bin/python3 %s/e2e/tern_e2e.py --ternc %s/ternc --tern-run %s/tern-run"
     % (config.test_source_root, config.tern_tools_dir, config.tern_tools_dir)))
# `not` at the start of a RUN line is looked up on PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.tern_tools_dir, append_path=True)

# CUDA. ptxas (a CUDA toolkit's, on PATH or in /usr/local/cuda) assembles the
# PTX ternc emits, so invalid PTX fails the suite where it exists; tests that
# run kernels need a GPU the driver reports (`tern-run --devices`).
import shutil
import subprocess

ptxas = shutil.which("ptxas") or "/usr/local/cuda/bin/ptxas"
if os.access(ptxas, os.X_OK):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
else:
    lit_config.note("no ptxas (CUDA toolkit): emitted PTX is not assembled; "
                    "tests that need it are UNSUPPORTED")
try:
    devices = subprocess.run([os.path.join(config.tern_tools_dir, "tern-run"),
                              "--devices"], capture_output=True, timeout=60)
    has_gpu = devices.returncode == 0 and devices.stdout.strip() != b""
except (OSError, subprocess.TimeoutExpired):
    has_gpu = False
# A sanitizer build (-DTERN_SANITIZE=...): reports fail the test; the
# Python tests, which load the runtime into an uninstrumented interpreter,
# are UNSUPPORTED there.
if getattr(config, "tern_sanitize", ""):
    config.available_features.add("sanitizers")
    # allow_user_poisoning=0: see scripts/sanitize.
    config.environment["ASAN_OPTIONS"] = "detect_leaks=1:allow_user_poisoning=0"
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    config.environment["LSAN_OPTIONS"] = "suppressions=" + os.path.join(
        config.test_source_root, "lsan.supp")

# AArch64 artifacts run under QEMU with tern-run cross-built for AArch64.
cross_run = os.path.join(config.tern_tools_dir, "tern-run-aarch64")
qemu = shutil.which("qemu-aarch64")
if qemu and os.path.exists(cross_run):
    config.available_features.add("qemu-aarch64")
    run_aarch64 = "%s -L /usr/aarch64-linux-gnu %s" % (qemu, cross_run)
    # %e2e-aarch64 before %e2e: lit substitutes in order.
    config.substitutions.insert(0, (
        "%e2e-aarch64", '/usr/bin/python3 %s/e2e/tern_e2e.py --ternc %s/ternc '
        '--tern-run "%s" --target aarch64'
        % (config.test_source_root, config.tern_tools_dir, run_aarch64)))
    config.substitutions.append(("%tern-run-aarch64", run_aarch64))
else:
    lit_config.note("no qemu-aarch64 or AArch64 tern-run: tests that run "
                    "AArch64 artifacts (REQUIRES: qemu-aarch64) are UNSUPPORTED")
if has_gpu:
    config.available_features.add("cuda-device")
else:
    lit_config.note("no CUDA GPU: tests that run kernels on one "
                    "(REQUIRES: cuda-device) are UNSUPPORTED")
