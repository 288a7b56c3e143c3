"""vitrina: an analytics data platform for an online shop with a social network."""

from __future__ import annotations

from vitrina.config import Settings, load_settings
from vitrina.errors import (
    BackendError,
    ConfigError,
    ContractError,
    PipelineError,
    ServiceUnavailable,
    UsageError,
    VitrinaError,
)

__version__ = "0.1.0"

__all__ = [
    "BackendError",
    "ConfigError",
    "ContractError",
    "PipelineError",
    "ServiceUnavailable",
    "Settings",
    "UsageError",
    "VitrinaError",
    "__version__",
    "load_settings",
]
