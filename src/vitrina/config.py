"""The profile: built-in defaults < vitrina.toml < VITRINA_* environment < command-line flags.

This is the only module that reads the environment. Everything else receives the frozen
:class:`Settings` it builds. Environments are data: a profile is a dict of overrides.

Settings are typed sections of frozen dataclasses; a key of vitrina.toml ``[section] key``
is the attribute ``settings.section.key``, with ``_ms`` added to durations (which are ints of
milliseconds once resolved)::

    settings.profile, settings.data_dir, settings.config_file
    settings.backends.<role>          URL (eventlog, source, replica, warehouse, marts, graph,
                                      serving, alerts, objectstore); settings.backend(role)
    settings.simulate.scale, .seed, .start ("now" or ISO-8601), .duration_ms, .speed, .slice_ms
    settings.faults.enabled, .duplicate_rate, .late_rate, .malformed_rate, .violation_rate,
                   .late_by_ms
    settings.stream.size_ms, .hop_ms, .lateness_ms, .idle_timeout_ms
    settings.kafka.partitions, .clicks_topic, .registrations_topic, .output_topic
    settings.scoring.click_weight, .units_weight, .top_n
    settings.ingest.status_map, .naive_as_utc, .round_money, .mapping

``settings.with_overrides(stream={"lateness": "1m"})`` makes a validated copy, spelled like
vitrina.toml. Durations follow one rule from every source: a number with a unit (``30s``,
``5m``, ``1h30m``), a bare ``0`` being the only number without one.
"""

from __future__ import annotations

import copy
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vitrina.backends import ROLE_SCHEMES, check_url
from vitrina.config_sections import (
    BackendSettings,
    FaultSettings,
    IngestSettings,
    KafkaSettings,
    ScoringSettings,
    SimulateSettings,
    StreamSettings,
)
from vitrina.config_values import (
    boolean as _bool,
)
from vitrina.config_values import (
    duration as _duration,
)
from vitrina.config_values import (
    instant as _instant,
)
from vitrina.config_values import (
    non_negative_float as _non_neg_float,
)
from vitrina.config_values import (
    non_negative_int as _pos_int,
)
from vitrina.config_values import (
    positive_duration as _positive_duration,
)
from vitrina.config_values import (
    positive_int as _positive_int,
)
from vitrina.config_values import (
    rate as _rate,
)
from vitrina.config_values import (
    read_toml as _read_file,
)
from vitrina.config_values import (
    status_map as _status_map,
)
from vitrina.errors import ConfigError
from vitrina.redact import mask_secrets
from vitrina.timeutil import format_duration_ms

log = logging.getLogger(__name__)

__all__ = [
    "PROFILES",
    "ROLES",
    "BackendSettings",
    "FaultSettings",
    "IngestSettings",
    "KafkaSettings",
    "ScoringSettings",
    "Settings",
    "SimulateSettings",
    "StreamSettings",
    "load_settings",
    "mask_secrets",
]

# Role -> the URL schemes its registered leaves accept (vitrina.backends finds the leaves).
ROLES: Mapping[str, tuple[str, ...]] = ROLE_SCHEMES

_LOCAL_BACKENDS = {
    "eventlog": "file://{data_dir}/events",
    "source": "duckdb://{data_dir}/source.duckdb",
    "replica": "duckdb://{data_dir}/replica.duckdb",
    "warehouse": "duckdb://{data_dir}/warehouse.duckdb",
    "marts": "chdb://{data_dir}/marts",
    "graph": "igraph://{data_dir}/graph",
    "serving": "file://{data_dir}/serving",
    "alerts": "log://",
    "objectstore": "file://{data_dir}/lake",
    "spark": "local://",
}

