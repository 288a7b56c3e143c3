"""The one normalisation of text values before they are judged: trimmed, codes lower-cased.

Ingest's cleaning and the stream's click parser both call these, so a value that only differs
by case or surrounding white space (``" CLICK "``, ``"Click"``) is one value everywhere.
"""

from __future__ import annotations

import polars as pl

__all__ = ["normalise_code", "normalise_text"]


def normalise_text(text: pl.Expr) -> pl.Expr:
    """Text without surrounding white space (Unicode white space, as ``str.strip`` removes)."""
    return text.str.strip_chars()


def normalise_code(text: pl.Expr) -> pl.Expr:
    """A code (event type, device, order status, e-mail): trimmed and lower-cased."""
    return normalise_text(text).str.to_lowercase()
