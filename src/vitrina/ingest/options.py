"""Options for a user's own data: status names, zone-less times, money rounding, a mapping file."""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from vitrina.config import Settings
from vitrina.errors import UsageError
from vitrina.ingest.tables import CLEAN_SCHEMA, TABLES, TableSpec
from vitrina.warehouse import Warehouse
from vitrina.warehouse.base import quote_ident

__all__ = [
    "SURROGATE_KEYS",
    "IngestOptions",
    "KeyMap",
    "MappingFile",
    "adapt",
    "load_keys",
    "load_mapping",
    "save_keys",
]

log = logging.getLogger(__name__)

# Where stable integers for text or UUID ids are kept (one row per id ever seen).
SURROGATE_KEYS = pa.schema(
    [
        pa.field("key_space", pa.string()),
        pa.field("source_id", pa.string()),
        pa.field("surrogate_id", pa.int64()),
    ]
)
_ZONELESS = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?)$"
_LONG_MONEY = r"^(-?)([0-9]+)\.([0-9]{3,})$"


@dataclass(frozen=True)
class MappingFile:
    """A user's mapping file: folder/file names to entities, column renames, surrogate keys."""

    entities: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    surrogate_keys: tuple[str, ...] = ()


def _key_fields() -> dict[str, str]:
    return {
        spec.keys[0]: entity
        for entity, spec in TABLES.items()
        if len(spec.keys) == 1 and spec.keys[0].endswith("_id")
    }


def load_mapping(path: Path) -> MappingFile:
    """Read and check a mapping file; a mistake in it is bad usage (one line, exit 2)."""
    where = f"ingest.mapping {path}"
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"{where}: cannot read it: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{where}: not valid TOML: {exc}") from exc
    unknown = set(doc) - {"entities", "columns", "surrogate_keys"}
    if unknown:
        raise UsageError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    entities = {str(k).lower(): str(v) for k, v in _table(doc, "entities", where).items()}
    for name, entity in entities.items():
        if entity not in TABLES:
            raise UsageError(f"{where}: entities.{name}: {entity!r} is not an entity")
    columns: dict[str, dict[str, str]] = {}
    for entity, renames in _table(doc, "columns", where).items():
        if entity not in TABLES or not isinstance(renames, Mapping):
            raise UsageError(f"{where}: columns.{entity}: not an entity's table of renames")
        bad = sorted(str(v) for v in renames.values() if v not in TABLES[entity].names)
        if bad:
            raise UsageError(f"{where}: columns.{entity}: {', '.join(bad)} not fields of {entity}")
        columns[entity] = {str(k): str(v) for k, v in renames.items()}
    keys = doc.get("surrogate_keys", [])
    allowed = _key_fields()
    if not isinstance(keys, list) or any(k not in allowed for k in keys):
        raise UsageError(f"{where}: surrogate_keys: a list of {', '.join(allowed)}")
    return MappingFile(entities, columns, tuple(str(k) for k in keys))


def _table(doc: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, Mapping):
        raise UsageError(f"{where}: {key} must be a table")
    return value


def space_of(entity: str, name: str, keys: tuple[str, ...]) -> str | None:
    """The surrogate key space of a field: its own name, or the key it refers to."""
    if name in keys:
        return name
    from vitrina.contracts import contract_for

    for ref in contract_for(entity).references:
        if ref.field == name:
            for _, column in ref.targets:
                if column in keys:
                    return column
    return None


class KeyMap:
    """Stable integers for text ids: the known ones from the warehouse, new ones numbered on."""

    def __init__(self, known: pa.Table | None = None) -> None:
        self.known: dict[str, dict[str, int]] = {}
        self.new: list[tuple[str, str, int]] = []
        if known is not None:
            for space, source, key in zip(*known.to_pydict().values(), strict=True):
                self.known.setdefault(space, {})[source] = key

    def assign(self, space: str, values: pl.Series) -> pl.Series:
        text = values.cast(pl.String).str.strip_chars()
        text = pl.Series(values.name, text).replace("", None)
        ids = self.known.setdefault(space, {})
        top = max(ids.values(), default=0)
        for value in text.drop_nulls().unique(maintain_order=True).to_list():
            if value not in ids:
                top += 1
                ids[value] = top
                self.new.append((space, value, top))
        return text.replace_strict(ids, default=None, return_dtype=pl.Int64)

    def new_rows(self) -> pa.Table:
        columns = [[row[i] for row in self.new] for i in range(3)]
        return pa.table([pa.array(c) for c in columns], schema=SURROGATE_KEYS)


