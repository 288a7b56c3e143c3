"""The jobs: ``run(settings, interval) -> report`` each, called alike by the CLI, `vitrina run` and Airflow.

Every job module (``simulate``, ``stream``, ``ingest``, ``transform``, ``publish``, and
``run`` for all of them in order; ``stages`` for ingest one stage at a time, ``graph`` and
``marts`` for a domain's dbt models and marts) has one function
``run(settings, interval=None, ...)``.
``interval`` is an :class:`~vitrina.pipelines.interval.Interval`, half-open
``[start_ms, end_ms)`` in UTC epoch milliseconds (an Airflow data interval maps onto it);
``None`` means the job's default: for simulate and run the interval ``simulate.start`` and
``simulate.duration`` describe, for ingest what has not been read yet. Each returns a report
whose ``rows()`` are the ``(what, value)`` pairs of its summary.
"""

from __future__ import annotations

from vitrina.pipelines.interval import Interval, Report, default_interval

__all__ = ["Interval", "Report", "default_interval"]
