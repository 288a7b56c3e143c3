"""Pure cleaning steps: raw text layer, normalisation, typing, dedupe."""

from __future__ import annotations

import datetime as dt

import polars as pl

from vitrina.ingest.clean import SEQ, dedupe_first, normalise, to_clean, to_raw
from vitrina.ingest.tables import TABLES


def test_normalise_trims_and_fixes_case_of_text_only() -> None:
    frame = pl.DataFrame(
        {
            "user_id": [1],
            "first_name": ["  Ann "],
            "email": [" Ann@Example.COM"],
            "loyalty_status": ["gold"],
            "phone": ["+1 555"],
        }
    )
    out = normalise(TABLES["users"], frame)
    assert out.row(0, named=True) == {
        "user_id": 1,
        "first_name": "Ann",
        "email": "ann@example.com",
        "loyalty_status": "Gold",
        "phone": "+1 555",
    }
    clicks = normalise(TABLES["clicks"], pl.DataFrame({"event_type": [" CLICK"], "device": [""]}))
    assert clicks.row(0) == ("click", None)  # an empty optional field is absent


def test_dedupe_keeps_first_arrival() -> None:
    frame = pl.DataFrame(
        {"event_id": ["a", "b", "a", "c", "b"], SEQ: [0, 1, 2, 3, 4], "v": [1, 2, 3, 4, 5]}
    )
    kept, dropped = dedupe_first(frame.reverse(), "event_id")
    assert dropped == 2
    assert kept.sort(SEQ)["v"].to_list() == [1, 2, 4]


def test_raw_layer_is_text_and_clean_layer_is_typed() -> None:
    spec = TABLES["orders"]
    frame = pl.DataFrame(
        {
            "order_id": [7],
            "user_id": [1],
            "order_date": [dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC)],
            "total_amount": ["12.50"],
            "status": ["paid"],
            "_file": ["f"],
            "_line": [3],
        }
    )
    raw = to_raw(spec, frame)
    assert raw.row(0, named=True) == {
        "order_id": "7",
        "user_id": "1",
        "order_date": "2026-11-01T10:00:00.000Z",
        "total_amount": "12.50",
        "status": "paid",
        "delivery_date": None,
        "_file": "f",
        "_line": 3,
    }
    clean = to_clean(spec, frame.drop("_file", "_line"))
    assert clean.schema["order_date"] == pl.Datetime("ms")
    assert clean.schema["total_amount"] == pl.Decimal(12, 2)
    assert clean.row(0, named=True)["order_date"] == dt.datetime(2026, 11, 1, 10, 0)
