"""Hiding credentials in URLs, settings, messages and log lines before anything prints them.

A secret can sit in three places of a backend URL, and in free text around it:

* the userinfo: ``postgresql://user:PASSWORD@host/db`` -> ``postgresql://user:***@host/db``;
* a query parameter: ``redis://h/0?password=X``, ``?sslpassword=X``, ``?token=X``,
  ``?access_key=X``, ``?secret=X`` … (any key that looks like a credential, see ``_SECRET``);
* a ``key=value`` pair in text, as drivers print connection strings (``password=X host=h``).

The functions are pure string work: they never parse a port or a host, so a malformed URL
is masked as well as a good one (and never raises).
"""

from __future__ import annotations

import logging
import re
from typing import Any

__all__ = ["RedactingFilter", "mask_secrets", "mask_text", "mask_url"]

MASK = "***"

# Names of keys whose values are credentials: settings keys, URL query parameters and
# key=value pairs. Over-masking a harmless value (``sslkey=/path``) is the safe mistake.
_SECRET = (
    r"(?:sig|[A-Za-z0-9_.-]*(?:pass|pwd|secret|token|key|credential|auth|signature)[A-Za-z0-9_.-]*)"
)
_SECRET_KEY = re.compile(rf"^{_SECRET}$", re.I)
# userinfo password: after "scheme://user:" up to the last "@" of the authority.
_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^/?#\s:@]*:)[^/?#\s]*@")
# key=value (or "key: value") where the key names a credential: in a query string, a DSN
# or a sentence. A colon needs a space after it, so URLs' "user:password@" is left to _USERINFO.
_PAIR = re.compile(
    rf"(?P<key>(?<![A-Za-z0-9_.-]){_SECRET})(?P<eq>\s*=\s*|:\s+)(?P<value>'[^']*'|\"[^\"]*\"|[^\s&;,'\"]+)",
    re.I,
)


def _pair(m: re.Match[str]) -> str:
    return f"{m.group('key')}{m.group('eq')}{MASK}"


def mask_text(text: str) -> str:
    """``text`` with every credential in URLs and ``key=value`` pairs replaced by ``***``."""
    if not text:
        return text
    text = _USERINFO.sub(lambda m: f"{m.group('head')}{MASK}@", text)
    return _PAIR.sub(_pair, text)


def mask_url(url: str) -> str:
    """A backend URL fit to print: password and credential parameters masked."""
    return mask_text(url)


def mask_secrets(value: Any, key: str = "") -> Any:
    """A setting fit to print: the whole value when ``key`` names a secret, else its URL masked."""
    if key and _SECRET_KEY.match(key):
        return MASK
    if isinstance(value, str):
        return mask_text(value)
    return value


class RedactingFilter(logging.Filter):
    """Masks credentials in every log record that passes through the handler it sits on."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
