"""Compiled searches over a friendship graph in CSR form (indptr, indices), and PageRank.

Every kernel releases the GIL, so callers split the work over threads. Vertex numbers are
read as unsigned: numba then skips the negative-index wrap-around it adds to every signed
subscript, which costs as much as the work in these tight loops.
"""

from __future__ import annotations

import numpy as np

from vitrina.jit import inline, kernel

__all__ = [
    "ball2",
    "csr_fill",
    "depth_histogram",
    "pagerank_power",
    "reach3_from_balls",
    "reach_counts",
]

_ONE = np.uint64(1)
_WORDS = 4  # 64-bit words per user in depth_histogram: 256 sources share one search
_PULL = 20  # a level whose frontier holds more than n / _PULL users is searched bottom-up


@kernel
def csr_fill(rows: np.ndarray, cols: np.ndarray, indptr: np.ndarray, out: np.ndarray) -> None:
    """``out[indptr[r]:indptr[r + 1]]`` = the ``cols`` of row r, in input order (a counting
    sort: one pass, where a stable argsort of millions of rows takes a second)."""
    at = indptr[:-1].copy()
    for i in range(rows.shape[0]):
        r = rows[i]
        out[at[r]] = cols[i]
        at[r] += 1


@inline
def _mark(seen: np.ndarray, v: np.uint32) -> bool:
    """Set user ``v``'s bit in the bitset ``seen``; True when it was not set before."""
    w = v >> np.uint32(6)
    bit = _ONE << np.uint64(v & np.uint32(63))
    old = seen[w]
    seen[w] = old | bit
    return bool(old & bit == 0)


@inline
def _clear(seen: np.ndarray, queue: np.ndarray, count: int) -> None:
    """Clear the words of the first ``count`` users of ``queue`` (a search's marks)."""
    for k in range(count):
        seen[queue[k] >> np.uint32(6)] = 0


