"""The exception tree of vitrina: every error the package raises on purpose.

    VitrinaError
     ├── UsageError          bad configuration or arguments: one line, exit code 2
     │    └── ConfigError     a configuration key has a value outside its allowed set
     ├── ContractError        a record or table breaks a data contract (when raising is wanted)
     ├── BackendError         a backend (database, broker, store) failed; driver errors are
     │    └── ServiceUnavailable   translated at the boundary with ``raise ... from exc``
     └── PipelineError        a pipeline step failed after its inputs were accepted

A bad *record* is data, not an exception: it goes to a quarantine or dead-letter place.
"""

from __future__ import annotations

__all__ = [
    "BackendError",
    "ConfigError",
    "ContractError",
    "PipelineError",
    "ServiceUnavailable",
    "UsageError",
    "VitrinaError",
]


class VitrinaError(Exception):
    """Root of every error vitrina raises on purpose."""

    exit_code = 1


class UsageError(VitrinaError):
    """Invalid arguments or configuration: nothing has been written."""

    exit_code = 2


class ConfigError(UsageError):
    """A configuration key has an invalid value; the message names the key and what is allowed."""

    def __init__(self, key: str, problem: str, allowed: str | None = None) -> None:
        self.key = key
        self.problem = problem
        self.allowed = allowed
        text = f"{key}: {problem}"
        if allowed:
            text += f" (allowed: {allowed})"
        super().__init__(text)


class ContractError(VitrinaError):
    """A record or table breaks a data contract."""


class BackendError(VitrinaError):
    """A backend failed while vitrina was using it."""


class ServiceUnavailable(BackendError):
    """A backend service could not be reached."""


class PipelineError(VitrinaError):
    """A pipeline step failed."""
