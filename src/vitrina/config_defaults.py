"""The built-in profile: every setting's default, the stack profile's overrides, and the schema.

``DEFAULTS`` is the local profile; ``PROFILES`` holds what another profile changes;
``SCHEMA`` gives each key of vitrina.toml its parser and the values it allows (quoted in
errors); ``SECTIONS`` the typed class of each section. :mod:`vitrina.config` layers them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vitrina import config_values as values
from vitrina.backends import ROLE_SCHEMES
from vitrina.config_sections import (
    BackendSettings,
    FaultSettings,
    IngestSettings,
    KafkaSettings,
    ScoringSettings,
    SimulateSettings,
    StreamSettings,
)

__all__ = ["DEFAULTS", "LOCAL_BACKENDS", "PROFILES", "SCHEMA", "SECTIONS", "STACK_BACKENDS"]

LOCAL_BACKENDS = {
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
STACK_BACKENDS = {
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
    "backends": dict(LOCAL_BACKENDS),
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
    "stack": {"backends": dict(STACK_BACKENDS)},
}


SCHEMA: dict[str, dict[str, tuple[Callable[[Any], Any], str]]] = {
    "general": {"profile": (str, "local, stack"), "data_dir": (str, "a directory")},
    "backends": {role: (str, "URL") for role in ROLE_SCHEMES},
    "simulate": {
        "scale": (str, "a scale preset"),
        "seed": (values.non_negative_int, "a non-negative integer"),
        "start": (values.instant, "an ISO-8601 instant or 'now'"),
        "duration": (values.positive_duration, "a positive duration such as 1h or 1d"),
        "speed": (values.non_negative_float, "0 (as fast as possible) or a positive factor"),
        "slice": (values.positive_duration, "a positive duration such as 1h"),
    },
    "faults": {
        "enabled": (values.boolean, "true, false"),
        "duplicate_rate": (values.rate, "0..1"),
        "late_rate": (values.rate, "0..1"),
        "malformed_rate": (values.rate, "0..1"),
        "violation_rate": (values.rate, "0..1"),
        "late_by": (values.positive_duration, "a positive duration"),
    },
    "stream": {
        "size": (values.positive_duration, "a positive duration such as 5m"),
        "hop": (values.positive_duration, "a positive duration such as 1m"),
        "lateness": (values.duration, "a duration such as 30s"),
        "idle_timeout": (values.duration, "a duration; 0s disables it"),
    },
    "kafka": {
        "partitions": (values.positive_int, "a positive integer"),
        "clicks_topic": (str, "a topic name"),
        "registrations_topic": (str, "a topic name"),
        "output_topic": (str, "a topic name"),
    },
    "scoring": {
        "click_weight": (values.non_negative_float, ">= 0"),
        "units_weight": (values.non_negative_float, ">= 0"),
        "top_n": (values.positive_int, "a positive integer"),
    },
    "ingest": {
        "status_map": (values.status_map, "a table of your status name = an order status"),
        "naive_as_utc": (values.boolean, "true, false"),
        "round_money": (values.boolean, "true, false"),
        "mapping": (str, "a mapping file (TOML) or empty"),
    },
}


# The typed class of each section; `general` is spread over Settings.profile and .data_dir.
SECTIONS: dict[str, type] = {
    "backends": BackendSettings,
    "simulate": SimulateSettings,
    "faults": FaultSettings,
    "stream": StreamSettings,
    "kafka": KafkaSettings,
    "scoring": ScoringSettings,
    "ingest": IngestSettings,
}
