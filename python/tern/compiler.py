"""tern.compile: the ternc driver from Python.

Runs the ternc executable (found by tern._native) with the options given as
keyword arguments; a failed compile raises CompileError carrying ternc's
diagnostics, which name the file, tensor or op at fault.
"""
import os
import pathlib
import subprocess

from . import _native


class CompileError(Exception):
    """ternc rejected the model or the options.

    Attributes: diagnostics (ternc's error output), returncode, command.
    """

    def __init__(self, diagnostics, returncode, command):
        self.diagnostics = diagnostics
        self.returncode = returncode
        self.command = command
        super().__init__(diagnostics.strip() or f"ternc exited with status {returncode}")


def _flag(name, value):
    """One keyword argument as ternc flags: True -> --name, False/None -> none,
    a list -> the flag repeated, opt_level=N -> -ON."""
    if name == "opt_level":
        return [f"-O{int(value)}"]
    flag = "--" + name.replace("_", "-")
    if value is None or value is False:
        return []
    if value is True:
        return [flag]
    if isinstance(value, (list, tuple)):
        return [f"{flag}={v}" for v in value]
    return [f"{flag}={value}"]


def default_output(model_path):
    """model.onnx -> model.so, a checkpoint directory my-model/ -> my-model.so,
    in the current directory."""
    name = pathlib.Path(model_path).name
    stem = name if pathlib.Path(model_path).is_dir() else pathlib.Path(name).stem
    return pathlib.Path.cwd() / (stem + ".so")


def compile(model_path, output=None, target="x86_64", mcpu="host", weights="auto",
            **options):
    """Compiles a model (a Hugging Face checkpoint directory, .onnx, .gguf or
    .mlir file) to an artifact and returns its path.

    target, mcpu and weights are ternc's --target, --mcpu and --weights; every
    other ternc option is a keyword argument with dashes as underscores:
    layout="i2:64", mattr="+dotprod", max_context=512, autotune=True,
    gpu_arch="sm_90", emit="tern", load_backend=["lib.so"], opt_level=2.
    """
    model_path = os.fspath(model_path)
    if not os.path.exists(model_path):
        raise FileNotFoundError(f"{model_path}: no such model file or directory")
    output = pathlib.Path(output) if output is not None else default_output(model_path)
    command = [os.fspath(_native.ternc()), model_path, "-o", os.fspath(output),
               f"--target={target}", f"--mcpu={mcpu}", f"--weights={weights}"]
    for name, value in options.items():
        command += _flag(name, value)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise CompileError(done.stderr, done.returncode, command)
    return output
