"""The ``vitrina`` command line."""

from __future__ import annotations

from vitrina.cli.app import app, main

__all__ = ["app", "main"]
