"""The one exception image processing raises for bad input; callers turn it into a Diagnostic."""

from __future__ import annotations


class ImageError(Exception):
    """An image that cannot be published, with a message and an optional hint for the user."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
