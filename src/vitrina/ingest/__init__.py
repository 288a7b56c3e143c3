"""Ingest: validate, clean and load the event log and the OLTP source into the warehouse."""

from __future__ import annotations

from vitrina.ingest.run import EntityCounts, IngestReport, run_ingest

__all__ = ["EntityCounts", "IngestReport", "run_ingest"]