# No modern ClickHouse server installs on the test machines, so the stack profile keeps the
# marts in chdb (the same engine); point VITRINA_BACKENDS_MARTS at clickhouse://... to use one.
_STACK_BACKENDS = {
    "eventlog": "kafka://127.0.0.1:9092",
    "source": "postgresql://vitrina:vitrina@127.0.0.1:5432/vitrina_source",
    "replica": "mysql://vitrina:vitrina@127.0.0.1:3306/vitrina",
    "warehouse": "postgresql://vitrina:vitrina@127.0.0.1:5432/vitrina",
    "marts": "chdb://{data_dir}/marts",
    "graph": "bolt://neo4j:vitrina-neo4j@127.0.0.1:7687",
    "serving": "redis://127.0.0.1:6379/0",
    "alerts": "log://",
    "objectstore": "s3://vitrina:vitrina-minio@127.0.0.1:9000/vitrina",
    "spark": "spark://127.0.0.1:7077",
}

DEFAULTS: dict[str, dict[str, Any]] = {
    "general": {"profile": "local", "data_dir": "./data"},
    "backends": dict(_LOCAL_BACKENDS),
    "simulate": {
        "scale": "classic",
        "seed": 42,
        "start": "now",
        "duration": "1d",
        "speed": 0.0,
        "slice": "1h",
    },
    "faults": {
        "enabled": False,
        "duplicate_rate": 0.01,
        "late_rate": 0.01,
        "malformed_rate": 0.002,
        "violation_rate": 0.005,
        "late_by": "10m",
    },
    "stream": {"size": "5m", "hop": "1m", "lateness": "30s", "idle_timeout": "0s"},
    "kafka": {
        "partitions": 6,
        "clicks_topic": "clicks",
        "registrations_topic": "registrations",
        "output_topic": "product_clicks_5m",
    },
    "scoring": {"click_weight": 0.7, "units_weight": 0.3, "top_n": 10},
    "ingest": {"status_map": {}, "naive_as_utc": False, "round_money": False, "mapping": ""},
}

PROFILES: dict[str, dict[str, dict[str, Any]]] = {
    "local": {},
    "stack": {"backends": dict(_STACK_BACKENDS)},
}


_SCHEMA: dict[str, dict[str, tuple[Callable[[Any], Any], str]]] = {
    "general": {"profile": (str, "local, stack"), "data_dir": (str, "a directory")},
    "backends": {role: (str, "URL") for role in ROLES},
    "simulate": {
        "scale": (str, "a scale preset"),
        "seed": (_pos_int, "a non-negative integer"),
        "start": (_instant, "an ISO-8601 instant or 'now'"),
        "duration": (_positive_duration, "a positive duration such as 1h or 1d"),
        "speed": (_non_neg_float, "0 (as fast as possible) or a positive factor"),
        "slice": (_positive_duration, "a positive duration such as 1h"),
    },
    "faults": {
        "enabled": (_bool, "true, false"),
        "duplicate_rate": (_rate, "0..1"),
        "late_rate": (_rate, "0..1"),
        "malformed_rate": (_rate, "0..1"),
        "violation_rate": (_rate, "0..1"),
        "late_by": (_positive_duration, "a positive duration"),
    },
    "stream": {
        "size": (_positive_duration, "a positive duration such as 5m"),
        "hop": (_positive_duration, "a positive duration such as 1m"),
        "lateness": (_duration, "a duration such as 30s"),
        "idle_timeout": (_duration, "a duration; 0s disables it"),
    },
    "kafka": {
        "partitions": (_positive_int, "a positive integer"),
        "clicks_topic": (str, "a topic name"),
        "registrations_topic": (str, "a topic name"),
        "output_topic": (str, "a topic name"),
    },
    "scoring": {
        "click_weight": (_non_neg_float, ">= 0"),
        "units_weight": (_non_neg_float, ">= 0"),
        "top_n": (_positive_int, "a positive integer"),
    },
    "ingest": {
        "status_map": (_status_map, "a table of your status name = an order status"),
        "naive_as_utc": (_bool, "true, false"),
        "round_money": (_bool, "true, false"),
        "mapping": (str, "a mapping file (TOML) or empty"),
    },
}


# The typed class of each section; `general` is spread over Settings.profile and .data_dir.
_SECTIONS: dict[str, type] = {
    "backends": BackendSettings,
    "simulate": SimulateSettings,
    "faults": FaultSettings,
    "stream": StreamSettings,
    "kafka": KafkaSettings,
    "scoring": ScoringSettings,
    "ingest": IngestSettings,
}