@kernel
def ball2(
    indptr: np.ndarray,
    indices: np.ndarray,
    lo: int,
    hi: int,
    ptr: np.ndarray,
    balls: np.ndarray,
    out: np.ndarray,
) -> None:
    """The users within distance 2 of each user ``s`` in [lo, hi), ``s`` excluded.

    With an empty ``balls`` it counts them: ``out[s, 0]`` at distance 1, ``out[s, 1]`` at 2.
    Otherwise it writes them to ``balls[ptr[s]:ptr[s + 1]]`` (sizes from the counting pass).
    """
    n = indptr.shape[0] - 1
    seen = np.zeros((n + 63) // 64, np.uint64)
    queue = np.empty(n + 1, np.uint32)
    fill = balls.shape[0] > 0
    for s in range(lo, hi):
        queue[0] = np.uint32(s)
        _mark(seen, queue[0])
        tail = 1
        for j in range(indptr[s], indptr[s + 1]):
            v = np.uint32(indices[j])
            queue[tail] = v
            tail += _mark(seen, v)
        near = tail
        for h in range(1, near):
            u = queue[h]
            for j in range(indptr[u], indptr[u + 1]):
                v = np.uint32(indices[j])
                queue[tail] = v
                tail += _mark(seen, v)
        if fill:
            start = ptr[s]
            for k in range(1, tail):
                balls[start + k - 1] = queue[k]
        else:
            out[s, 0] = near - 1
            out[s, 1] = tail - near
        _clear(seen, queue, tail)


@kernel
def reach3_from_balls(
    indptr: np.ndarray,
    indices: np.ndarray,
    lo: int,
    hi: int,
    ptr: np.ndarray,
    balls: np.ndarray,
    out: np.ndarray,
) -> None:
    """``out[s, 2]``, users at distance exactly 3, for each ``s`` in [lo, hi): a user within 3
    of ``s`` is within 2 of one of its friends, so the union of the friends' 2-balls (read
    in sequence, not searched) less ``s``'s own 2-ball (``out[s, 0:2]`` and ``s``)."""
    n = indptr.shape[0] - 1
    seen = np.zeros((n + 63) // 64, np.uint64)
    queue = np.empty(n + 1, np.uint32)
    for s in range(lo, hi):
        queue[0] = np.uint32(s)
        _mark(seen, queue[0])
        tail = 1
        for j in range(indptr[s], indptr[s + 1]):
            u = indices[j]
            v = np.uint32(u)
            queue[tail] = v
            tail += _mark(seen, v)
            for k in range(ptr[u], ptr[u + 1]):
                v = balls[k]
                queue[tail] = v
                tail += _mark(seen, v)
        out[s, 2] = tail - 1 - out[s, 0] - out[s, 1]
        _clear(seen, queue, tail)


@kernel
def reach_counts(
    indptr: np.ndarray, indices: np.ndarray, lo: int, hi: int, out: np.ndarray
) -> None:
    """``out[s, k-1]`` = users at distance exactly k (1..3) from each source ``s`` in [lo, hi),
    by a search cut at depth 3 (for graphs whose 2-balls would not fit in memory)."""
    n = indptr.shape[0] - 1
    seen = np.zeros((n + 63) // 64, np.uint64)
    queue = np.empty(n + 1, np.uint32)
    for s in range(lo, hi):
        queue[0] = np.uint32(s)
        _mark(seen, queue[0])
        head = 0
        tail = 1
        for depth in range(3):
            level_end = tail
            while head < level_end:
                u = queue[head]
                head += 1
                for j in range(indptr[u], indptr[u + 1]):
                    v = np.uint32(indices[j])
                    queue[tail] = v
                    tail += _mark(seen, v)
            out[s, depth] = tail - level_end
        _clear(seen, queue, tail)


@inline
def _popcount(x: np.uint64) -> int:
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@kernel
def _push(
    indptr: np.ndarray,
    indices: np.ndarray,
    state: np.ndarray,
    active: np.ndarray,
    na: int,
    touched: np.ndarray,
    queued: np.ndarray,
) -> tuple[int, int]:
    """One level top-down: the active users push their frontier words to their friends.
    ``state`` holds visited, frontier and next words per user; returns (active, found)."""
    visited, frontier, nxt = state[0], state[1], state[2]
    nt = 0
    for a in range(na):
        u = active[a]
        for j in range(indptr[u], indptr[u + 1]):
            v = np.uint32(indices[j])
            if queued[v] == 0:
                queued[v] = 1
                touched[nt] = v
                nt += 1
            for w in range(_WORDS):
                nxt[v, w] |= frontier[u, w]
        for w in range(_WORDS):
            frontier[u, w] = 0
    na = 0
    found = 0
    for t in range(nt):
        v = touched[t]
        queued[v] = 0
        any_new = False
        for w in range(_WORDS):
            new = nxt[v, w] & ~visited[v, w]
            nxt[v, w] = 0
            visited[v, w] |= new
            frontier[v, w] = new
            found += _popcount(new)
            any_new |= new != 0
        if any_new:
            active[na] = v
            na += 1
    return na, found


@kernel
def _pull(
    indptr: np.ndarray, indices: np.ndarray, state: np.ndarray, full: np.ndarray
) -> tuple[int, int]:
    """One level bottom-up: each user not yet reached from every source gathers its friends'
    frontier words (cheaper than pushing once most users are on the frontier)."""
    visited, frontier, nxt = state[0], state[1], state[2]
    n = indptr.shape[0] - 1
    for v in range(n):
        done = True
        for w in range(_WORDS):
            nxt[v, w] = 0
            done &= visited[v, w] == full[w]
        if not done:
            for j in range(indptr[v], indptr[v + 1]):
                u = np.uint32(indices[j])
                for w in range(_WORDS):
                    nxt[v, w] |= frontier[u, w]
    na = 0
    found = 0
    for v in range(n):
        any_new = False
        for w in range(_WORDS):
            new = nxt[v, w] & ~visited[v, w]
            visited[v, w] |= new
            frontier[v, w] = new
            found += _popcount(new)
            any_new |= new != 0
        na += any_new
    return na, found


@kernel
def depth_histogram(indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """``hist[d]`` = (source, target) pairs at distance d >= 1, summed over ``sources``.

    Bit-parallel breadth-first search: 256 sources share one pass, each owning one bit of
    four 64-bit words per user. Levels with a small frontier push from it; once the frontier
    holds more than 1/20 of the users, the remaining levels pull into the unfinished users.
    """
    n = indptr.shape[0] - 1
    hist = np.zeros(n + 1, np.int64)
    state = np.zeros((3, n, _WORDS), np.uint64)
    active = np.empty(n, np.uint32)
    touched = np.empty(n, np.uint32)
    queued = np.zeros(n, np.uint8)
    full = np.zeros(_WORDS, np.uint64)
    batch = 64 * _WORDS
    for b in range(0, sources.shape[0], batch):
        state[:] = 0
        full[:] = 0
        na = 0
        for i in range(min(batch, sources.shape[0] - b)):
            s = np.uint32(sources[b + i])
            bit = _ONE << np.uint64(i & 63)
            full[i >> 6] |= bit
            if queued[s] == 0:
                queued[s] = 1
                active[na] = s
                na += 1
            state[0, s, i >> 6] |= bit
            state[1, s, i >> 6] |= bit
        for a in range(na):
            queued[active[a]] = 0
        depth = 0
        pull = False
        while na > 0:
            depth += 1
            pull = pull or na * _PULL > n
            if pull:
                na, found = _pull(indptr, indices, state, full)
            else:
                na, found = _push(indptr, indices, state, active, na, touched, queued)
            hist[depth] += found
    return hist


@kernel
def pagerank_power(
    in_ptr: np.ndarray, in_src: np.ndarray, out_degree: np.ndarray, damping: float, tol: float
) -> tuple[np.ndarray, int]:
    """PageRank by power iteration over in-arcs (CSR by target); returns (scores, iterations).

    Users without out-arcs spread their mass evenly over all users. Stops when the L1 change
    of one step is below ``tol``: the L1 error is then below tol * damping / (1 - damping).
    """
    n = in_ptr.shape[0] - 1
    x = np.full(n, 1.0 / n)
    share = np.empty(n)
    nxt = np.empty(n)
    for it in range(1, 100_000):
        dangling = 0.0
        for u in range(n):
            if out_degree[u] == 0:
                dangling += x[u]
                share[u] = 0.0
            else:
                share[u] = x[u] / out_degree[u]
        base = (1.0 - damping) / n + damping * dangling / n
        change = 0.0
        for v in range(n):
            acc = 0.0
            for j in range(in_ptr[v], in_ptr[v + 1]):
                acc += share[in_src[j]]
            nxt[v] = base + damping * acc
            change += abs(nxt[v] - x[v])
        x, nxt = nxt, x
        if change < tol:
            return x, it
    return x, -1
