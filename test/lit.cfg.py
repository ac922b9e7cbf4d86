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
                   "bundled_model_checks.py"]

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
