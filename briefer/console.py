"""What briefer prints to a terminal: one filter for every line that may carry article text."""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

# C0/C1 controls (bar tab and newline) could drive a terminal: an article or a feed title with
# "\x1b]0;...\x07" or "\x1b[2J" must not retitle or clear the reader's screen.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# On stderr a line break is a control too: a message stays one line.
_CONTROLS_AND_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def plain(value: object) -> str:
    """Text safe to print: control characters shown as a replacement mark."""
    return _CONTROLS.sub("\ufffd", "" if value is None else str(value))


def one_line(value: object) -> str:
    """Text safe to print as one line of a message: no controls, no line breaks."""
    text = "" if value is None else str(value)
    return _CONTROLS_AND_BREAKS.sub(lambda m: " " if m.group() in "\t\n\r" else "\ufffd", text)


def say(message: object, *, stream: TextIO | None = None, end: str = "\n") -> None:
    """Print one message line to stderr (or ``stream``), filtered."""
    target = sys.stderr if stream is None else stream
    target.write(one_line(message) + end)
    target.flush()


_verbosity = 0


def warn(message: object) -> None:
    """A warning line, unless -q asked for errors only."""
    if _verbosity >= 0:
        say(f"briefer: warning: {one_line(message)}")


def error(message: object) -> None:
    say(f"briefer: error: {one_line(message)}")


class ProgressLine:
    """``briefing 37/200`` on stderr, rewritten in place; only where stderr is a terminal."""

    def __init__(self, *, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.shown = False

    def __call__(self, done: int, total: int, failed: int = 0) -> None:
        if not self.enabled:
            return
        failures = f", {failed} failed" if failed else ""
        sys.stderr.write(f"\rbriefing {done}/{total}{failures}\x1b[K")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False


class TerminalFormatter(logging.Formatter):
    """Log records as filtered single lines: a log message may quote a feed or an article."""

    def format(self, record: logging.LogRecord) -> str:
        return one_line(super().format(record))


def configure_logging(verbosity: int) -> None:
    """-q: errors only; default: warnings; -v: progress. Third-party chatter only with -v."""
    global _verbosity
    _verbosity = verbosity
    level = {-1: logging.ERROR, 0: logging.WARNING}.get(verbosity, logging.INFO)
    root = logging.getLogger()
    # main() may run more than once in a process (tests, a library user): replace only ours.
    for old in [h for h in root.handlers if isinstance(h.formatter, TerminalFormatter)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(TerminalFormatter("briefer: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    # trafilatura, htmldate, courlan and friends log at WARNING about pages they cope with
    # ("discarding data: None"): noise for a reader, useful with -v.
    noisy = logging.INFO if verbosity > 0 else logging.CRITICAL
    for name in ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer"):
        logging.getLogger(name).setLevel(noisy)
