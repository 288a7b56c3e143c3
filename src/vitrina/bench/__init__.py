"""The code behind ``vitrina bench``: each module measures one hot path against a baseline.

``generate`` (the simulator's click generator vs Faker), ``window`` (the window engine vs a
per-event dict loop, plus a memory run) and ``window_kafka`` (vitrina's Kafka job end to end and
Quix Streams on the same topic). The baselines need the ``bench`` extra, the Kafka half the
``kafka`` extra as well; :func:`vitrina.bench.extras.require` turns a missing one into a
one-line usage error.
"""
