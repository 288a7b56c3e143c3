"""Compiled inner loops of the simulator: inverse-transform draws and hex ids.

Both give exactly what the numpy expressions they replace give (tests hold them to it), so
the simulated data does not change, only the time it takes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from vitrina.jit import kernel
from vitrina.spell import text

__all__ = ["hex_digits", "inverse_cdf"]

_HEX = text(b"0123456789abcdef")
_GUIDE = 4096  # buckets of the guide table (a power of two: u * _GUIDE is exact)


@kernel
def _inverse_cdf(
    cdf: npt.NDArray[np.float64], guide: npt.NDArray[np.int64], u: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    out = np.empty(len(u), dtype=np.int64)
    last = len(cdf) - 1
    for i in range(len(u)):
        x = u[i]
        # guide[j] = #(cdf <= j / _GUIDE) <= #(cdf <= x): walk up to the first cdf above x.
        k = guide[int(x * _GUIDE)]
        while k <= last and cdf[k] <= x:
            k += 1
        out[i] = min(k, last)
    return out


def inverse_cdf(cdf: npt.NDArray[np.float64], u: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """``min(searchsorted(cdf, u, side="right"), len(cdf) - 1)`` for ``u`` in [0, 1), faster."""
    cdf = np.ascontiguousarray(cdf, dtype=np.float64)
    guide = np.searchsorted(cdf, np.arange(_GUIDE, dtype=np.float64) / _GUIDE, side="right")
    return _inverse_cdf(cdf, guide.astype(np.int64), np.ascontiguousarray(u, dtype=np.float64))


@kernel
def _hex(raw: npt.NDArray[np.uint8], out: npt.NDArray[np.uint8]) -> None:
    flat_in = raw.ravel()
    for i in range(len(flat_in)):
        b = flat_in[i]
        out[2 * i] = _HEX[b >> 4]
        out[2 * i + 1] = _HEX[b & 15]


def hex_digits(raw: npt.NDArray[np.uint8]) -> np.ndarray:
    """Each row of ``raw`` (n x k bytes) as one lowercase hex string: an ``S{2k}`` array."""
    raw = np.ascontiguousarray(raw, dtype=np.uint8)
    n, k = raw.shape
    out = np.empty(n * k * 2, dtype=np.uint8)
    _hex(raw, out)
    return out.view(f"S{2 * k}")
