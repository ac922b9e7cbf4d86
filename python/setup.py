"""Builds the tern package. Besides the Python modules, it copies the
compiler and the runtime library from Tern's build directory into the
package (tern/_native/bin/ternc, tern/_native/lib/libtern_runtime.so), so
the installed package finds them without paths:

    scripts/setup                       # builds Tern into build/
    pip install ./python                # or: TERN_BUILD_DIR=/path pip install ./python

Offline on Debian's Python: python3 -m venv --system-site-packages ENV, then
ENV/bin/pip install --no-build-isolation --no-index ./python. Without a
build directory it installs the pure-Python parts (tern.reference,
tern.export, ...) and tern.compile/tern.load say what is missing.
"""
import os
import pathlib
import shutil

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent
NATIVE = ["bin/ternc", "lib/libtern_runtime.so"]


def build_dir():
    if os.environ.get("TERN_BUILD_DIR"):
        return pathlib.Path(os.environ["TERN_BUILD_DIR"]).resolve()
    return HERE.parent / "build"


class BuildWithNative(build_py):
    def run(self):
        super().run()
        source = build_dir()
        missing = [f for f in NATIVE if not (source / f).is_file()]
        if missing:
            print(f"tern: no {', '.join(missing)} under {source}: installing the Python "
                  f"parts only (build Tern first, or set TERN_BUILD_DIR)")
            return
        for relative in NATIVE:
            target = pathlib.Path(self.build_lib) / "tern" / "_native" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / relative, target)


class NativeDistribution(Distribution):
    """The wheel holds machine code: tag it for this platform."""

    def has_ext_modules(self):
        return (build_dir() / NATIVE[0]).is_file()


setup(cmdclass={"build_py": BuildWithNative}, distclass=NativeDistribution)
