"""Short neutral restatements of attributions: "<source> said <content>"."""

from __future__ import annotations

import re

from briefer.engines.rules.attribution import Attribution
from briefer.engines.rules.lexicon import lemma_of

MAX_CONTENT_WORDS = 40
_NEUTRAL_VERB = {
    "believe": "believes",
    "think": "thinks",
    "want": "wants",
    "expect": "expects",
    "hope": "hopes",
    "fear": "fears",
    "know": "knows",
    "feel": "feels",
    "worry": "worries",
    "doubt": "doubts",
    "plan": "plans",
    "intend": "intends",
}


def statement_for(text: str, item: Attribution) -> str:
    """``<source> said <content>`` with the content trimmed; cognition verbs keep their sense."""
    content = " ".join(text[item.content[0] : item.content[1]].split())
    words = content.split()
    if len(words) > MAX_CONTENT_WORDS:
        content = " ".join(words[:MAX_CONTENT_WORDS]) + "\u2026"
    cue = text[item.cue[0] : item.cue[1]]
    verb = _NEUTRAL_VERB.get(lemma_of(cue.split()[-1]), "said")
    if item.source is None:
        subject = "Unnamed sources"
        verb = "reportedly"
        statement = f"{subject}: {content}"
    else:
        statement = f"{item.name} {verb} {_complement(content, verb)}"
    if item.via:
        statement += f" (via {', '.join(item.via)})"
    return statement


def _complement(content: str, verb: str) -> str:
    if verb != "said" or re.match(r"^(?:that|[\"\u201c'])", content, re.IGNORECASE):
        return content
    return f"that {content}" if content[:1].islower() else content
