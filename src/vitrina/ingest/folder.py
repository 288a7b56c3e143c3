"""A user's folder for ``ingest --from``: entity folders and files in JSON Lines, CSV or Parquet."""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from vitrina.contracts.registry import contract_for, domain_for
from vitrina.errors import BackendError, UsageError
from vitrina.ingest.read import Batch
from vitrina.ingest.tables import EVENT_ENTITIES, SHOP_ENTITIES, TABLES

__all__ = ["DIR_ENTITIES", "FORMATS", "FolderRead", "folder_names", "read_dir", "rename_json_keys"]

log = logging.getLogger(__name__)

# Entities a user's folder may hold (registrations too, although the issue does not list it).
DIR_ENTITIES = (*SHOP_ENTITIES, *EVENT_ENTITIES)


def folder_names(domains: Sequence[str]) -> dict[str, str]:
    """Folder (or file) name -> entity, for the entities of ``domains``.

    Every entity goes by its full name (``social_friendships``) and, where no entity of the
    chosen domains is called so, by its name within its domain (``friendships``): with
    ``--domain social``, ``users/`` holds the social network's users; with ``all``, the shop's.
    """
    chosen = [e for e in DIR_ENTITIES if contract_for(e).domain in domains]
    names = {e: e for e in chosen}
    for e in chosen:
        names.setdefault(domain_for(contract_for(e).domain).local_name(e), e)
    return names


FORMATS = (".jsonl", ".ndjson", ".csv", ".parquet")
_JSONL = (".jsonl", ".ndjson")


@dataclass
class FolderRead:
    """The batches of a folder and what in it was not used (``"name/ (why)"``)."""

    batches: list[Batch]
    unused: list[str] = field(default_factory=list)


def rename_json_keys(data: bytes, renames: Mapping[str, str]) -> bytes:
    """Rename object keys in JSON lines without parsing them.

    A key is a quoted name right after ``{`` or ``,`` (and blanks) and before ``:``; inside a
    JSON string a quote is always escaped, so text in values never matches.
    """
    if not renames:
        return data
    names = b"|".join(re.escape(k.encode()) for k in sorted(renames, key=len, reverse=True))
    pattern = re.compile(rb'([{,]\s*)"(' + names + rb')"(\s*:)')
    table = {k.encode(): v.encode() for k, v in renames.items()}
    return pattern.sub(lambda m: m[1] + b'"' + table[m[2]] + b'"' + m[3], data)


def _contract_columns(entity: str, frame: pl.DataFrame, renames: Mapping[str, str]) -> pl.DataFrame:
    frame = frame.rename({c: c.strip() for c in frame.columns})
    renamed = {c: renames[c] for c in frame.columns if c in renames}
    # A column the mapping names as the field replaces one already called like the field.
    frame = frame.drop([c for c in renamed.values() if c in frame.columns and c not in renamed])
    frame = frame.rename(renamed)
    names = set(TABLES[entity].names)
    return frame.select([c for c in frame.columns if c in names])


def _csv_slow(data: bytes) -> tuple[pl.DataFrame, list[tuple[int, str, str]]]:
    """Row by row, for a file polars refuses or whose records span lines: bad rows set apart."""
    text = data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    bad: list[tuple[int, str, str]] = []
    try:
        header = next(reader)
    except StopIteration:
        return pl.DataFrame(), bad
    except csv.Error as exc:
        return pl.DataFrame(), [(1, text.split("\n", 1)[0], f"malformed CSV header: {exc}")]
    # A repeated column name is kept apart (the first one is used), as the columnar read does.
    header = [h if header.index(h) == i else f"{h}_duplicated_{i}" for i, h in enumerate(header)]
    rows: list[list[str | None]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            bad.append((start, "", f"malformed CSV: {exc}"))
            start = reader.line_num + 1
            continue
        payload = ",".join(row)
        if not row:
            pass  # a blank line is no record
        elif len(row) != len(header):
            bad.append(
                (start, payload, f"malformed CSV: {len(row)} fields, header has {len(header)}")
            )
        elif any("\udc80" <= ch <= "\udcff" for ch in payload):
            bad.append(
                (
                    start,
                    payload.encode(errors="surrogateescape").decode(errors="replace"),
                    "not UTF-8",
                )
            )
        else:
            rows.append([v if v != "" else None for v in row])
            lines.append(start)
        start = reader.line_num + 1
    frame = pl.DataFrame(rows, schema=[(h, pl.String) for h in header], orient="row")
    return frame.with_columns(pl.Series("_line", lines, dtype=pl.Int64)), bad


def read_csv(data: bytes) -> tuple[pl.DataFrame, list[tuple[int, str, str]]]:
    """Every column as text (a CSV has no types), ``_line`` the line a record starts on."""
    if not data.strip():
        return pl.DataFrame({"_line": []}, schema={"_line": pl.Int64}), []
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False)
    except Exception as exc:  # polars names no stable error type for bad CSV
        log.debug("columnar CSV read failed (%s); reading row by row", exc)
        return _csv_slow(data)
    body = data.rstrip(b"\r\n")
    if body.count(b"\n") != frame.height:  # a quoted field spans lines, or blank lines
        return _csv_slow(data)
    if frame.width and frame.get_column(frame.columns[-1]).null_count():
        return _csv_slow(data)  # polars fills a short row with nulls: tell them apart
    lines = pl.int_range(2, pl.len() + 2, dtype=pl.Int64).alias("_line")
    return frame.with_columns(lines), []


