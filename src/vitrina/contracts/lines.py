"""Line offsets of a JSON-lines buffer, and a vectorised check of which lines are JSON objects."""

from __future__ import annotations

import logging

import duckdb
import numpy as np
import orjson
import pyarrow as pa

__all__ = ["Lines", "line_error"]

log = logging.getLogger(__name__)

_LBRACE = ord("{")
_SMALL = 2_000


def line_error(line: bytes) -> str | None:
    """Why one line is not a JSON object (None when it is one)."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return f"malformed JSON: {exc}"
    if not isinstance(value, dict):
        return f"malformed JSON: expected an object, got {type(value).__name__}"
    return None


class Lines:
    """The lines of ``data[:end]`` (split on ``\\n``), found without copying the buffer."""

    def __init__(self, data: bytes, end: int) -> None:
        self.data = data
        self.end = end
        newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8, count=end) == 10)
        self.starts = np.concatenate([np.zeros(1, np.int64), newlines + 1])
        self.stops = np.concatenate([newlines, np.array([end], np.int64)])

    def __len__(self) -> int:
        return len(self.starts)

    def get(self, numbers: list[int]) -> list[bytes]:
        """The text of the 1-based lines ``numbers``."""
        return [self.data[self.starts[n - 1] : self.stops[n - 1]] for n in numbers]

    def _arrow(self) -> pa.LargeBinaryArray:
        # Each value runs to the next line's start, so it keeps its "\n": JSON whitespace.
        offsets = np.concatenate([self.starts, np.array([self.end], np.int64)])
        buffers = [None, pa.py_buffer(offsets), pa.py_buffer(memoryview(self.data)[: self.end])]
        return pa.LargeBinaryArray.from_buffers(pa.large_binary(), len(self), buffers)

    def objects(self) -> np.ndarray:
        """Per line, whether it looks like one JSON object: valid JSON that starts with ``{``.

        A cheap screen run by DuckDB's JSON parser over all lines at once; lines it rejects are
        looked at one by one, and a line it wrongly accepts fails the columnar read later.
        """
        if len(self) < _SMALL:  # starting DuckDB costs more than a loop over few lines
            return np.fromiter(
                (line_error(line) is None for line in self.get(list(range(1, len(self) + 1)))),
                dtype=bool,
                count=len(self),
            )
        first = np.frombuffer(self.data, dtype=np.uint8, count=self.end)[
            np.minimum(self.starts, max(self.end - 1, 0))
        ]
        brace = (first == _LBRACE) & (self.stops > self.starts)
        try:
            with duckdb.connect() as con:
                table = pa.table({"l": self._arrow()})
                con.register("lines", table)
                valid = con.sql("select coalesce(json_valid(try(decode(l))), false) from lines")
                mask = valid.to_arrow_table().column(0).to_numpy(zero_copy_only=False)
        except duckdb.Error as exc:  # never let the screen stop a parse: check every line
            log.warning("JSON screen failed (%s); checking line by line", exc)
            return np.zeros(len(self), dtype=bool)
        out: np.ndarray = brace & np.asarray(mask, dtype=bool)
        return out

    def select(self, mask: np.ndarray) -> bytes:
        """The lines where ``mask`` holds, as one JSON-lines buffer."""
        kept = self._arrow().filter(pa.array(mask))
        if len(kept) == 0:
            return b""
        offsets = np.frombuffer(kept.buffers()[1], dtype=np.int64)[
            kept.offset : kept.offset + len(kept) + 1
        ]
        return bytes(memoryview(kept.buffers()[2])[offsets[0] : offsets[-1]])
