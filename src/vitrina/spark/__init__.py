"""Spark jobs: the stream's click windows as a Structured Streaming job (scale-out compute)."""
