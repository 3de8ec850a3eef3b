"""The report's package, in four layers (each subpackage's docstring says what it may import):

- ``alliance.data``: the data package and the record's shared rules;
- ``alliance.present``: the house style (theme, tables, glue);
- ``alliance.analysis``: one module per chapter's question, and the scorecard's rule;
- ``alliance.build``: validating, executing and publishing the book.

When the runner executes a chapter it sets ``ALLIANCE_READ_LOG``; every ``alliance`` module the
kernel then imports is logged there with the digest of its source as imported, just as data files
are logged as read. A chapter's fingerprint therefore holds the modules it actually used, and an
edit to any other module leaves it current.
"""

import hashlib as _hashlib
import os as _os
import sys as _sys
from importlib.machinery import PathFinder as _PathFinder

# The runner names each kernel's read log here (data files and modules alike).
READ_LOG_ENV = "ALLIANCE_READ_LOG"


def _log_module(origin: str) -> None:
    with open(origin, "rb") as source:
        digest = _hashlib.sha256(source.read()).hexdigest()
    with open(_os.environ[READ_LOG_ENV], "a", encoding="utf-8") as log:
        log.write(f"{_os.path.realpath(origin)}\t{digest}\n")


class _ModuleLog:
    """A finder placed first on ``sys.meta_path``: it finds ``alliance.*`` modules as the normal
    path finder would, and logs each one's source digest as it is imported."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if not name.startswith("alliance."):
            return None
        spec = _PathFinder.find_spec(name, path, target)
        if spec is not None and spec.origin and spec.origin.endswith(".py"):
            _log_module(spec.origin)
        return spec


if _os.environ.get(READ_LOG_ENV) and _ModuleLog not in _sys.meta_path:
    _sys.meta_path.insert(0, _ModuleLog)
    _log_module(__file__)  # the package itself was imported before its finder existed