def _is_duration(section: str, key: str) -> bool:
    return _SCHEMA[section][key][0] in (_duration, _positive_duration)


def _attribute(section: str, key: str) -> str:
    """The attribute of a vitrina.toml key: durations carry their unit, ``size`` -> ``size_ms``."""
    return f"{key}_ms" if _is_duration(section, key) else key


@dataclass(frozen=True)
class Settings:
    """The resolved profile: typed sections (see the module docstring for every attribute)."""

    profile: str
    data_dir: Path
    config_file: Path | None
    backends: BackendSettings
    simulate: SimulateSettings
    faults: FaultSettings
    stream: StreamSettings
    kafka: KafkaSettings
    scoring: ScoringSettings
    ingest: IngestSettings

    def backend(self, role: str) -> str:
        """The URL of the backend playing ``role`` (see :data:`ROLES`)."""
        if role not in ROLES:
            raise KeyError(role)
        return str(getattr(self.backends, role))

    def as_toml(self) -> dict[str, dict[str, Any]]:
        """Every setting spelled as in vitrina.toml (durations as text such as ``"5m"``)."""
        out: dict[str, dict[str, Any]] = {
            "general": {"profile": self.profile, "data_dir": str(self.data_dir)}
        }
        for section in _SECTIONS:
            typed = getattr(self, section)
            out[section] = {}
            for key in _SCHEMA[section]:
                value = getattr(typed, _attribute(section, key))
                out[section][key] = (
                    format_duration_ms(value) if _is_duration(section, key) else value
                )
        return out

    def with_overrides(self, **sections: Mapping[str, Any]) -> Settings:
        """A copy with some keys replaced, spelled as in vitrina.toml and validated alike."""
        raw = self.as_toml()
        for section, kv in sections.items():
            if section not in _SCHEMA:
                raise ConfigError(f"[{section}]", "unknown section", ", ".join(_SCHEMA))
            raw[section].update(kv)
        return _build(raw, self.config_file)


def _merge(into: dict[str, dict[str, Any]], layer: Mapping[str, Any], origin: str) -> None:
    for section, kv in layer.items():
        if section == "profiles":
            continue
        if section not in _SCHEMA:
            raise ConfigError(f"{origin}[{section}]", "unknown section", ", ".join(_SCHEMA))
        if not isinstance(kv, Mapping):
            raise ConfigError(f"{origin}{section}", "must be a table")
        for key, value in kv.items():
            if key not in _SCHEMA[section]:
                raise ConfigError(f"{section}.{key}", "unknown key", ", ".join(_SCHEMA[section]))
            into[section][key] = value


# Variables of the service scripts under infra/ (ports, heaps, run folders), not settings.
_INFRA_ENV = re.compile(
    r"VITRINA_(AIRFLOW|MARIADBD?|MINIO|NEO4J|PG|POSTGRES|REDIS|SPARK|SERVICES|START|RUN|CACHE"
    r"|PYTHON)(_|$)|VITRINA_KAFKA_(PORT|CONTROLLER_PORT|HEAP)$"
)


