"""Reading and checking raw setting values: the TOML file and one validator per kind of value.

Each validator takes a value as TOML, the environment or a flag gives it and returns it typed,
or raises ValueError with what it must be (the config module adds where it came from).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vitrina.errors import ConfigError
from vitrina.timeutil import parse_duration_ms, parse_instant_ms

__all__ = [
    "boolean",
    "duration",
    "instant",
    "integer",
    "non_negative_float",
    "non_negative_int",
    "positive_duration",
    "positive_int",
    "rate",
    "read_toml",
    "status_map",
]


def integer(v: Any) -> int:
    if isinstance(v, bool) or (isinstance(v, float) and not math.isfinite(v)):
        raise ValueError("must be an integer")
    if int(v) != float(v):
        raise ValueError("must be an integer")
    return int(v)


def non_negative_int(v: Any) -> int:
    if integer(v) < 0:
        raise ValueError("must be a non-negative integer")
    return int(v)


def positive_int(v: Any) -> int:
    if integer(v) < 1:
        raise ValueError("must be a positive integer")
    return int(v)


def rate(v: Any) -> float:
    f = float(v)
    if not 0.0 <= f <= 1.0:
        raise ValueError("must be between 0 and 1")
    return f


def non_negative_float(v: Any) -> float:
    f = float(v)
    if not math.isfinite(f) or f < 0:
        raise ValueError("must be a finite number >= 0")
    return f


def boolean(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in {"1", "true", "yes", "on"}:
        return True
    if s in {"0", "false", "no", "off"}:
        return False
    raise ValueError("must be true or false")


def duration(v: Any) -> int:
    # The same rule for TOML, the environment and flags: a unit is required, except for 0.
    return parse_duration_ms(v)


def positive_duration(v: Any) -> int:
    ms = duration(v)
    if ms <= 0:
        raise ValueError("must be a positive duration")
    return ms


def status_map(v: Any) -> dict[str, str]:
    # A TOML table, or in the environment "Awaiting=pending,Done=completed".
    if isinstance(v, str):
        pairs = [p.partition("=") for p in v.split(",") if p.strip()]
        if any(not sep for _, sep, _ in pairs):
            raise ValueError("write name=status pairs separated by commas")
        v = {k.strip(): s.strip() for k, _, s in pairs}
    if not isinstance(v, Mapping):
        raise ValueError("must be a table of name = status")
    out = {str(k).strip().lower(): str(s).strip().lower() for k, s in v.items()}
    if not out:
        return out
    from vitrina.contracts.types import ORDER_STATUS_ALIASES, ORDER_STATUSES  # loads polars

    out = {k: ORDER_STATUS_ALIASES.get(s, s) for k, s in out.items()}
    wrong = sorted(s for s in out.values() if s not in ORDER_STATUSES)
    if wrong:
        raise ValueError(f"{', '.join(wrong)} not in {'|'.join(ORDER_STATUSES)}")
    return out


def instant(v: Any) -> str:
    parse_instant_ms(str(v), now_ms=0)  # validate only; "now" is resolved when used
    return str(v)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError("config", f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            "config", f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("config", f"{path} is not valid TOML: {exc}") from exc
