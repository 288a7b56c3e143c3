"""Columnar JSON-lines parsing: the whole buffer at once, malformed lines set apart by number."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import numpy as np
import polars as pl

from vitrina.contracts.base import Contract
from vitrina.contracts.lines import Lines, line_error
from vitrina.contracts.probe import probe_json_types, read_schema
from vitrina.contracts.registry import contract_for

__all__ = ["BAD_SCHEMA", "ParsedBatch", "parse_jsonl"]

log = logging.getLogger(__name__)

BAD_SCHEMA = pl.Schema(
    {"_line": pl.Int64, "payload": pl.String, "reason": pl.String, "origin": pl.String}
)
_LINE = "_line"


@dataclass(frozen=True)
class ParsedBatch:
    """Parsed JSON lines.

    ``frame``: one row per record: the contract's fields as JSON gave them (integers Int64,
    all else text; keys outside the contract are dropped) plus the 1-based ``_line``, and
    ``_type_errors`` when some value had the wrong JSON type; ``bad``: the lines that are not
    JSON objects (``_line``, ``payload``, ``reason``, ``origin``).
    """

    entity: str
    origin: str
    frame: pl.DataFrame
    bad: pl.DataFrame

    @property
    def total(self) -> int:
        """Non-blank lines seen."""
        return self.frame.height + self.bad.height


def _read(chunk: bytes, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.read_ndjson(io.BytesIO(chunk), schema=schema)


def _bisect(
    lines: list[bytes],
    numbers: list[int],
    schema: dict[str, pl.DataType],
    frames: list[pl.DataFrame],
    bad: list[tuple[int, bytes, str]],
) -> None:
    """Last resort when polars rejects lines orjson took: halve until they stand alone."""
    try:
        frame = _read(b"\n".join(lines), schema)
        frames.append(frame.with_columns(pl.Series(_LINE, numbers, dtype=pl.Int64)))
        return
    except Exception as exc:
        if len(lines) == 1:
            bad.append((numbers[0], lines[0], f"malformed JSON: {str(exc).splitlines()[0][:200]}"))
            return
    mid = len(lines) // 2
    _bisect(lines[:mid], numbers[:mid], schema, frames, bad)
    _bisect(lines[mid:], numbers[mid:], schema, frames, bad)


def _parse_lines(
    contract: type[Contract], lines: Lines, bad: list[tuple[int, bytes, str]]
) -> pl.DataFrame:
    """The slow path: screen every line at once, judge the suspects one by one, read the rest."""
    ok = lines.objects()
    for index in np.flatnonzero(~ok).tolist():
        line = lines.get([index + 1])[0]
        if not line.strip():
            continue  # a blank line is no record
        reason = line_error(line)
        if reason is None:
            ok[index] = True
        else:
            bad.append((index + 1, line, reason))
    numbers = (np.flatnonzero(ok) + 1).tolist()
    if not numbers:
        return pl.DataFrame(schema={**read_schema(contract), _LINE: pl.Int64()})
    good = lines.select(ok)
    line_col = pl.Series(_LINE, numbers, dtype=pl.Int64)
    try:
        frame = _read(good, read_schema(contract)).with_columns(line_col)
        return probe_json_types(contract, frame, lines.get)
    except Exception as exc:  # an integer field holds something else somewhere
        log.debug("typed read failed (%s); reading integers as text", exc)
    text_schema = read_schema(contract, ints_as_text=True)
    try:
        frame = _read(good, text_schema).with_columns(line_col)
    except Exception:  # a line the screen passed that polars refuses: find it
        frames: list[pl.DataFrame] = []
        _bisect(lines.get(numbers), numbers, text_schema, frames, bad)
        empty = pl.DataFrame(schema={**text_schema, _LINE: pl.Int64()})
        frame = pl.concat(frames).sort(_LINE) if frames else empty
    return probe_json_types(contract, frame, lines.get, ints_as_text=True)


def parse_jsonl(data: bytes, entity: str, origin: str) -> ParsedBatch:
    """Parse JSON lines of ``entity`` from ``origin`` (file or topic); never raises on bad input."""
    contract = contract_for(entity)
    end = len(data)
    while end and data[end - 1] in b" \t\r\n":
        end -= 1
    # Keep the buffer uncopied when only a final newline follows the last record.
    body = data if data[end:] in (b"", b"\n") else data[:end]
    bad: list[tuple[int, bytes, str]] = []
    frame: pl.DataFrame | None = None
    if not end:
        frame = pl.DataFrame(schema={**read_schema(contract), _LINE: pl.Int64()})
    else:
        try:
            fast = _read(body, read_schema(contract))
            # Polars skips blank lines: then row numbers are not line numbers.
            if fast.height == body.count(b"\n", 0, end) + 1:
                frame = fast.with_columns(
                    pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(_LINE)
                )
        except Exception as exc:
            log.debug("%s: columnar parse failed (%s); checking line by line", origin, exc)
        if frame is not None:
            found: list[Lines] = []  # offsets only when the probe needs lines

            def get(numbers: list[int]) -> list[bytes]:
                if not found:
                    found.append(Lines(body, end))
                return found[0].get(numbers)

            frame = probe_json_types(contract, frame, get)
        else:
            frame = _parse_lines(contract, Lines(body, end), bad)
    bad.sort()
    bad_frame = pl.DataFrame(
        {
            _LINE: [b[0] for b in bad],
            "payload": [b[1].removesuffix(b"\r").decode("utf-8", errors="replace") for b in bad],
            "reason": [b[2] for b in bad],
            "origin": [origin] * len(bad),
        },
        schema=BAD_SCHEMA,
    )
    if bad:
        log.info("%s: %d malformed lines of %d", origin, len(bad), len(bad) + frame.height)
    return ParsedBatch(entity=entity, origin=origin, frame=frame, bad=bad_frame)
