"""key_expr: equal values exactly where the key columns are equal, packed or not."""

from __future__ import annotations

import polars as pl
import pytest

from vitrina.contracts.rules import key_expr


def _firsts(frame: pl.DataFrame, columns: list[str]) -> list[int]:
    return (
        frame.with_row_index("i")
        .filter(key_expr(frame, columns).is_first_distinct())["i"]
        .to_list()
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ([1, 1, 2, 1, 2], [5, 6, 5, 5, 5]),  # packs: small non-negative values
        ([-(2**31), -(2**31), 2**31 - 1], [0, 2**32 - 1, 0]),  # the packing's edges
        ([2**40, 2**40, 1], [1, 1, 1]),  # too wide to pack: a struct
        ([1, 1, 1], [-1, -1, 2]),  # a negative second value: a struct
        ([1, None, None], [2, 3, 3]),  # nulls: a struct
    ],
)
def test_first_of_each_pair_as_with_a_struct(a: list[int | None], b: list[int]) -> None:
    frame = pl.DataFrame({"a": a, "b": b}, schema={"a": pl.Int64, "b": pl.Int64})
    expected = frame.with_row_index("i").filter(pl.struct("a", "b").is_first_distinct())
    assert _firsts(frame, ["a", "b"]) == expected["i"].to_list()


def test_packed_pairs_never_collide() -> None:
    # (0, 2**32 - 1) and (1, 0) are neighbours once packed, never equal.
    frame = pl.DataFrame({"a": [0, 1, 0], "b": [2**32 - 1, 0, 2**32 - 1]})
    assert _firsts(frame, ["a", "b"]) == [0, 1]
    assert frame.select(key_expr(frame, ["a", "b"])).to_series().to_list() == [
        2**32 - 1,
        2**32,
        2**32 - 1,
    ]


def test_one_column_is_itself_and_text_pairs_are_structs() -> None:
    frame = pl.DataFrame({"k": ["x", "y", "x"], "n": ["1", "1", "1"]})
    assert _firsts(frame, ["k"]) == [0, 1]
    assert _firsts(frame, ["k", "n"]) == [0, 1]
