"""`vitrina bench window`'s Kafka half on the real broker: both figures measured, same topic."""

from __future__ import annotations

import pytest

from vitrina.bench.window_kafka import kafka_figures
from vitrina.eventlog.kafka import read_topic
from vitrina.stream.engine import WindowSpec

pytestmark = pytest.mark.services("kafka")


def test_kafka_figures_measure_vitrina_and_quix_on_one_topic(kafka_bootstrap: str) -> None:
    figures = kafka_figures(
        f"kafka://{kafka_bootstrap}",
        WindowSpec(),
        kafka_events=250_000,
        quix_events=3_000,
        products=500,
        rate_per_s=2_000,
        repeat=1,
    )
    assert figures["kafka_events"] == 250_000 and figures["kafka_repeat"] == 1
    assert figures["e2e_kafka_events_per_s"] > 0
    assert figures["quix_events"] == 3_000 and figures["quix_events_per_s"] > 0
    topic = figures["kafka_topic"]
    assert len(read_topic(kafka_bootstrap, topic)) == 250_000
    # vitrina's job wrote its windows next to the input: every one a JSON object with counts.
    windows = read_topic(kafka_bootstrap, f"{topic}.windows")
    assert windows and all(b'"clicks":' in r.value for r in windows if r.value)
