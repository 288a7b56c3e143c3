"""Pure readers of a user's folder: CSV rows and their lines, JSON key renames, BOMs."""

from __future__ import annotations

import orjson

from vitrina.ingest.folder import read_csv, rename_json_keys
from vitrina.ingest.read import strip_boms


def test_csv_lines_follow_records_that_span_lines() -> None:
    data = b'id,text\n1,"two\nlines"\n2,plain\n'
    frame, bad = read_csv(data)
    assert bad == []
    assert frame.rows() == [("1", "two\nlines", 2), ("2", "plain", 4)]


def test_csv_short_and_long_rows_are_bad_with_their_lines() -> None:
    data = b"\xef\xbb\xbfid,a,b\n1,x,\n2,y\n3,z,w,extra\n4,,v\n"
    frame, bad = read_csv(data)
    assert frame.columns == ["id", "a", "b", "_line"]
    assert frame.rows() == [("1", "x", None, 2), ("4", None, "v", 5)]
    assert bad == [
        (3, "2,y", "malformed CSV: 2 fields, header has 3"),
        (4, "3,z,w,extra", "malformed CSV: 4 fields, header has 3"),
    ]


def test_csv_repeated_header_keeps_the_first_column() -> None:
    frame, bad = read_csv(b"id,id\n1,\n")
    assert bad == [] and frame.get_column("id").to_list() == ["1"]


def test_json_keys_are_renamed_but_values_are_not() -> None:
    line = b'{"OrderID": 7, "note": "{\\"OrderID\\": 1, OrderID", "x":{"OrderID":2}}\n'
    out = rename_json_keys(line, {"OrderID": "order_id"})
    assert orjson.loads(out) == {
        "order_id": 7,
        "note": '{"OrderID": 1, OrderID',
        "x": {"order_id": 2},
    }


def test_boms_at_line_starts_are_dropped_and_lines_kept() -> None:
    data = b'\xef\xbb\xbf{"a":1}\r\n\xef\xbb\xbf{"a":2}\n{"a":"\xef\xbb\xbf"}\n'
    assert strip_boms(data) == b'{"a":1}\r\n{"a":2}\n{"a":"\xef\xbb\xbf"}\n'
