"""Social records from simulator columns: event frames with their faults, text, names, Arrow tables."""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa

from vitrina.contracts.registry import ENTITIES
from vitrina.simulate.base import Table, Topic, Violation
from vitrina.simulate.output import arrow_table, ts_strings
from vitrina.simulate.social.events_jsonl import event_ids, events_jsonl, views_jsonl
from vitrina.simulate.social.vocab import WORDS

__all__ = ["TOPICS", "arrow", "blank", "event_ids", "labels", "sentences", "words_from"]

_STATUSES_WORDS = ("online", "offline")
_STATUS = pl.Series(_STATUSES_WORDS)
_WORDS = pl.Series(WORDS)


def labels(names: tuple[str, ...], idx: np.ndarray) -> pl.Series:
    """The name at each code (codes are positions in ``names``)."""
    return pl.Series(names).gather(np.asarray(idx, dtype=np.int64))


def blank(values: pl.Series, empty: np.ndarray) -> pl.Series:
    """``values`` with nulls where ``empty`` is true (a nullable text field)."""
    return values.zip_with(pl.Series(~empty), pl.Series([None] * len(values), dtype=pl.String))


def words_from(ids: np.ndarray, salt: int, n_words: int) -> list[pl.Series]:
    """``n_words`` words per id, a deterministic function of the id (no random stream needed)."""
    x = ids.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(salt)
    out = []
    for k in range(n_words):
        x = (x ^ (x >> np.uint64(29))) * np.uint64(0xBF58476D1CE4E5B9) + np.uint64(k)
        out.append(_WORDS.gather((x >> np.uint64(40)) % np.uint64(len(WORDS))))
    return out


def sentences(ids: np.ndarray, salt: int, n_words: int) -> pl.Series:
    """A short text per id: words joined by spaces, the first capitalised."""
    df = pl.DataFrame({f"w{i}": s for i, s in enumerate(words_from(ids, salt, n_words))})
    text = df.select(pl.concat_str(pl.all(), separator=" ").alias("t"))["t"]
    return text.str.slice(0, 1).str.to_uppercase() + text.str.slice(1)


def arrow(entity: str, columns: dict[str, pa.Array | np.ndarray]) -> pa.Table:
    """The entity's table: cast to its contract when the contract is registered, else as built
    (the columns are built with the contract's Arrow types, so both agree)."""
    if entity in ENTITIES:
        return arrow_table(entity, columns)
    return pa.table(columns)


def _views(ev: Table) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "view_id": ev["view_id"],
            "post_id": ev["post_id"],
            "user_id": ev["user_id"],
            "viewed_at": ts_strings(ev["ts"]),
        }
    )


def _status(ev: Table) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "user_id": ev["user_id"],
            "status": _STATUS.gather(ev["status"]),
            "changed_at": ts_strings(ev["ts"]),
        }
    )


def _ad_event(id_name: str) -> object:
    def frame(ev: Table) -> pl.DataFrame:
        return pl.DataFrame(
            {
                id_name: ev[id_name],
                "ad_id": ev["ad_id"],
                "user_id": ev["user_id"],
                "ts": ts_strings(ev["ts"]),
            }
        )

    return frame


def _not_a_time(column: str) -> Violation:
    return (column, f"{column} is not a timestamp", pl.lit("not-a-time"))


def _missing(column: str) -> Violation:
    return (column, f"{column} is missing", pl.lit(None, dtype=pl.Int64))


def _negative(column: str) -> Violation:
    return (column, f"{column} is negative", -pl.col(column))


_VIEWS = (_negative("post_id"), _not_a_time("viewed_at"), _missing("user_id"), _negative("view_id"))
_STATUSES = (
    ("status", "status 'away' is not a status", pl.lit("away")),
    _not_a_time("changed_at"),
    _missing("user_id"),
    _negative("user_id"),
)


def _ad_violations(id_name: str) -> tuple[Violation, ...]:
    return (_negative("ad_id"), _not_a_time("ts"), _missing("user_id"), _negative(id_name))


TOPICS: dict[str, Topic] = {
    "social_user_status": Topic(
        "social_user_status",
        _status,
        _STATUSES,
        key="user_id",
        jsonl=events_jsonl(("user_id",), ("status", _STATUSES_WORDS), "changed_at"),
    ),
    "social_views": Topic(
        "social_views",
        _views,
        _VIEWS,
        key="post_id",
        jsonl=views_jsonl,
    ),
    "social_ad_impressions": Topic(
        "social_ad_impressions",
        _ad_event("impression_id"),  # type: ignore[arg-type]
        _ad_violations("impression_id"),
        key="ad_id",
        jsonl=events_jsonl(("impression_id", "ad_id", "user_id"), None, "ts"),
    ),
    "social_ad_clicks": Topic(
        "social_ad_clicks",
        _ad_event("click_id"),  # type: ignore[arg-type]
        _ad_violations("click_id"),
        key="ad_id",
        jsonl=events_jsonl(("click_id", "ad_id", "user_id"), None, "ts"),
    ),
}
