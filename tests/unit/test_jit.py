"""Compiled kernels are cached under a name that changes with the helpers compiled into them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numba

import vitrina.jit as jit


def test_cache_folder_is_named_by_the_shared_sources() -> None:
    here = Path(jit.__file__).parent
    digest = hashlib.sha256(b"".join((here / n).read_bytes() for n in ("jit.py", "spell.py")))
    assert Path(jit._CACHE_DIR).name == f"numba-{digest.hexdigest()[:16]}"
    assert "spell.py" in jit._SHARED


def test_numba_setting_is_left_as_it_was() -> None:
    before = numba.config.CACHE_DIR

    @jit.kernel
    def twice(x: int) -> int:
        return 2 * x

    assert twice(21) == 42
    assert before == numba.config.CACHE_DIR
