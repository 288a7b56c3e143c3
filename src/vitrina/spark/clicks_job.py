"""Clicks per product in hopping event-time windows as a Spark Structured Streaming job on Kafka.

The same aggregation as :mod:`vitrina.stream` (only ``event_type = click`` counts, windows
aligned to the epoch, half-open), written with Spark's own ``window`` and watermark, reading
the topic ``clicks`` and writing ``{product_id, window_start, window_end, clicks}`` records
keyed by product to an output topic in update mode. Spark's watermark advances per
micro-batch rather than per event, so the two engines agree exactly when no event is late;
that is what the differential test checks.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from vitrina.spark.jars import kafka_connector_jars

__all__ = ["run_spark_clicks", "spark_session"]

log = logging.getLogger(__name__)

_ISO = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"


def spark_session(jars_cache: Path, *, app: str = "vitrina-clicks", cores: int = 2) -> Any:
    """A local Spark session with the Kafka connector on its class path (UTC, small shuffles)."""
    from pyspark.sql import SparkSession

    _, jars = kafka_connector_jars(jars_cache)
    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app)
        .config("spark.jars", ",".join(str(j) for j in jars))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.ui.enabled", "false")
        .config(
            "spark.sql.streaming.stateStore.providerClass",
            "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider",
        )
        .getOrCreate()
    )


def run_spark_clicks(
    spark: Any,
    *,
    bootstrap: str,
    topic: str,
    output_topic: str,
    checkpoint_dir: Path,
    size_s: int = 300,
    hop_s: int = 60,
    lateness_s: int = 30,
) -> None:
    """Process everything now on ``topic`` (trigger availableNow) into ``output_topic``."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    from vitrina.eventlog.kafka import ensure_topics, topic_partitions

    ensure_topics(bootstrap, {output_topic: max(1, topic_partitions(bootstrap, topic))})

    schema = StructType(
        [
            StructField("product_id", LongType()),
            StructField("event_type", StringType()),
            StructField("ts", StringType()),
        ]
    )
    events = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("subscribe", topic)
        .option("startingOffsets", "earliest")
        .option("kafka.isolation.level", "read_committed")
        .load()
        .select(F.from_json(F.col("value").cast("string"), schema).alias("e"))
        .select("e.*")
        .where((F.col("event_type") == "click") & F.col("product_id").isNotNull())
        .withColumn("event_time", F.to_timestamp("ts"))
        .where(F.col("event_time").isNotNull())
    )
    counts = (
        events.withWatermark("event_time", f"{lateness_s} seconds")
        .groupBy(F.window("event_time", f"{size_s} seconds", f"{hop_s} seconds"), "product_id")
        .agg(F.count(F.lit(1)).alias("clicks"))
    )
    out = counts.select(
        F.col("product_id").cast("string").alias("key"),
        F.to_json(
            F.struct(
                F.col("product_id"),
                F.date_format("window.start", _ISO).alias("window_start"),
                F.date_format("window.end", _ISO).alias("window_end"),
                F.col("clicks"),
            )
        ).alias("value"),
    )
    query = (
        out.writeStream.format("kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("topic", output_topic)
        .option("checkpointLocation", str(checkpoint_dir))
        .outputMode("update")
        .trigger(availableNow=True)
        .start()
    )
    query.awaitTermination()
    log.info("spark: %s -> %s done", topic, output_topic)
