"""Every 5 minutes: user registrations from the event log into the OLTP source's users table.

Reads the registrations not applied yet (the job's consumer position in Kafka), validates
them against the registrations contract and upserts the valid ones keyed by `user_id` (the
latest registration of a user wins; a row with the same values is not rewritten). The
position is committed after the upsert, so a retry re-reads and changes nothing. Invalid
records go to `<registrations topic>.dlq` with their reasons.

The task calls `vitrina.pipelines.users_stream.run(settings, interval)`; shop_etl's ingest
reads the users table it keeps.
"""

from __future__ import annotations

from datetime import timedelta

from _vitrina import USERS, run_job, vitrina_dag
from airflow.sdk import DeltaDataIntervalTimetable, task

# A data-interval timetable: each run covers the period before it.
with vitrina_dag(
    "users_stream",
    doc_md=__doc__,
    schedule=DeltaDataIntervalTimetable(timedelta(minutes=5)),
    tags=["shop", "stream", "users"],
    dagrun_timeout=timedelta(minutes=20),
    execution_timeout=timedelta(minutes=5),
    retry_delay=timedelta(seconds=15),
):

    @task(outlets=[USERS])
    def upsert_users() -> dict[str, str]:
        return run_job("users_stream")

    upsert_users()
