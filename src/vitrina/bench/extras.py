"""Optional packages the benchmarks need: a missing one is a one-line usage error, not a traceback."""

from __future__ import annotations

import importlib
from types import ModuleType

from vitrina.errors import UsageError

__all__ = ["require"]


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module`` or raise a :class:`UsageError` naming the pip extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise UsageError(
            f"{purpose} needs {module}, which is not installed: pip install 'vitrina[{extra}]'"
        ) from exc
