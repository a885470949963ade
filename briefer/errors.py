"""Errors a user can cause; the CLI prints them as one line and exits non-zero."""


class BrieferError(Exception):
    """A problem the user can fix: the message names it and, where possible, the fix."""

    exit_code = 2

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(BrieferError):
    """Bad article input: missing path, unreadable bytes, too large, unreachable URL."""


class ConfigError(BrieferError):
    """Bad or missing configuration (engine, model, key, SMTP settings)."""


class EngineError(BrieferError):
    """The engine could not produce a briefing (model refused, server unreachable...)."""

    exit_code = 3