def _env_layer(environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    layer: dict[str, dict[str, str]] = {}
    for name, value in environ.items():
        if not name.startswith("VITRINA_") or name == "VITRINA_CONFIG":
            continue
        rest = name[len("VITRINA_") :].lower()
        if rest in _SCHEMA["general"]:
            layer.setdefault("general", {})[rest] = value
            continue
        section, _, key = rest.partition("_")
        if section not in _SCHEMA or key not in _SCHEMA[section]:
            # The VITRINA_ namespace is shared with infra/'s scripts: theirs pass silently,
            # anything else is most likely a typo of a setting.
            if not _INFRA_ENV.match(name):
                log.warning("ignoring %s: not a setting (see `vitrina config show`)", name)
            continue
        layer.setdefault(section, {})[key] = value
    return layer


def load_settings(
    *,
    config: str | Path | None = None,
    profile: str | None = None,
    data_dir: str | Path | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Resolve the profile from defaults, the config file, the environment and flags."""
    env = os.environ if environ is None else environ
    cwd = cwd or Path.cwd()
    path: Path | None = None
    if config is not None:
        path = Path(config)
    elif env.get("VITRINA_CONFIG"):
        path = Path(env["VITRINA_CONFIG"])
    elif (cwd / "vitrina.toml").is_file():
        path = cwd / "vitrina.toml"
    file_layer = _read_file(path) if path is not None else {}
    env_layer = _env_layer(env)

    # Which profile: flag > env > file > default; then its overrides sit above the file's base.
    name = (
        profile
        or env_layer.get("general", {}).get("profile")
        or file_layer.get("general", {}).get("profile")
        or "local"
    )
    file_profiles = file_layer.get("profiles", {})
    if name not in PROFILES and name not in file_profiles:
        raise ConfigError(
            "profile", f"unknown profile {name!r}", ", ".join(sorted({*PROFILES, *file_profiles}))
        )

    raw: dict[str, dict[str, Any]] = copy.deepcopy(DEFAULTS)
    _merge(raw, PROFILES.get(name, {}), "")
    _merge(raw, file_layer, "")
    _merge(raw, file_profiles.get(name, {}), f"profiles.{name}.")
    _merge(raw, env_layer, "")
    for section, kv in (overrides or {}).items():
        for key, value in kv.items():
            if value is not None:
                raw[section][key] = value
    raw["general"]["profile"] = name
    if data_dir is not None:
        raw["general"]["data_dir"] = str(data_dir)
    return _build(raw, path)


def _check_data_dir(text: str) -> Path:
    """The data folder, refused before anything is written if it cannot be one."""
    if not text.strip():
        raise ConfigError("general.data_dir", "is empty", "a directory")
    path = Path(text).expanduser().absolute()
    if path.exists() and not path.is_dir():
        raise ConfigError("general.data_dir", f"{path} is a file, not a directory")
    ancestor = path
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise ConfigError("general.data_dir", f"{path} is under {ancestor}, which is a file")
    if ancestor != path and not os.access(ancestor, os.W_OK | os.X_OK):
        raise ConfigError("general.data_dir", f"{path} cannot be created: {ancestor} is read-only")
    return Path(text).expanduser()


def _build(raw: dict[str, dict[str, Any]], path: Path | None) -> Settings:
    values: dict[str, dict[str, Any]] = {}
    for section, spec in _SCHEMA.items():
        values[section] = {}
        for key, (convert, allowed) in spec.items():
            value = raw[section][key]
            try:
                values[section][key] = convert(value)
            except (ValueError, TypeError, OverflowError) as exc:
                raise ConfigError(
                    f"{section}.{key}", f"invalid value {value!r}: {exc}", allowed
                ) from exc
    data_dir = _check_data_dir(values["general"]["data_dir"])
    for role, schemes in ROLES.items():
        url = str(values["backends"][role]).replace("{data_dir}", str(data_dir.absolute()))
        problem = check_url(role, url)
        if problem:
            raise ConfigError(
                f"backends.{role}",
                f"{problem} in URL {mask_secrets(url)!r}",
                ", ".join(f"{s}://" for s in schemes) or None,
            )
        values["backends"][role] = url
    stream = values["stream"]
    if stream["hop"] > stream["size"]:
        raise ConfigError(
            "stream.hop",
            f"hop {format_duration_ms(stream['hop'])} exceeds size {format_duration_ms(stream['size'])}",
            "hop <= size",
        )
    if stream["size"] % stream["hop"]:
        raise ConfigError("stream.size", "size must be a multiple of hop", "size = k * hop")
    from vitrina.simulate.presets import PRESETS  # local import: presets import nothing from here

    if values["simulate"]["scale"] not in PRESETS:
        raise ConfigError(
            "simulate.scale", f"unknown preset {values['simulate']['scale']!r}", ", ".join(PRESETS)
        )
    typed = {
        section: cls(**{_attribute(section, k): v for k, v in values[section].items()})
        for section, cls in _SECTIONS.items()
    }
    return Settings(
        profile=values["general"]["profile"], data_dir=data_dir, config_file=path, **typed
    )
