"""The simulator's compiled loops give exactly what the numpy expressions they replace give."""

from __future__ import annotations

import numpy as np
import pytest

from vitrina.simulate.kernels import hex_digits, inverse_cdf


@pytest.mark.parametrize("n", [1, 3, 800, 10_000])
def test_inverse_cdf_equals_searchsorted(n: int) -> None:
    rng = np.random.default_rng(n)
    weights = rng.random(n) ** 4  # uneven, with near-empty items
    cdf = np.cumsum(weights) / weights.sum()
    u = np.concatenate([rng.random(200_000), cdf[:-1], np.nextafter(cdf[:-1], 0), [0.0]])
    u = u[u < 1.0]
    want = np.minimum(np.searchsorted(cdf, u, side="right"), n - 1)
    assert np.array_equal(inverse_cdf(cdf, u), want)


def test_inverse_cdf_of_a_cdf_that_ends_below_one() -> None:
    cdf = np.array([0.25, 0.5, 0.999999])  # rounding can leave the last value under 1
    u = np.array([0.0, 0.25, 0.4999, 0.9999995, 0.9999999])
    assert inverse_cdf(cdf, u).tolist() == [0, 1, 1, 2, 2]


def test_hex_digits_spell_each_row() -> None:
    raw = np.random.default_rng(1).integers(0, 256, (1000, 16), dtype=np.uint8)
    ids = hex_digits(raw)
    assert ids.dtype == np.dtype("S32") and len(ids) == 1000
    assert ids.tolist() == [bytes(row).hex().encode() for row in raw]
