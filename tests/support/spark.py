"""Ending this process's Spark JVM after a test module that started one."""

from __future__ import annotations


def shutdown_jvm() -> None:
    """End the Spark JVM of this process: the driver's jars are fixed when the JVM starts, so
    a later session with other jars (the Kafka stream test's connector) needs a fresh one."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    if gateway is not None:
        gateway.shutdown()
        SparkContext._gateway = None
        SparkContext._jvm = None
