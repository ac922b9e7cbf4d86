# -*- Python -*-
# lit configuration that runs the GoogleTest unit tests, one lit test each.
import lit.formats

config.name = "Tern-Unit"
config.suffixes = []
config.test_source_root = config.tern_tools_dir
config.test_exec_root = config.tern_tools_dir
config.test_format = lit.formats.GoogleTest(".", "Tests")
