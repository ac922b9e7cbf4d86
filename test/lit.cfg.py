# -*- Python -*-
# lit configuration of the Tern FileCheck suite.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "Tern"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tern_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Unit", "Inputs"]

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

config.substitutions.append(("%tern_src_root", config.tern_src_root))
config.substitutions.append(("%tern_obj_root", config.tern_obj_root))

tool_dirs = [config.tern_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["tern-opt"], tool_dirs)
# `not` at the start of a RUN line is looked up on PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.tern_tools_dir, append_path=True)
