"""The backend registry: each role's leaves register by URL scheme; ``open_backend`` opens one.

A leaf is one module anywhere under ``vitrina/`` with a decorated factory (a class or a
function taking the URL)::

    @register("warehouse", "postgresql", "postgres", extra="postgres")
    class PostgresWarehouse(Warehouse): ...

The registry finds leaves *without importing them*: it reads the literal arguments of the
``@register(...)`` lines in the package's sources, so the configuration knows every role's
schemes (``schemes``, ``ROLE_SCHEMES``) at no import cost, and a leaf's heavy or optional
dependencies load only when it is opened. Opening imports the leaf's module, whose decorator
then records the factory. A missing optional dependency becomes one line naming the pip
extra to install (exit 2), for every leaf at once, here.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import functools
import importlib
import logging
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar
from urllib.parse import unquote

from vitrina.errors import BackendError, UsageError
from vitrina.redact import mask_url

__all__ = [
    "ROLES",
    "ROLE_SCHEMES",
    "Leaf",
    "check_url",
    "factory",
    "file_path",
    "import_extra",
    "leaves",
    "local_path",
    "open_backend",
    "register",
    "scheme_of",
    "schemes",
]

log = logging.getLogger(__name__)

# Every role a profile names a backend for (the keys of [backends] in vitrina.toml). A role
# without a leaf yet keeps its URL for the issue that adds one; its scheme is not checked.
ROLES = (
    "eventlog",
    "source",
    "replica",
    "warehouse",
    "marts",
    "graph",
    "serving",
    "alerts",
    "objectstore",
    "spark",
)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Leaf:
    """One registered backend: the role it plays, its URL schemes, module and pip extra."""

    role: str
    schemes: tuple[str, ...]
    module: str
    extra: str | None = None
    local: bool = False  # the URL's path is a local file or folder the leaf keeps its data in


# Factories recorded by the decorator when a leaf's module is imported: (role, scheme) -> f.
_FACTORIES: dict[tuple[str, str], Callable[[str], Any]] = {}


def register(
    role: str, *schemes: str, extra: str | None = None, local: bool = False
) -> Callable[[F], F]:
    """Record the decorated factory as the ``role`` backend for ``schemes``.

    Arguments must be literals (the registry reads them from the source). ``extra`` names the
    pip extra holding the leaf's optional dependencies (``pip install 'vitrina[extra]'``);
    ``local`` says the URL's path is a local file or folder (an embedded store).
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    if not schemes:
        raise ValueError("register() needs at least one URL scheme")

    def decorate(factory: F) -> F:
        for scheme in schemes:
            _FACTORIES[(role, scheme)] = factory
        return factory

    return decorate


# A decorator line ``@register(...)`` at the start of a line; its arguments hold no brackets.
_DECORATOR = re.compile(r"^@register\((?P<args>[^()]*)\)", re.M)


def _register_calls(text: str) -> Iterator[Leaf]:
    for m in _DECORATOR.finditer(text):
        call = ast.parse(f"f({m.group('args')})", mode="eval").body
        assert isinstance(call, ast.Call)
        try:
            args = [ast.literal_eval(a) for a in call.args]
            kwargs = {str(k.arg): ast.literal_eval(k.value) for k in call.keywords}
        except ValueError as exc:
            raise BackendError(f"@register takes literals only: {m.group(0)}") from exc
        if len(args) < 2 or not all(isinstance(a, str) for a in args):
            raise BackendError(f"@register needs a role and schemes: {m.group(0)}")
        extra = kwargs.get("extra")
        yield Leaf(
            args[0],
            tuple(args[1:]),
            "",
            None if extra is None else str(extra),
            bool(kwargs.get("local", False)),
        )


@functools.cache
def leaves() -> tuple[Leaf, ...]:
    """Every leaf in the package, found from the ``@register(...)`` lines of its sources."""
    found: list[Leaf] = []
    root = Path(__file__).resolve().parent
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
        package = ".".join(("vitrina", *Path(folder).relative_to(root).parts))
        for name in sorted(files):
            if not name.endswith(".py") or name == "backends.py":
                continue
            with open(os.path.join(folder, name), "rb") as fh:
                raw = fh.read()
            if b"\n@register(" not in raw:
                continue
            module = package if name == "__init__.py" else f"{package}.{name[:-3]}"
            for leaf in _register_calls(raw.decode("utf-8")):
                found.append(dataclasses.replace(leaf, module=module))
    return tuple(sorted(found, key=lambda leaf: (leaf.role, leaf.schemes)))


