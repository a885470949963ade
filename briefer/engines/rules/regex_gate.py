"""First-character gates: a look-ahead that lets a long alternation fail at a glance.

Python's regex engine tries every branch of an alternation at every start position; under
IGNORECASE it cannot skip a branch by its first letter. A look-ahead for the characters a
branch can start with (``(?=[abt])``) fails in one step where the branch would not. The gate
only tests what the branch itself would need, so the matches are the same.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser is internal to ``re``; without it there is simply no gate
    from re import _constants as _sre
    from re import _parser
except ImportError:  # pragma: no cover - every supported Python has them
    _parser = None


def gate(pattern: str, flags: int = 0) -> str:
    """``(?=[...])`` for the characters a match of ``pattern`` can start with, or "" when that
    is not known (an empty match, a class like ``\\w``, an inline flag, an unknown construct)."""
    if _parser is None:
        return ""
    try:
        chars, empty = _first(_parser.parse(pattern, flags).data)
    except (re.error, TypeError, ValueError):
        return ""
    if chars is None or empty or not chars:
        return ""
    return "(?=[" + "".join(re.escape(char) for char in sorted(chars)) + "])"


def _first(items: Any) -> tuple[set[str] | None, bool]:
    """The characters a sequence can start with (None: any), and whether it can be empty."""
    found: set[str] = set()
    for op, argument in items:
        chars, empty = _first_of(op, argument)
        if chars is None:
            return None, False
        found |= chars
        if not empty:
            return found, False
    return found, True


def _first_of(op: Any, argument: Any) -> tuple[set[str] | None, bool]:
    if op is _sre.LITERAL:
        return {chr(argument)}, False
    if op is _sre.IN:
        return _charset(argument), False
    if op is _sre.BRANCH:
        found: set[str] = set()
        any_empty = False
        for branch in argument[1]:
            chars, empty = _first(branch.data)
            if chars is None:
                return None, False
            found |= chars
            any_empty = any_empty or empty
        return found, any_empty
    if op is _sre.SUBPATTERN:
        _, add_flags, del_flags, body = argument
        if add_flags or del_flags:
            return None, False  # a flag change would need the other case too
        return _first(body.data)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _, body = argument
        chars, empty = _first(body.data)
        return chars, chars is not None and (empty or low == 0)
    if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
        return set(), True  # a look-around or an anchor consumes nothing: look further
    return None, False


def _charset(items: Any) -> set[str] | None:
    chars: set[str] = set()
    for op, argument in items:
        if op is _sre.LITERAL:
            chars.add(chr(argument))
        elif op is _sre.RANGE and argument[1] - argument[0] < 256:
            chars.update(chr(code) for code in range(argument[0], argument[1] + 1))
        else:
            return None  # a negated set or a category (``\w``): any character
    return chars
