"""Submodules that load on first attribute access (PEP 562)."""
import importlib


def lazy_modules(package, modules):
    """A module __getattr__ for `package` that imports modules[name] when
    `name` is first used and caches it in the package."""
    def __getattr__(name):
        if name in modules:
            module = importlib.import_module(modules[name])
            setattr(importlib.import_module(package), name, module)
            return module
        raise AttributeError(f"module '{package}' has no attribute '{name}'")
    return __getattr__
