"""Case-insensitive lexicon patterns, run case-sensitively over lower-cased text.

Under IGNORECASE, Python's regex engine compares every letter of every branch with its case
folded, and cannot skip a branch by its first letter; the cue and loaded-term tries spend most
of their time there. Over the lower-cased text the same pattern without the flag finds the same
spans two to three times faster, provided that:

- the pattern's letters are all lower-case ASCII and it looks back at most one character
  (anything else, or a construct not listed in ``_item_ok``, keeps the IGNORECASE pattern), and
- lower-casing kept the text's length, so offsets line up, and the text has none of the four
  non-ASCII letters IGNORECASE folds onto ASCII ones (``_FOLDS_ONTO_ASCII``).

``lowered`` copies the whole article once (per text and thread) for every scan of it to share;
where that copy would not line up, ``lower_range`` copies only the scanned range (and the
character before it), so a sentence's scan copies a sentence, not the article. Lower-casing
text that is not ASCII takes a buffer of twelve bytes a character, so a long text or range of
it is lower-cased in pieces, and a range longer than ``MAX_FOLDED`` is scanned with the flag
instead: working memory stays a few times the text.
"""

from __future__ import annotations

import re
import threading
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
# Non-ASCII text longer than this is scanned with the flag (a copy would cost more memory).
MAX_FOLDED = 50_000
_PIECE = 4096


@dataclass(frozen=True)
class Lowered:
    """``text[offset:]`` lower-cased up to a range's end, or ``low`` None where unsafe."""

    low: str | None
    offset: int


def lower_range(text: str, start: int = 0, end: int | None = None) -> Lowered:
    """The range ``start:end`` of ``text`` and the character before it, lower-cased."""
    end = len(text) if end is None else end
    offset = max(0, start - 1)  # the look-behinds see one character before the range
    piece = text[offset:end]
    if piece.isascii():
        return Lowered(piece.lower(), offset)
    if len(piece) > MAX_FOLDED or any(char in piece for char in _FOLDS_ONTO_ASCII):
        return Lowered(None, offset)
    low = "".join([piece[at : at + _PIECE].lower() for at in range(0, len(piece), _PIECE)])
    return Lowered(low if len(low) == len(piece) else None, offset)


