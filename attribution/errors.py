"""Errors a user can cause. The CLI prints their message on one line and exits non-zero."""

from __future__ import annotations

from attribution.terminal import printable


class AttributionError(Exception):
    """Base class of every error the user can cause or fix."""


class InputError(AttributionError):
    """An input file cannot be read as an article."""

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        # a file name may hold a line break or an escape sequence: shown, never obeyed
        shown = printable(path)
        where = f"{shown}:{line}" if line is not None else shown
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.message = message
        self.line = line

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None]]:
        # pickled as its arguments, to cross to and from worker processes
        return (InputError, (self.path, self.message, self.line))


class ModelNotInstalled(AttributionError):
    """An NLP model or backend is missing; the message says how to install it."""


class RegistryError(AttributionError):
    """A registry file is invalid; the message lists every problem with file and line."""
