"""The alert channels are backends of the ``alerts`` role: the profile's scheme is checked."""

from __future__ import annotations

import pytest

from vitrina.alerts import open_channels
from vitrina.alerts.message import redact
from vitrina.backends import schemes
from vitrina.config import load_settings
from vitrina.errors import UsageError


def test_alerts_role_lists_every_channel() -> None:
    assert sorted(schemes("alerts")) == ["log", "smtp", "smtps", "telegram"]


def test_a_bad_alerts_scheme_stops_at_load() -> None:
    with pytest.raises(UsageError, match="alerts"):
        load_settings(environ={"VITRINA_BACKENDS_ALERTS": "pager://x"})


def test_open_channels_names_the_allowed_schemes() -> None:
    with pytest.raises(UsageError, match="log://, "):
        open_channels("log://,pager://x")
    assert [c.name for c in open_channels("log://,smtp://h?to=a@x,b@y")] == ["log", "smtp"]


def test_redact_masks_pairs_and_url_passwords() -> None:
    text = "connect postgresql://u:pw1@h/db failed: password=pw2 token tok9"
    assert redact(text, ["tok9"]) == (
        "connect postgresql://u:***@h/db failed: password=*** token ***"
    )