class _WholeText(threading.local):
    """Per thread: the text last asked about, and the whole of it lowered (None where unsafe)."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.lowered: Lowered | None = None


_WHOLE = _WholeText()


def lowered(text: str, start: int = 0, end: int | None = None) -> Lowered:
    """A lowered copy holding ``start:end`` and the character before it: the whole text,
    lowered once per text (and thread), or ``lower_range`` where that copy would be unsafe.

    Every sentence of an article is scanned several times; one copy of the article costs less
    than a copy per scan. A copy of the whole text lines up with the text exactly where
    every range's copy does (a lowered letter depends only on itself, but for a final sigma,
    which no foldable pattern can tell apart)."""
    whole = _WHOLE
    if whole.text is not text:
        whole.text, whole.lowered = text, _lower_whole(text)
    if whole.lowered is None:
        return lower_range(text, start, end)
    return whole.lowered


def _lower_whole(text: str) -> Lowered | None:
    """The whole text lowered, or None where the copy would not line up. Any length: the
    copy is the size of the text, and a text that is not ASCII is lowered in pieces."""
    if text.isascii():
        return Lowered(text.lower(), 0)
    if any(char in text for char in _FOLDS_ONTO_ASCII):
        return None
    low = "".join([text[at : at + _PIECE].lower() for at in range(0, len(text), _PIECE)])
    return Lowered(low, 0) if len(low) == len(text) else None


class _Shifted:
    """A match over a lowered range, with offsets into the whole text."""

    __slots__ = ("_match", "_offset", "lastgroup")

    def __init__(self, match: re.Match[str], offset: int) -> None:
        self._match, self._offset, self.lastgroup = match, offset, match.lastgroup

    def start(self) -> int:
        return self._match.start() + self._offset

    def end(self) -> int:
        return self._match.end() + self._offset

    def span(self) -> tuple[int, int]:
        return self.start(), self.end()


Match = re.Match[str] | _Shifted


@dataclass(frozen=True)
class Folded:
    """An IGNORECASE pattern and, when its letters allow, the same pattern without the flag."""

    pattern: re.Pattern[str]
    folded: re.Pattern[str] | None

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Folded:
        flags = pattern.flags & ~re.IGNORECASE
        if not pattern.flags & re.IGNORECASE:
            return cls(pattern, None)
        for source in (behind_first_letter(pattern.pattern), pattern.pattern):
            if _lower_case_only(source, flags):
                return cls(pattern, re.compile(source, flags))
        return cls(pattern, None)

    def finditer(
        self, text: str, lowered: Lowered, start: int = 0, end: int | None = None
    ) -> Iterator[Match]:
        """``pattern.finditer(text, start, end)``: the matches' offsets and ``lastgroup`` only.

        ``lowered`` is ``lower_range(text, a, b)`` for a range holding ``start:end``."""
        end = len(text) if end is None else end
        low, offset = lowered.low, lowered.offset
        # The copy must hold the scan and the character before it (none before the text).
        covered = low is not None and offset + len(low) >= end and (start > offset or start == 0)
        if self.folded is None or low is None or not covered:
            return self.pattern.finditer(text, start, end)
        if offset == 0:  # the copy of the whole text: its matches' offsets are the text's
            return self.folded.finditer(low, start, end)
        return _shifted(self.folded.finditer(low, start - offset, end - offset), offset)


def _shifted(matches: Iterator[re.Match[str]], offset: int) -> Iterator[_Shifted]:
    for match in matches:
        yield _Shifted(match, offset)


# A look-behind the pattern opens with, and what follows it.
_LEADING_BEHIND = re.compile(
    r"\(\?<(?P<sign>[!=])(?P<body>(?:[^()\[\]\\]|\\.|\[(?:[^\]\\]|\\.)+\])+)\)"
)
_QUANTIFIERS = "*+?{"
_FEW_LETTERS = 4


def behind_first_letter(source: str) -> str:
    """``(?<!X)(?:said|told)`` as ``(?:s(?<!X.)aid|t(?<!X.)old)``: the same matches.

    The regex engine has to try a pattern that opens with a look-behind at every position;
    one whose branches all open with one of a few letters it skips to where one of those is.
    A source it cannot split that way (a branch opening with anything but a plain letter), or
    whose branches open with many letters (each then a try, slower than the look-behind
    failing at once), is returned as it is."""
    found = _LEADING_BEHIND.match(source)
    if found is None:
        return source
    behind = f"(?<{found['sign']}{found['body']}.)"
    letters: set[str] = set()
    moved = _behind_each(source[found.end() :], behind, letters)
    return source if moved is None or len(letters) > _FEW_LETTERS else moved


def _behind_each(source: str, behind: str, letters: set[str]) -> str | None:
    """``source`` with ``behind`` after the first letter (added to ``letters``) of each
    top-level branch, the branches opening with one letter joined behind it: "as reported"
    and "as cited" then cost one look-behind, not two. Branches opening with different
    letters never match at the same place, so only their order within a letter counts."""
    branches = _top_level(source, "|")
    if len(branches) == 1 and source.startswith("(?:"):
        close = _group_end(source)
        if close is not None:
            inner = _behind_each(source[3:close], behind, letters)
            return None if inner is None else "(?:" + inner + source[close:]
    rests: dict[str, list[str]] = {}
    for branch in branches:
        if len(branch) < 2 or not branch[0].isalnum() or not branch[0].isascii():
            return None
        if branch[1] in _QUANTIFIERS:
            return None  # "a?" may match no letter at all
        rests.setdefault(branch[0], []).append(branch[1:])
    letters.update(rests)
    return "|".join(
        letter + behind + (tails[0] if len(tails) == 1 else "(?:" + "|".join(tails) + ")")
        for letter, tails in rests.items()
    )


def _group_end(source: str) -> int | None:
    """The index of the ``)`` closing the group ``source`` opens with."""
    parts = _top_level(source[1:], ")")
    return 1 + len(parts[0]) if len(parts) > 1 else None


def _top_level(source: str, separator: str) -> list[str]:
    """``source`` split at ``separator`` where it is outside every group and character set."""
    parts, depth, at, start = [], 0, 0, 0
    while at < len(source):
        char = source[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":
            at = _set_end(source, at)
            continue
        if char == separator and depth == 0:
            parts.append(source[start:at])
            start = at + 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        at += 1
    parts.append(source[start:])
    return parts


def _set_end(source: str, at: int) -> int:
    """The index after the character set opening at ``at``."""
    at += 1
    if source[at : at + 1] == "^":
        at += 1
    if source[at : at + 1] == "]":
        at += 1  # a leading "]" is a member
    while at < len(source) and source[at] != "]":
        at += 2 if source[at] == "\\" else 1
    return at + 1


def _lower_case_only(source: str, flags: int) -> bool:
    if _parser is None:
        return False
    try:
        return _items_ok(_parser.parse(source, flags).data, 1)
    except (re.error, TypeError, ValueError):
        return False


def _char_ok(code: int) -> bool:
    char = chr(code)
    # A lower-case ASCII letter, or a character with no case at all ("'", "\u2019", a digit).
    return (char.isascii() and char == char.lower()) or char.lower() == char.upper() == char


def _items_ok(items: Any, behind: int) -> bool:
    """Whether a sequence is safe to fold; ``behind`` is how many characters before the current
    point are surely in the copy: the one before the range, and what the match has consumed."""
    for op, argument in items:
        if not _item_ok(op, argument, behind):
            return False
        behind += _width(op, argument)
    return True


def _width(op: Any, argument: Any) -> int:
    """The fewest characters an item consumes (0 for look-arounds and anchors)."""
    if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY):
        return 1
    pattern = _parser.SubPattern(_parser.State(), [(op, argument)])
    return pattern.getwidth()[0]


def _item_ok(op: Any, argument: Any, behind: int) -> bool:
    if op in (_sre.LITERAL, _sre.NOT_LITERAL):
        return _char_ok(argument)
    if op is _sre.IN:
        return all(_set_item_ok(item, value) for item, value in argument)
    if op is _sre.BRANCH:
        return all(_items_ok(branch.data, behind) for branch in argument[1])
    if op is _sre.SUBPATTERN:
        _, add_flags, del_flags, body = argument
        return not (add_flags or del_flags) and _items_ok(body.data, behind)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        return _items_ok(argument[2].data, behind)
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        direction, body = argument
        if direction > 0:
            return _items_ok(body.data, behind)
        # A look-behind may see as far back as the copy surely reaches, no further.
        width = body.getwidth()[1]
        return width <= behind and _items_ok(body.data, behind - width)
    if op is _sre.ATOMIC_GROUP:
        return _items_ok(argument.data, behind)
    return op in (_sre.ANY, _sre.AT)


def _set_item_ok(op: Any, value: Any) -> bool:
    if op is _sre.LITERAL:
        return _char_ok(value)
    if op is _sre.RANGE:
        low, high = value
        return high < 128 and all(_char_ok(code) for code in range(low, high + 1))
    # ``\w``, ``\s``, ``\d`` hold a character exactly when they hold its lower case (tested).
    return op in (_sre.NEGATE, _sre.CATEGORY)