@dataclass
class IngestOptions:
    """What ``[ingest]`` in the profile asks for; all off by default."""

    status_map: dict[str, str] = field(default_factory=dict)
    naive_as_utc: bool = False
    round_money: bool = False
    mapping: MappingFile = field(default_factory=MappingFile)
    keys: KeyMap = field(default_factory=KeyMap)

    @classmethod
    def from_settings(cls, settings: Settings) -> IngestOptions:
        section = settings.ingest
        path = section.mapping
        return cls(
            status_map=dict(section.status_map),
            naive_as_utc=section.naive_as_utc,
            round_money=section.round_money,
            mapping=load_mapping(Path(path).expanduser()) if path else MappingFile(),
        )


def load_keys(wh: Warehouse, spaces: tuple[str, ...]) -> KeyMap:
    """The surrogate keys the warehouse holds for ``spaces`` (the table is made when missing)."""
    wh.ensure_table(CLEAN_SCHEMA, "surrogate_keys", SURROGATE_KEYS)
    names = ", ".join(quote_ident(n) for n in SURROGATE_KEYS.names)
    table = f"{quote_ident(CLEAN_SCHEMA)}.{quote_ident('surrogate_keys')}"
    rows = wh.query_arrow(f"select {names} from {table} order by 1, 3")
    known = rows.filter(pc.is_in(rows.column(0), pa.array(list(spaces), pa.string())))
    return KeyMap(known)


def save_keys(wh: Warehouse, keys: KeyMap) -> None:
    """Add the keys handed out in this run (inside the caller's transaction)."""
    from vitrina.ingest.load import sql

    stage = wh.stage("_surrogate_keys", keys.new_rows())
    try:
        names = ", ".join(quote_ident(n) for n in SURROGATE_KEYS.names)
        target = f"{quote_ident(CLEAN_SCHEMA)}.{quote_ident('surrogate_keys')}"
        wh.execute(sql("insert_all").format(target=target, columns=names, stage=stage))
    finally:
        wh.unstage("_surrogate_keys")


def _cents_text(sign: pl.Expr, whole: pl.Expr, frac: pl.Expr) -> pl.Expr:
    # Half away from zero on the decimal digits themselves: no binary rounding on the way.
    cents = (
        whole.cast(pl.Int64, strict=False) * 100
        + frac.str.slice(0, 2).cast(pl.Int64, strict=False)
        + (frac.str.slice(2, 1) >= "5").cast(pl.Int64)
    )
    return pl.concat_str(
        sign,
        (cents // 100).cast(pl.String),
        pl.lit("."),
        (cents % 100).cast(pl.String).str.pad_start(2, "0"),
    )


def adapt(spec: TableSpec, frame: pl.DataFrame, options: IngestOptions) -> pl.DataFrame:
    """Apply the options to a normalised frame, before validation (the raw layer keeps the input)."""
    exprs: list[pl.Expr] = []
    schema = frame.schema
    for name, dtype in spec.columns:
        src = schema.get(name)
        if src is None:
            continue
        col = pl.col(name)
        if name == "status" and src == pl.String:
            from vitrina.contracts.types import ORDER_STATUS_ALIASES

            exprs.append(col.replace({**ORDER_STATUS_ALIASES, **options.status_map}))
        elif options.naive_as_utc and pa.types.is_timestamp(dtype) and src == pl.String:
            exprs.append(col.str.replace(_ZONELESS, "${1}T${2}Z"))
        elif options.round_money and pa.types.is_decimal(dtype):
            if src == pl.String:
                parts = col.str.extract_groups(_LONG_MONEY)
                long = parts.struct.field("2").is_not_null()
                rounded = _cents_text(
                    parts.struct.field("1"), parts.struct.field("2"), parts.struct.field("3")
                )
                exprs.append(pl.when(long).then(rounded).otherwise(col).alias(name))
            elif src.is_float() or isinstance(src, pl.Decimal):
                exprs.append(col.cast(pl.Float64).round(2, "half_away_from_zero").alias(name))
    if exprs:
        frame = frame.with_columns(exprs)
    keys = options.mapping.surrogate_keys
    if not keys:
        return frame
    mapped = [n for n in spec.names if n in schema and space_of(spec.entity, n, keys)]
    if not mapped:
        return frame
    frame = frame.with_columns(
        options.keys.assign(str(space_of(spec.entity, n, keys)), frame.get_column(n)).alias(n)
        for n in mapped
    )
    if "_type_errors" in frame.columns:  # a text id is what these fields hold now
        frame = frame.with_columns(
            pl.col("_type_errors").list.eval(pl.element().filter(~pl.element().is_in(mapped)))
        )
    return frame
