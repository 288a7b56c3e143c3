"""One context-manager protocol for every store: ``with open_x(url) as store: ...`` closes it."""

from __future__ import annotations

from typing import Self


class Closing:
    """Mix-in: ``__enter__`` returns the object, ``__exit__`` calls its ``close()``.

    Subclasses define ``close()``; exceptions are never swallowed.
    """

    def close(self) -> None:
        """Release what the object holds (nothing by default)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
