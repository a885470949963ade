"""Counted sources: "about four in 10 voters", "more than half", "most of whom"."""

from __future__ import annotations

# Words before a count that belong to it ("about 4 in 10"), not adverbs opening a sentence.
APPROXIMATORS = frozenset("about nearly almost roughly around over under some".split())
_COUNT_WORDS = frozenset(
    """one two three four five six seven eight nine ten dozen dozens hundreds thousands half
    a""".split()
)
_QUANTIFIERS = frozenset("all both each many most some several none few half one two".split())


def counts(word: str) -> bool:
    return word[:1].isdigit() or word.lower() in _COUNT_WORDS


def comparative_count(words: list[tuple[int, int, str]], index: int) -> bool:
    """ "more than six in 10": the comparison belongs to the count that speaks."""
    return (
        0 < index < len(words) - 1
        and words[index - 1][2].lower() in {"more", "less", "fewer"}
        and counts(words[index + 1][2])
    )


def quantified_relative(words: list[tuple[int, int, str]], index: int) -> bool:
    """ "most of whom": the quantifier and its "of" are part of the relative source."""
    return (
        index >= 2
        and index == len(words) - 1
        and words[index - 1][2].lower() == "of"
        and words[index - 2][2].lower() in _QUANTIFIERS
    )


def approximation(words: list[str]) -> int:
    """How many words at the start of ``words`` approximate the count after them: 1 for
    "about four in 10" and "only 49 percent", 2 for "at least half" and "more than 60
    percent", else 0."""
    if words and words[0].lower() == "only" and len(words) >= 2:
        # "only 49 percent", "Only about four in 10": "only" limits the count after it.
        inner = approximation(words[1:])
        return 1 + inner if inner or counts(words[1]) else 0
    lower = [word.lower() for word in words[:3]]
    if (
        len(lower) >= 3
        and lower[:2]
        in (["at", "least"], ["more", "than"], ["fewer", "than"], ["less", "than"], ["at", "most"])
        and counts(words[2])
    ):
        return 2
    if len(lower) >= 2 and lower[0] in APPROXIMATORS and counts(words[1]):
        return 1
    return 0
