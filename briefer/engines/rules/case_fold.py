"""Case-insensitive lexicon patterns, run case-sensitively over the lower-cased article.

Under IGNORECASE, Python's regex engine compares every letter of every branch with its case
folded, and cannot skip a branch by its first letter; the cue and loaded-term tries spend most
of their time there. Over ``text.lower()`` the same pattern without the flag finds the same
spans two to three times faster, provided that:

- the pattern's letters are all lower-case ASCII (anything else, or a construct not listed in
  ``_ALLOWED``, keeps the IGNORECASE pattern), and
- lower-casing the text kept its length, so offsets line up, and the text has none of the four
  non-ASCII letters IGNORECASE folds onto ASCII ones (``_FOLDS_ONTO_ASCII``).

Matches found this way are over the lower-cased copy: use their offsets, not ``group()``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

try:  # the parser is internal to ``re``; without it every pattern keeps its flag
    from re import _constants as _sre
    from re import _parser
except ImportError:  # pragma: no cover - every supported Python has them
    _parser = None

# Python's documentation of IGNORECASE names these as the only non-ASCII letters matching an
# ASCII one (tests/engines/rules/test_case_fold.py checks every code point).
_FOLDS_ONTO_ASCII = "\u0130\u0131\u017f\u212a"


def lowered(text: str) -> str | None:
    """``text.lower()`` when a folded pattern may run over it instead of ``text``, else None."""
    low = text.lower()
    if len(low) != len(text) or any(char in text for char in _FOLDS_ONTO_ASCII):
        return None
    return low


@dataclass(frozen=True)
class Folded:
    """An IGNORECASE pattern and, when its letters allow, the same pattern without the flag."""

    pattern: re.Pattern[str]
    folded: re.Pattern[str] | None

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Folded:
        flags = pattern.flags & ~re.IGNORECASE
        if not pattern.flags & re.IGNORECASE or not _lower_case_only(pattern.pattern, flags):
            return cls(pattern, None)
        return cls(pattern, re.compile(pattern.pattern, flags))

    def finditer(
        self, text: str, low: str | None, start: int = 0, end: int | None = None
    ) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text, start, end)``, over ``low`` (``lowered(text)``) if it can."""
        end = len(text) if end is None else end
        if self.folded is not None and low is not None:
            return self.folded.finditer(low, start, end)
        return self.pattern.finditer(text, start, end)


def _lower_case_only(source: str, flags: int) -> bool:
    if _parser is None:
        return False
    try:
        return _items_ok(_parser.parse(source, flags).data)
    except (re.error, TypeError, ValueError):
        return False


def _char_ok(code: int) -> bool:
    char = chr(code)
    # A lower-case ASCII letter, or a character with no case at all ("'", "\u2019", a digit).
    return (char.isascii() and char == char.lower()) or char.lower() == char.upper() == char


def _items_ok(items: Any) -> bool:
    return all(_item_ok(op, argument) for op, argument in items)


def _item_ok(op: Any, argument: Any) -> bool:
    if op in (_sre.LITERAL, _sre.NOT_LITERAL):
        return _char_ok(argument)
    if op is _sre.IN:
        return all(_set_item_ok(item, value) for item, value in argument)
    if op is _sre.BRANCH:
        return all(_items_ok(branch.data) for branch in argument[1])
    if op is _sre.SUBPATTERN:
        _, add_flags, del_flags, body = argument
        return not (add_flags or del_flags) and _items_ok(body.data)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        return _items_ok(argument[2].data)
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return _items_ok(argument[1].data)
    if op is _sre.ATOMIC_GROUP:
        return _items_ok(argument.data)
    return op in (_sre.ANY, _sre.AT)


def _set_item_ok(op: Any, value: Any) -> bool:
    if op is _sre.LITERAL:
        return _char_ok(value)
    if op is _sre.RANGE:
        low, high = value
        return high < 128 and all(_char_ok(code) for code in range(low, high + 1))
    # ``\w``, ``\s``, ``\d`` hold a character exactly when they hold its lower case (tested).
    return op in (_sre.NEGATE, _sre.CATEGORY)
