"""The windowing engine: vectorised per-key counts in epoch-aligned hopping windows.

Definitions (docs/architecture.md, "Windows"), with ``S`` = size, ``H`` = hop
(``S = k * H``), ``L`` = allowed lateness, all in epoch milliseconds:

* Window ``m`` (any integer) is the half-open interval ``[m*H, m*H + S)``. An event at time
  ``t`` belongs to the ``k`` windows ``m = floor(t/H) - k + 1 .. floor(t/H)``; an event exactly at
  a window's end belongs to the next window, not that one.
* Events are judged one by one in *arrival order*. The watermark before event ``i`` is
  ``W_i = max(t_0 .. t_{i-1}) - L`` over every event that arrived before it (in any earlier
  batch too); before the first event it is minus infinity. Every event passed to the engine
  moves the watermark, also the ones that are not counted (``counted=False``, e.g. views).
* Window ``m`` is *closed* for event ``i`` when ``W_i >= m*H + S`` (the watermark has reached
  its end), otherwise *open*. A counted event is added to each of its windows that is open for
  it. A counted event whose windows are all closed for it is *late*: it is added nowhere and
  its index is returned so the caller can dead-letter it. (An event that is not counted is
  never late: it has no effect on any count.)
* Since the watermark never goes down, a closed window never changes again. A window is
  emitted exactly once, with its final count, at the end of the batch during which the
  watermark reached its end, or by :meth:`WindowEngine.flush` at end of input. Only windows
  with at least one counted event are emitted, and, when the spec says the times are
  instants, only windows inside the accepted range of instants (``WindowSpec.instants``).

Because ``W_i`` depends only on the events before ``i`` (carried across batches as the running
maximum), the emitted windows and their counts never depend on how the input was split into
batches; only the moment of emission does. Per-event work is numpy over whole arrays: a running
maximum, one floor division, one ``bincount`` of (pane, key) cells, then ``k`` shifted adds of
the small pane x key matrix turn pane counts into window counts. State is the open
(window, key, count) cells, so memory is bounded by open windows x keys.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from vitrina.stream.windows import BatchResult, EmittedWindows, WindowSpec

__all__ = ["BatchResult", "EmittedWindows", "WindowEngine", "WindowSpec"]

log = logging.getLogger(__name__)

I64 = npt.NDArray[np.int64]

# "Minus infinity" for the running maximum, far enough from int64's edge that subtracting the
# lateness and dividing by the hop cannot overflow.
NO_EVENT_MS = -(2**61)
# Largest dense (window x key) matrix one chunk may use; wider chunks are split in halves.
_MAX_CELLS = 1 << 22
_CHUNK_EVENTS = 1 << 20
# Events per block for the cheap "could anything here be late?" test on block minima/maxima.
_BLOCK = 4096


def _empty() -> I64:
    return np.zeros(0, dtype=np.int64)


@dataclass
class WindowEngine:
    """Stateful engine: feed batches in arrival order with :meth:`process`, then :meth:`flush`.

    Open counts live in a dense grid (window rows x a contiguous key range) when keys are
    compact, as product ids are, and in sparse (window, key, count) cells otherwise.
    """

    spec: WindowSpec
    max_ts_ms: int = NO_EVENT_MS
    grid: npt.NDArray[np.int64] | None = None
    grid_m0: int = 0  # window index of grid row 0
    grid_k0: int = 0  # key of grid column 0
    cell_m: I64 = field(default_factory=_empty)
    cell_key: I64 = field(default_factory=_empty)
    cell_count: I64 = field(default_factory=_empty)
    count_events: int = 0
    count_late: int = 0
    count_emitted: int = 0

    @property
    def watermark_ms(self) -> int:
        return self.max_ts_ms - self.spec.lateness_ms

    @property
    def open_cells(self) -> int:
        dense = 0 if self.grid is None else int(np.count_nonzero(self.grid))
        return dense + int(self.cell_m.shape[0])

    # -- processing -------------------------------------------------------------------------

    def process(
        self,
        ts_ms: npt.ArrayLike,
        keys: npt.ArrayLike,
        counted: npt.ArrayLike | None = None,
    ) -> BatchResult:
        """Add one batch (arrays in arrival order); return the closed windows and late indices."""
        ts = np.ascontiguousarray(ts_ms, dtype=np.int64)
        ks = np.ascontiguousarray(keys, dtype=np.int64)
        if ts.shape != ks.shape or ts.ndim != 1:
            raise ValueError("ts_ms and keys must be one-dimensional arrays of the same length")
        cnt = None if counted is None else np.ascontiguousarray(counted, dtype=np.bool_)
        if cnt is not None and cnt.shape != ts.shape:
            raise ValueError("counted must have the same length as ts_ms")
        late_parts: list[I64] = []
        for lo in range(0, ts.shape[0], _CHUNK_EVENTS):
            hi = min(lo + _CHUNK_EVENTS, ts.shape[0])
            late = self._chunk(ts[lo:hi], ks[lo:hi], None if cnt is None else cnt[lo:hi])
            if late.shape[0]:
                late_parts.append(late + lo)
        self.count_events += int(ts.shape[0])
        late_idx = np.concatenate(late_parts) if late_parts else _empty()
        self.count_late += int(late_idx.shape[0])
        return BatchResult(self._out(self._emit(final=False)), late_idx, self.watermark_ms)

    def flush(self) -> EmittedWindows:
        """End of input: emit every open window (final) and clear the counts.

        The watermark then moves to the end of the last flushed window, so an event that
        arrives afterwards for a flushed window is late: no window is ever emitted twice.
        """
        out = self._emit(final=True)
        if len(out):
            last_end = int(out.window_end_ms.max())
            self.max_ts_ms = max(self.max_ts_ms, last_end + self.spec.lateness_ms)
        return self._out(out)

    def _out(self, emitted: EmittedWindows) -> EmittedWindows:
        out = self.spec.emittable(emitted)
        self.count_emitted += len(out)
        return out

    def _chunk(self, ts: I64, keys: I64, counted: npt.NDArray[np.bool_] | None) -> I64:
        n = ts.shape[0]
        if n == 0:
            return _empty()
        spec = self.spec
        hop, k = spec.hop_ms, spec.panes
        if counted is not None:
            sel = np.flatnonzero(counted)
            pane = ts[sel] // hop
            kk = keys[sel]
        else:
            sel, pane, kk = None, ts // hop, keys
        if pane.shape[0] == 0:
            self.max_ts_ms = max(self.max_ts_ms, int(ts.max()))
            return _empty()
        pmin, pmax = int(pane.min()), int(pane.max())
        kmin, kmax = int(kk.min()), int(kk.max())
        rows = pmax - pmin + k
        nk = kmax - kmin + 1
        uniq: I64 | None = None
        if rows * nk > _MAX_CELLS or nk > 4 * n + 1024:
            uniq = np.unique(kk)
            nk = int(uniq.shape[0])
        if rows * nk > _MAX_CELLS and n > 1:
            # Too wide for one dense matrix: split (results never depend on batching).
            half = n // 2
            first = self._chunk(ts[:half], keys[:half], None if counted is None else counted[:half])
            second = self._chunk(
                ts[half:], keys[half:], None if counted is None else counted[half:]
            )
            return np.concatenate([first, second + half])
        late_pos, part_pos, part_wm = self._judge(ts, sel, pane)
        code = np.multiply(pane, nk)
        code += kk if uniq is None else np.searchsorted(uniq, kk)
        code -= pmin * nk + (kmin if uniq is None else 0)
        size = (pmax - pmin + 1) * nk
        cells = np.bincount(code, minlength=size)
        if late_pos.shape[0]:
            cells -= np.bincount(code[late_pos], minlength=size)
        panes = cells.reshape(pmax - pmin + 1, nk)
        win = np.zeros((rows, nk), dtype=np.int64)  # row r holds window m = pmin - k + 1 + r
        for j in range(k):
            win[j : j + panes.shape[0]] += panes
        if part_pos.shape[0]:
            # A partly late event must not count in windows m in [p-k+1, c-1], where
            # c = W // H + 1 - k is the first window still open for it.
            first_open = part_wm // hop + 1 - k
            col = code[part_pos] % nk
            diff = np.zeros((rows + 1, nk), dtype=np.int64)
            np.add.at(diff, (pane[part_pos] - pmin, col), -1)
            np.add.at(diff, (first_open - (pmin - k + 1), col), 1)
            win += np.cumsum(diff, axis=0)[:rows]
        m0 = pmin - k + 1
        if uniq is None:
            self._add_grid(m0, kmin, win)
        else:
            r, c = np.nonzero(win)
            self._add_cells(r + m0, uniq[c], win[r, c])
        return late_pos if sel is None else sel[late_pos]

    def _judge(self, ts: I64, sel: I64 | None, pane: I64) -> tuple[I64, I64, I64]:
        """Positions (into ``pane``) of late and partly late counted events, and the latter's W.

        The exact watermark needs a running maximum (slow in numpy), so it is computed only in
        blocks whose minimum lies below the block's upper bound on the watermark: an event can
        only be (partly) late when ``t < W``, and ``W`` is at most (max so far) - L.
        """
        n = ts.shape[0]
        lateness, hop, size = self.spec.lateness_ms, self.spec.hop_ms, self.spec.size_ms
        nb, tail = divmod(n, _BLOCK)
        bmax = ts[: nb * _BLOCK].reshape(nb, _BLOCK).max(axis=1)
        bmin = ts[: nb * _BLOCK].reshape(nb, _BLOCK).min(axis=1)
        if tail:
            bmax = np.append(bmax, ts[nb * _BLOCK :].max())
            bmin = np.append(bmin, ts[nb * _BLOCK :].min())
        before = np.maximum.accumulate(np.concatenate([[self.max_ts_ms], bmax]))
        self.max_ts_ms = int(before[-1])
        suspects = np.flatnonzero(bmin < before[1:] - lateness)
        if suspects.shape[0] == 0:
            return _empty(), _empty(), _empty()
        if suspects.shape[0] * 4 >= before.shape[0] - 1:
            idx_all: I64 | None = None
            prev = np.empty(n, dtype=np.int64)
            prev[0] = before[0]
            np.maximum.accumulate(ts[:-1], out=prev[1:])
            np.maximum(prev, before[0], out=prev)
        else:
            idx_parts: list[I64] = []
            prev_parts: list[I64] = []
            for b in suspects.tolist():
                lo, hi = b * _BLOCK, min((b + 1) * _BLOCK, n)
                seg = ts[lo:hi]
                p = np.empty(hi - lo, dtype=np.int64)
                p[0] = before[b]
                np.maximum.accumulate(seg[:-1], out=p[1:])
                np.maximum(p, before[b], out=p)
                idx_parts.append(np.arange(lo, hi, dtype=np.int64))
                prev_parts.append(p)
            idx_all = np.concatenate(idx_parts)
            prev = np.concatenate(prev_parts)
        # Map event positions to positions among counted events (``pane`` holds only those).
        if idx_all is None:
            ev = np.arange(n, dtype=np.int64) if sel is None else sel
            wm = prev[ev] - lateness if sel is not None else prev - lateness
            pos = np.arange(ev.shape[0], dtype=np.int64)
        else:
            if sel is None:
                pos, wm = idx_all, prev - lateness
            else:
                at = np.searchsorted(sel, idx_all)
                hit = at < sel.shape[0]
                hit[hit] = sel[at[hit]] == idx_all[hit]
                pos, wm = at[hit], prev[hit] - lateness
        pstart = pane[pos] * hop
        late = pstart + size <= wm
        partial = (pstart + hop <= wm) & ~late
        return pos[late], pos[partial], wm[partial]

    # -- state ------------------------------------------------------------------------------

    def _add_grid(self, m0: int, k0: int, win: npt.NDArray[np.int64]) -> None:
        rows, nk = win.shape
        g = self.grid
        if g is None or g.shape[0] == 0:
            self.grid, self.grid_m0, self.grid_k0 = win, m0, k0
            return
        lo_m, hi_m = min(m0, self.grid_m0), max(m0 + rows, self.grid_m0 + g.shape[0])
        lo_k, hi_k = min(k0, self.grid_k0), max(k0 + nk, self.grid_k0 + g.shape[1])
        if (hi_m - lo_m) * (hi_k - lo_k) > 2 * _MAX_CELLS:
            r, c = np.nonzero(win)
            self._add_cells(r + m0, c + k0, win[r, c])
            return
        if (lo_m, hi_m, lo_k, hi_k) != (
            self.grid_m0,
            self.grid_m0 + g.shape[0],
            self.grid_k0,
            self.grid_k0 + g.shape[1],
        ):
            grown = np.zeros((hi_m - lo_m, hi_k - lo_k), dtype=np.int64)
            grown[
                self.grid_m0 - lo_m : self.grid_m0 - lo_m + g.shape[0],
                self.grid_k0 - lo_k : self.grid_k0 - lo_k + g.shape[1],
            ] = g
            self.grid, self.grid_m0, self.grid_k0, g = grown, lo_m, lo_k, grown
        g[
            m0 - self.grid_m0 : m0 - self.grid_m0 + rows, k0 - self.grid_k0 : k0 - self.grid_k0 + nk
        ] += win

    def _add_cells(self, m: I64, key: I64, count: I64) -> None:
        if m.shape[0] == 0:
            return
        self.cell_m, self.cell_key, self.cell_count = _combine(
            np.concatenate([self.cell_m, m]),
            np.concatenate([self.cell_key, key]),
            np.concatenate([self.cell_count, count]),
        )

    def _emit(self, *, final: bool) -> EmittedWindows:
        size_ms, hop = self.spec.size_ms, self.spec.hop_ms
        if final:
            last = np.iinfo(np.int64).max
        elif self.max_ts_ms == NO_EVENT_MS:
            return EmittedWindows.empty(size_ms)
        else:
            # Window m is closed when W >= (m + k) * H, i.e. m <= W // H - k.
            last = self.watermark_ms // hop - self.spec.panes
        parts_m, parts_k, parts_c = [], [], []
        g = self.grid
        if g is not None and g.shape[0] and last >= self.grid_m0:
            take = min(g.shape[0], last - self.grid_m0 + 1)
            r, c = np.nonzero(g[:take])
            parts_m.append(r + self.grid_m0)
            parts_k.append(c + self.grid_k0)
            parts_c.append(g[r, c])
            self.grid = g[take:] if take < g.shape[0] else None
            self.grid_m0 += take
        if self.cell_m.shape[0]:
            done = self.cell_m <= last
            if done.any():
                parts_m.append(self.cell_m[done])
                parts_k.append(self.cell_key[done])
                parts_c.append(self.cell_count[done])
                keep = ~done
                self.cell_m, self.cell_key, self.cell_count = (
                    self.cell_m[keep],
                    self.cell_key[keep],
                    self.cell_count[keep],
                )
        if not parts_m:
            return EmittedWindows.empty(size_ms)
        m, key, count = _combine(
            np.concatenate(parts_m), np.concatenate(parts_k), np.concatenate(parts_c)
        )
        return EmittedWindows(m * hop, key, count, size_ms)

    # -- checkpoints ------------------------------------------------------------------------

    def cells(self) -> tuple[I64, I64, I64]:
        """All open (window index, key, count) cells, sorted."""
        parts = [(self.cell_m, self.cell_key, self.cell_count)]
        if self.grid is not None:
            r, c = np.nonzero(self.grid)
            parts.append((r + self.grid_m0, c + self.grid_k0, self.grid[r, c]))
        return _combine(*(np.concatenate([p[i] for p in parts]) for i in range(3)))

    def to_bytes(self) -> bytes:
        """Serialise the state (spec, running max, open cells, counters) for a checkpoint."""
        m, key, count = self.cells()
        meta = np.array(
            [
                self.spec.size_ms,
                self.spec.hop_ms,
                self.spec.lateness_ms,
                self.max_ts_ms,
                self.count_events,
                self.count_late,
                self.count_emitted,
            ],
            dtype=np.int64,
        )
        buf = io.BytesIO()
        np.savez(buf, meta=meta, m=m, key=key, count=count)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, spec: WindowSpec | None = None) -> WindowEngine:
        """Restore a checkpoint; ``spec``, when given, must equal the checkpoint's."""
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            meta = [int(v) for v in z["meta"].tolist()]
            # Which windows may leave is a policy of the caller's, not part of the state.
            saved = WindowSpec(meta[0], meta[1], meta[2], spec is not None and spec.instants)
            if spec is not None and spec != saved:
                raise ValueError(f"checkpoint was taken with {saved}, not {spec}")
            return cls(
                saved,
                meta[3],
                None,
                0,
                0,
                z["m"].astype(np.int64),
                z["key"].astype(np.int64),
                z["count"].astype(np.int64),
                meta[4],
                meta[5],
                meta[6],
            )


def _combine(m: I64, key: I64, count: I64) -> tuple[I64, I64, I64]:
    """Sort cells by (m, key) and add up duplicates."""
    if m.shape[0] == 0:
        return m, key, count
    order = np.lexsort((key, m))
    m, key, count = m[order], key[order], count[order]
    starts = np.flatnonzero(np.r_[True, (m[1:] != m[:-1]) | (key[1:] != key[:-1])])
    if starts.shape[0] == m.shape[0]:
        return m, key, count
    return m[starts], key[starts], np.add.reduceat(count, starts)
