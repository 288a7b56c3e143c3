"""Compiled breadth-first searches over a friendship graph in CSR form (indptr, indices).

Both kernels release the GIL, so callers split the sources over threads.
"""

from __future__ import annotations

import numpy as np

from vitrina.jit import inline, kernel

__all__ = ["depth_histogram", "pagerank_power", "reach_counts"]


@kernel
def reach_counts(
    indptr: np.ndarray, indices: np.ndarray, lo: int, hi: int, out: np.ndarray
) -> None:
    """``out[s, k-1]`` = users at distance exactly k (1..3) from each source ``s`` in [lo, hi).

    A BFS cut at depth 3: only users at depth 0..2 have their neighbours scanned, so the
    work per source is the edges around its 2-hop ball, not the whole graph.
    """
    n = indptr.shape[0] - 1
    stamp = np.full(n, -1, np.int64)
    queue = np.empty(n, np.int32)
    for s in range(lo, hi):
        stamp[s] = s
        queue[0] = s
        head = 0
        tail = 1
        for depth in range(1, 4):
            level_end = tail
            count = 0
            while head < level_end:
                u = queue[head]
                head += 1
                for j in range(indptr[u], indptr[u + 1]):
                    v = indices[j]
                    if stamp[v] != s:
                        stamp[v] = s
                        count += 1
                        if depth < 3:
                            queue[tail] = v
                            tail += 1
            out[s, depth - 1] = count
            if tail == level_end:
                break


@inline
def _popcount(x: np.uint64) -> int:
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@kernel
def depth_histogram(indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """``hist[d]`` = (source, target) pairs at distance d >= 1, summed over ``sources``.

    Bit-parallel BFS: 64 sources share one pass, each owning one bit of a 64-bit word per
    user; a level pushes the words of the users on anyone's frontier to their neighbours.
    """
    n = indptr.shape[0] - 1
    hist = np.zeros(n + 1, np.int64)
    visited = np.zeros(n, np.uint64)
    frontier = np.zeros(n, np.uint64)
    nxt = np.zeros(n, np.uint64)
    active = np.empty(n, np.int32)
    touched = np.empty(n, np.int32)
    for b in range(0, sources.shape[0], 64):
        visited[:] = 0
        na = 0
        for i in range(min(64, sources.shape[0] - b)):
            s = sources[b + i]
            bit = np.uint64(1) << np.uint64(i)
            if frontier[s] == 0:
                active[na] = s
                na += 1
            frontier[s] |= bit
            visited[s] |= bit
        depth = 0
        while na > 0:
            depth += 1
            nt = 0
            for a in range(na):
                u = active[a]
                f = frontier[u]
                for j in range(indptr[u], indptr[u + 1]):
                    v = indices[j]
                    if nxt[v] == 0:
                        touched[nt] = v
                        nt += 1
                    nxt[v] |= f
            for a in range(na):
                frontier[active[a]] = 0
            na = 0
            found = 0
            for t in range(nt):
                v = touched[t]
                new = nxt[v] & ~visited[v]
                nxt[v] = 0
                if new != 0:
                    visited[v] |= new
                    frontier[v] = new
                    active[na] = v
                    na += 1
                    found += _popcount(new)
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
