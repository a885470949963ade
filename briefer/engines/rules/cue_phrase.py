"""Where a cue phrase begins: the auxiliaries and adverbs before its verb ("has also said")."""

from __future__ import annotations

import re

from briefer.engines.rules.grammar import ADVERB_SUFFIXES, ADVERBS, AUX, NOT_ADVERBS
from briefer.engines.rules.lexicon import ATTITUDES
from briefer.engines.rules.sources import PERSONAL_PRONOUNS, RELATIVES
from briefer.engines.rules.text_ranges import words_before


def cue_prefix(text: str, s0: int, c0: int) -> int:
    """Include auxiliaries and adverbs before the verb: "has also said"."""
    start = c0
    # "has been warning", "has been critical of": a progressive's or an attitude's "be"
    # belongs to the cue too.
    progressive = bool(_PROGRESSIVE.match(text, c0) or _ATTITUDE_START.match(text, c0))
    before = words_before(text, s0, c0, 4)
    for index, (w0, _, token) in zip(range(4), reversed(before), strict=False):
        word = token.lower()
        if progressive and word in {"been", "be"}:
            start = w0
            continue
        position = len(before) - 1 - index
        if word in _FLOATING and position > 0 and before[position - 1][2].lower() in AUX:
            start = w0  # "X and Y have both argued": the quantifier floats after the auxiliary
            continue
        manner = (
            len(word) > 5
            and word.endswith("ly")
            and word.isalpha()
            and word not in NOT_ADVERBS
            # "Schlafly noted", "Connolly said": a capitalised -ly word is a name unless it
            # has a derived adverb's suffix ("Separately").
            and (token[:1].islower() or word.endswith(tuple(ADVERB_SUFFIXES)))
        )
        if (word in AUX or word in ADVERBS or manner) and word not in {"that", "so"}:
            start = w0
            continue
        contraction = _CONTRACTED_AUX.search(token)
        if contraction is not None:
            start = w0 + contraction.start()  # "He\u2019s not saying": the \u2019s is the cue's
        break
    return start


_FLOATING = frozenset(("both", "all", "each"))
_PROGRESSIVE = re.compile(r"[A-Za-z]+ing\b")
_ATTITUDE_START = re.compile(
    "(?:" + "|".join(sorted({a.split()[0] for a in ATTITUDES}, key=len, reverse=True)) + r")\b"
)

# A subject with its auxiliary contracted onto it: "he's", "who\u2019s", "they've".
_CONTRACTED_AUX = re.compile(r"(?<=\w)['\u2019](?:s|re|ve|ll|d)$", re.IGNORECASE)
_CONTRACTED_SUBJECTS = PERSONAL_PRONOUNS | RELATIVES | frozenset(("it",))


def contracted_subject(token: str) -> int | None:
    """The length of the pronoun in "he's" / "who\u2019s" (its subject), else None."""
    found = _CONTRACTED_AUX.search(token)
    if found is None or token[: found.start()].lower() not in _CONTRACTED_SUBJECTS:
        return None
    return found.start()
