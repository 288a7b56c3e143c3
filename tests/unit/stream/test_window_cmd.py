"""`vitrina window` on hand-made files: boundaries, hopping, lateness, bad lines, usage errors."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from vitrina.cli import main


def run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, lines: list[str], *args: str
) -> tuple[int, list[dict[str, object]], str]:
    src = tmp_path / "clicks.jsonl"
    src.write_text("\n".join(lines) + "\n")
    code = main(["window", "--input", str(src), *args])
    cap = capsys.readouterr()
    return code, [orjson.loads(x) for x in cap.out.splitlines()], cap.err


def click(ts: str, product_id: int = 1, event_type: str = "click") -> str:
    return orjson.dumps({"product_id": product_id, "event_type": event_type, "ts": ts}).decode()


def test_tumbling_boundaries_are_half_open(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(
        capsys,
        tmp_path,
        [
            click("2026-11-22T13:00:00Z"),
            click("2026-11-22T13:04:59.999Z"),
            click("2026-11-22T13:05:00Z"),
        ],
        "--size",
        "5m",
        "--hop",
        "5m",
    )
    assert code == 0
    assert out == [
        {
            "product_id": 1,
            "window_start": "2026-11-22T13:00:00.000Z",
            "window_end": "2026-11-22T13:05:00.000Z",
            "clicks": 2,
        },
        {
            "product_id": 1,
            "window_start": "2026-11-22T13:05:00.000Z",
            "window_end": "2026-11-22T13:10:00.000Z",
            "clicks": 1,
        },
    ]
    assert "late 0" in err


def test_hopping_default_sorted_by_start_then_product(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys,
        tmp_path,
        [
            click("2026-11-22T13:02:30Z", 9),
            click("2026-11-22T13:02:40Z", 3),
            click("2026-11-22T13:02:50Z", 3, "view"),
        ],
    )
    assert code == 0
    # Each click is in 5 windows starting 12:58 .. 13:02 (hop 1 min).
    starts = [(o["window_start"], o["product_id"], o["clicks"]) for o in out]
    assert starts == [
        (f"2026-11-22T{h}:00.000Z", p, 1)
        for h in ("12:58", "12:59", "13:00", "13:01", "13:02")
        for p in (3, 9)
    ]
    assert all(o["window_end"] > o["window_start"] for o in out)


def test_lateness_routes_late_events_and_counts_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = [
        click("2026-11-22T13:10:00Z"),
        click(
            "2026-11-22T13:09:31Z"
        ),  # window [13:09,13:10) ends after watermark 13:09:30: counted
        click("2026-11-22T13:09:29Z"),  # its only window ends 13:10 > 13:09:30 too: counted
        click("2026-11-22T13:08:59Z"),  # window [13:08,13:09) closed: late
    ]
    code, out, err = run(
        capsys, tmp_path, lines, "--size", "1m", "--hop", "1m", "--lateness", "30s"
    )
    assert code == 0
    assert [(o["window_start"][11:16], o["clicks"]) for o in out] == [("13:09", 2), ("13:10", 1)]
    assert "late 1" in err
    assert "line 4: late" in err


def test_bad_lines_are_counted_and_do_not_stop(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = [
        click("2026-11-22T13:00:00Z"),
        "{not json",
        '{"product_id": "x", "event_type": "click", "ts": "2026-11-22T13:00:00Z"}',
        '{"product_id": 2, "event_type": "tap", "ts": "2026-11-22T13:00:00Z"}',
        '{"product_id": 2, "event_type": "click", "ts": "yesterday"}',
        "[1, 2]",
        click("2026-11-22T13:00:01Z"),
    ]
    code, out, err = run(capsys, tmp_path, lines, "--hop", "5m")
    assert code == 0
    assert out == [
        {
            "product_id": 1,
            "window_start": "2026-11-22T13:00:00.000Z",
            "window_end": "2026-11-22T13:05:00.000Z",
            "clicks": 2,
        }
    ]
    assert "malformed 2, contract violations 3, late 0" in err
    assert "line 2: malformed JSON" in err
    assert "line 4: event_type: tap not in" in err


def test_empty_input_prints_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "empty.jsonl"
    src.write_bytes(b"")
    assert main(["window", "--input", str(src)]) == 0
    cap = capsys.readouterr()
    assert cap.out == ""
    assert "0 events" in cap.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "5m", "--hop", "2m"], "multiple of --hop"),
        (["--size", "five"], "not a duration"),
        (["--hop", "0s"], "positive"),
    ],
)
def test_bad_usage_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    src = tmp_path / "c.jsonl"
    src.write_text(click("2026-11-22T13:00:00Z") + "\n")
    assert main(["window", "--input", str(src), *args]) == 2
    cap = capsys.readouterr()
    assert cap.out == ""
    assert message in cap.err
    assert len(cap.err.strip().splitlines()) == 1


def test_missing_input_file_is_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["window", "--input", str(tmp_path / "nope.jsonl")]) == 2
    assert "cannot read --input" in capsys.readouterr().err
