"""Where the compiler (ternc) and the runtime library (libtern_runtime.so) are.

`pip install ./python` copies both from the build directory into the package
(tern/_native/bin/ternc, tern/_native/lib/libtern_runtime.so; see setup.py),
so an installed package needs no paths. Otherwise, in this order:

  $TERN_TERNC, $TERN_RUNTIME_LIBRARY   the files themselves
  $TERN_BUILD_DIR                      a build directory (bin/ternc, lib/...)
  ternc on $PATH                       with ../lib/libtern_runtime.so beside it
  ../../build from this file           a source checkout's default build
"""
import os
import pathlib
import shutil

_HERE = pathlib.Path(__file__).resolve().parent
_RUNTIME = "libtern_runtime.so"


class NotBuiltError(RuntimeError):
    """The compiler or runtime library cannot be found."""


def _build_dirs():
    dirs = [_HERE / "_native"]
    if os.environ.get("TERN_BUILD_DIR"):
        dirs.append(pathlib.Path(os.environ["TERN_BUILD_DIR"]))
    on_path = shutil.which("ternc")
    if on_path:
        dirs.append(pathlib.Path(on_path).resolve().parent.parent)
    dirs.append(_HERE.parent.parent / "build")
    return dirs


def _find(env, relative, what):
    if os.environ.get(env):
        path = pathlib.Path(os.environ[env])
        if not path.is_file():
            raise NotBuiltError(f"${env} names {path}, which is not a file")
        return path
    for d in _build_dirs():
        if (d / relative).is_file():
            return d / relative
    raise NotBuiltError(
        f"cannot find {what}: build Tern (scripts/setup) and reinstall the package "
        f"(pip install ./python), or set ${env} or $TERN_BUILD_DIR")


def ternc():
    """Path of the ternc executable."""
    return _find("TERN_TERNC", "bin/ternc", "the compiler (ternc)")


def runtime_library():
    """Path of libtern_runtime.so."""
    return _find("TERN_RUNTIME_LIBRARY", "lib/" + _RUNTIME, "the runtime (" + _RUNTIME + ")")