def schemes(role: str) -> tuple[str, ...]:
    """The URL schemes some leaf of ``role`` accepts (empty when the role has no leaf yet)."""
    return tuple(s for leaf in leaves() if leaf.role == role for s in leaf.schemes)


class _RoleSchemes(Mapping[str, tuple[str, ...]]):
    """Role -> schemes, read from the registry on first use (iterating roles needs no scan)."""

    def __getitem__(self, role: str) -> tuple[str, ...]:
        if role not in ROLES:
            raise KeyError(role)
        return schemes(role)

    def __iter__(self) -> Iterator[str]:
        return iter(ROLES)

    def __len__(self) -> int:
        return len(ROLES)


ROLE_SCHEMES: Mapping[str, tuple[str, ...]] = _RoleSchemes()


def scheme_of(url: str) -> str:
    """The URL's scheme; a bare path (no ``://``) is a ``file`` URL."""
    head, sep, _ = url.partition("://")
    return head.lower() if sep else "file"


def _leaf(role: str, url: str) -> Leaf:
    scheme = scheme_of(url)
    for leaf in leaves():
        if leaf.role == role and scheme in leaf.schemes:
            return leaf
    allowed = ", ".join(f"{s}://" for s in schemes(role)) or "none yet"
    raise UsageError(f"{role} URL {mask_url(url)!r}: unsupported scheme (allowed: {allowed})")


def file_path(url: str) -> Path | None:
    """The local path a ``file://`` URL (or a bare path) names; None for any other scheme."""
    if scheme_of(url) != "file":
        return None
    _, sep, rest = url.partition("://")
    return Path(unquote(rest if sep else url))


def local_path(role: str, url: str) -> Path | None:
    """Where an embedded (``local``) leaf keeps the data ``url`` names; None for a service."""
    leaf = _leaf(role, url)
    if not leaf.local:
        return None
    rest = url.partition("://")[2].split("?", 1)[0]
    path = unquote(rest)
    return Path(path) if path and path not in ("/", ":memory:") else None


def check_url(role: str, url: str) -> str | None:
    """What is wrong with ``url`` for ``role`` (scheme, port), or None; never opens anything."""
    known = schemes(role)
    scheme = scheme_of(url)
    if known and scheme not in known:
        return f"unsupported scheme {scheme + '://'!r}"
    _, sep, rest = url.partition("://")
    if not sep:
        return None
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    for host in authority.split(","):  # kafka://h1:9092,h2:9092
        if host.startswith("["):  # [::1]:5432
            host = host.partition("]")[2]
        _, colon, port = host.rpartition(":")
        if colon and port and not (port.isdigit() and 0 < int(port) < 65536):
            return f"port {port!r} is not a number from 1 to 65535"
    return None


def _missing(leaf: Leaf, exc: ModuleNotFoundError) -> UsageError:
    extra = f"vitrina[{leaf.extra}]" if leaf.extra else "vitrina"
    return UsageError(
        f"the {leaf.role} backend {leaf.schemes[0]}:// needs the Python package "
        f"{exc.name or 'it imports'}: pip install '{extra}'"
    )


def _is_ours(exc: ModuleNotFoundError) -> bool:
    return (exc.name or "").split(".")[0] == "vitrina"


@contextlib.contextmanager
def _extra_of(leaf: Leaf) -> Iterator[None]:
    # A third-party module missing while a leaf loads or opens is its extra not installed.
    try:
        yield
    except ModuleNotFoundError as exc:
        if _is_ours(exc):
            raise
        raise _missing(leaf, exc) from exc


def factory(role: str, url: str) -> Callable[..., Any]:
    """The factory (often the leaf's class) registered for ``url``'s scheme, not called yet.

    For what a leaf says about itself without connecting (a warehouse's dbt target).
    """
    leaf = _leaf(role, url)
    with _extra_of(leaf):
        importlib.import_module(leaf.module)
    found = _FACTORIES.get((role, scheme_of(url)))
    if found is None:
        raise BackendError(f"{leaf.module} did not register {role} {scheme_of(url)}://")
    return found


def open_backend(role: str, url: str) -> Any:
    """Open the ``role`` backend named by ``url`` with the leaf registered for its scheme."""
    make = factory(role, url)
    with _extra_of(_leaf(role, url)):
        return make(url)


def import_extra(module: str, extra: str) -> ModuleType:
    """Import an optional dependency, or fail with one line naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if _is_ours(exc):
            raise
        raise UsageError(f"{module} is not installed: pip install 'vitrina[{extra}]'") from exc