class _Reader:
    """Adds one file to its entity's batch, whatever its format."""

    def __init__(self, renames: Mapping[str, Mapping[str, str]]) -> None:
        self.renames = renames

    def add(self, batch: Batch, path: Path, name: str) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise BackendError(f"cannot read {path}: {exc.strerror}") from exc
        renames = self.renames.get(batch.entity, {})
        suffix = path.suffix.lower()
        if suffix in _JSONL:
            batch.add_jsonl(rename_json_keys(data, renames), name, reread=path.read_bytes)
            return
        if suffix == ".csv":
            frame, bad = read_csv(data)
        else:
            try:
                frame, bad = pl.read_parquet(io.BytesIO(data)), []
            except Exception as exc:  # a damaged file is bad input, not a failure
                batch.add_bad(name, [(0, "", f"unreadable Parquet file: {str(exc)[:200]}")])
                return
            frame = frame.with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("_line"))
        lines = frame.get_column("_line") if "_line" in frame.columns else None
        frame = _contract_columns(batch.entity, frame.drop("_line", strict=False), renames)
        if lines is not None:
            frame = frame.with_columns(lines)
        batch.add_table(frame, name)
        if bad:
            batch.add_bad(name, bad)


def _entity_of(name: str, aliases: Mapping[str, str], names: Mapping[str, str]) -> str | None:
    key = name.strip().lower()
    if key in names:
        return names[key]
    return aliases.get(key)


def read_dir(
    root: Path,
    aliases: Mapping[str, str] | None = None,
    renames: Mapping[str, Mapping[str, str]] | None = None,
    names: Mapping[str, str] | None = None,
) -> FolderRead:
    """``<root>/<entity>/*`` and ``<root>/<entity>.<format>``, files in name order.

    ``aliases`` names the entity of other folder or file names (lower case); ``renames``
    gives per entity the columns to rename; ``names`` the entities read and their folder
    names (:func:`folder_names`; default: every entity by its full name). Hidden entries
    (``.name``) are skipped.
    """
    if not root.is_dir():
        raise UsageError(f"--from {root}: not a directory")
    aliases = {k.lower(): v for k, v in (aliases or {}).items()}
    names = dict(names) if names is not None else {e: e for e in DIR_ENTITIES}
    reader = _Reader(renames or {})
    found: dict[str, list[tuple[Path, str]]] = {}
    unused: list[str] = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            entity = _entity_of(entry.name, aliases, names)
            if entity is None:
                unused.append(f"{entry.name}/ (not an entity)")
                continue
            found.setdefault(entity, [])  # an empty entity folder: the entity is emptied
            for path in sorted(entry.iterdir()):
                rel = f"{entry.name}/{path.name}"
                if path.name.startswith("."):
                    continue
                if path.is_dir():
                    unused.append(f"{rel}/ (sub-folders are not read)")
                elif path.suffix.lower() not in FORMATS:
                    unused.append(f"{rel} (not {', '.join(FORMATS)})")
                else:
                    found.setdefault(entity, []).append((path, rel))
            continue
        entity = _entity_of(entry.stem, aliases, names)
        if entry.suffix.lower() not in FORMATS:
            unused.append(f"{entry.name} (not {', '.join(FORMATS)})")
        elif entity is None:
            unused.append(f"{entry.name} (not an entity)")
        else:
            found.setdefault(entity, []).append((entry, entry.name))
    for item in unused:
        log.warning("--from %s: not used: %s", root, item)
    if not found:
        raise UsageError(
            f"--from {root}: no <entity>/ folder or <entity>{{{','.join(FORMATS)}}} file"
            f" (entities: {', '.join(names)})"
            + (f"; not used: {'; '.join(unused)}" if unused else "")
        )
    batches = []
    for entity in DIR_ENTITIES:
        if entity not in found:
            continue
        batch = Batch(entity, snapshot=TABLES[entity].incremental is False)
        for path, rel in found[entity]:
            reader.add(batch, path, f"dir:{rel}")
        batches.append(batch)
    return FolderRead(batches, unused)
