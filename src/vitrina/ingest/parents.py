"""Quarantine reasons that name the cause: a quarantined parent, the file and line of a first use."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

__all__ = ["key_origins", "parent_reasons", "quarantined_parents", "world_reasons"]

_WHY_CHARS = 300
_SEQ = "_seq"
_KEYS = {"__key": pl.Int64, "origin": pl.String}


def key_origins(key: str | Sequence[str], frame: pl.DataFrame, seqs: pl.Series) -> pl.DataFrame:
    """``__key`` (as loaded) and ``origin`` of the rows of ``frame`` whose ``_seq`` is in ``seqs``.

    Only a one-column key is recorded: these keys name the parent a child's reference points
    to, and a reference always names one column (no record refers to a friendship's pair).
    """
    if not isinstance(key, str):
        if len(key) != 1:
            return pl.DataFrame(schema=_KEYS)
        key = key[0]
    if key not in frame.columns:
        return pl.DataFrame(schema=_KEYS)
    return frame.filter(pl.col(_SEQ).is_in(seqs.implode())).select(
        pl.col(key).cast(pl.Int64, strict=False).alias("__key"),
        pl.format("{}:{}", pl.col("_file"), pl.col("_line")).alias("origin"),
    )


def quarantined_parents(
    prepared: Mapping[str, Any], targets: tuple[tuple[str, str], ...]
) -> pl.DataFrame:
    """Keys of the target records this run quarantined: ``__key``, ``__parent``, ``__why``.

    The key is the one the record would have been loaded with; for a line that did not parse
    it is read from the payload (a number or a string of digits) when it can be made out.
    """
    parts = []
    for entity, column in targets:
        if entity not in prepared:
            continue
        p = prepared[entity]
        known = pl.concat([pl.DataFrame(schema=_KEYS), *p.keys])
        from_payload = (
            pl.col("payload")
            .str.extract(rf'"{column}"\s*:\s*"?\s*(-?[0-9]{{1,18}})\b', 1)
            .cast(pl.Int64, strict=False)
        )
        q = p.quarantine.join(known, on="origin", how="left")
        parts.append(
            q.select(
                pl.coalesce(pl.col("__key"), from_payload).alias("__key"),
                pl.lit(entity).alias("__parent"),
                pl.format("{}: {}", pl.col("origin"), pl.col("reasons"))
                .str.slice(0, _WHY_CHARS)
                .alias("__why"),
            )
        )
    empty = pl.DataFrame(schema={"__key": pl.Int64, "__parent": pl.String, "__why": pl.String})
    if not parts:
        return empty
    found: pl.DataFrame = pl.concat(parts).drop_nulls("__key")
    return found.unique(subset="__key", keep="first", maintain_order=True)


def parent_reasons(entity: str, field: str, value: pl.Expr) -> pl.Expr:
    """The reason for a record whose parent (joined from :func:`quarantined_parents`) was quarantined."""
    return pl.when(pl.col("__why").is_not_null()).then(
        pl.format(
            f"{entity}.{field}: {{}}: its {{}} record was quarantined ({{}})",
            value,
            pl.col("__parent"),
            pl.col("__why"),
        )
    )


def world_reasons(
    entity: str,
    valid: pl.DataFrame,
    errors: pl.DataFrame,
    rows: pl.Series,
    prepared: Mapping[str, Any],
) -> pl.DataFrame:
    """``_row``, ``reasons`` of the rows failing cross-record rules, with the causes named.

    The contracts count rows of the frame they were given ("already used on row 0"); here a
    row is named by its file and line, and a reference to a record this run quarantined says
    so and why, instead of "not found".
    """
    from vitrina.contracts import contract_for

    index = pl.int_range(pl.len(), dtype=pl.Int64).alias("__n")
    origins = valid.select(index, pl.format("{}:{}", pl.col("_file"), pl.col("_line")).alias("__o"))
    errs = (
        errors.with_columns(pl.col("_row").cast(pl.Int64))
        .filter(pl.col("_row").is_in(rows.implode()))
        .with_columns(pl.col("message").str.extract(r"row ([0-9]+)", 1).cast(pl.Int64).alias("__n"))
        .join(origins, on="__n", how="left")
        .with_columns(
            pl.when(pl.col("__o").is_not_null() & pl.col("rule").is_in(["unique", "duplicate"]))
            .then(
                pl.concat_str(
                    pl.col("message").str.extract(r"^(.*)row [0-9]+", 1),
                    pl.col("__o"),
                    pl.col("message").str.extract(r"row [0-9]+(.*)$", 1),
                )
            )
            .otherwise(pl.col("message"))
            .alias("message")
        )
        .drop("__n", "__o")
    )
    for ref in contract_for(entity).references:
        parents = quarantined_parents(prepared, ref.targets)
        if parents.height == 0:
            continue
        values = valid.select(
            pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"),
            pl.col(ref.field).cast(pl.Int64).alias("__key"),
        )
        hits = (
            errs.filter((pl.col("field") == ref.field) & (pl.col("rule") == "reference"))
            .join(values, on="_row")
            .join(parents, on="__key")
            .select(
                "_row",
                "field",
                "rule",
                pl.format(
                    "{}: its {} record was quarantined ({})",
                    pl.col("__key"),
                    pl.col("__parent"),
                    pl.col("__why"),
                ).alias("__new"),
            )
        )
        errs = (
            errs.join(hits, on=["_row", "field", "rule"], how="left")
            .with_columns(pl.coalesce("__new", "message").alias("message"))
            .drop("__new")
        )
    return errs.group_by("_row", maintain_order=True).agg(
        pl.format(f"{entity}.{{}}: {{}}", pl.col("field"), pl.col("message")).alias("reasons")
    )
