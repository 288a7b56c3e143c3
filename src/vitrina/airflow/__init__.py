"""Running Airflow for vitrina: connections generated from the profile, the service script."""

from __future__ import annotations

from vitrina.airflow.connections import CONNECTION_IDS, connections, env_lines

__all__ = ["CONNECTION_IDS", "connections", "env_lines"]
