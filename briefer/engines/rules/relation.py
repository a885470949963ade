"""One attribution relation (source, cue, content ranges) and how a found one is built."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefer.engines.rules import quotes
from briefer.engines.rules.sources import (
    RELATIVES,
    classify,
    source_name,
)
from briefer.segment import Unit

Range = tuple[int, int]

_NOT_IN_NAME = frozenset("of to for with by from in on at and or but that".split())

_WRITTEN_CHANNEL = re.compile(
    r"\s+(in\s+(?:a|an|the|his|her|their|its)\s+(?:\w+\s+)?(?:letter|memo|memorandum|e-?mail|"
    r"statement|tweet|post|op-ed|essay|filing|note|court\s+filing|press\s+release))\b",
    re.IGNORECASE,
)


@dataclass
class Relayed:
    """An outer attribution folded into a nested one's ``via`` (nesting.resolve)."""

    name: str
    source: Range | None
    cue: Range
    content: Range


@dataclass
class Attribution:
    """One source-cue-content relation, as character ranges of the article text."""

    cue: Range
    content: Range
    source: Range | None
    name: str
    kind: str
    quote: str = "indirect"
    via: list[str] = field(default_factory=list)
    relays: list[Relayed] = field(default_factory=list)  # ``via`` as ranges
    # How the content relates to the cue: "right", "left" (quote-first) or "according".
    pattern: str = "right"
    # The written channel folded into ``name`` ("in a letter"), so a restatement that quotes
    # the article's own words can leave it out of the name instead of saying it twice.
    channel: str = ""
    # Quotations after a mid-quote speaker tag ('"Q1," X said. "Q2."'): the speaker's words,
    # though not the content, so they count as attributed rather than the outlet's voice.
    continued: Range | None = None
    # The pronoun as written when ``name`` describes it instead of naming an antecedent
    # ('the author ("I")', 'unidentified speaker ("he")'); ``unresolved`` when no antecedent
    # was safe, which the engine flags.
    pronoun: str = ""
    unresolved: bool = False
    # A name or a reputation ("known as X", "known for Y"): sourceless, but not a claim that
    # borrows authority, so no vague-attribution flag.
    naming: bool = False

    @property
    def vague(self) -> bool:
        return self.kind == "vague"

    @property
    def hull(self) -> Range:
        starts = [self.cue[0], self.content[0]]
        ends = [self.cue[1], self.content[1]]
        if self.continued is not None:
            ends.append(self.continued[1])
        if self.source is not None:
            starts.append(self.source[0])
            ends.append(self.source[1])
        return min(starts), max(ends)


# Longest stretch of a sentence examined on either side of a cue. Real sentences are far
# shorter; the cap keeps a pathological run-on "sentence" from making the work quadratic.
WINDOW = 1500
# Farthest a lookup reaches beyond the sentence into its paragraph (for the mark opening or
# closing a quotation, or a transcript's speech). News paragraphs are far shorter; without the
# cap every lookup in a one-line text of megabytes would scan the whole of it.
REACH = 5000


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: Unit

    def around(self, span: Range) -> Sentence:
        """This sentence, or the part of it (and of its paragraph) near ``span`` when long."""
        start, end = self.start, self.end
        if end - start > 2 * WINDOW:
            start, end = max(start, span[0] - WINDOW), min(end, span[1] + WINDOW)
        paragraph = self.paragraph
        low, high = max(paragraph.start, start - REACH), min(paragraph.end, end + REACH)
        if (low, high) != (paragraph.start, paragraph.end):
            paragraph = Unit(low, high, paragraph.kind)
        if (start, end, paragraph) == (self.start, self.end, self.paragraph):
            return self
        return Sentence(start, end, paragraph)


def make_attribution(
    text: str, src: Range | None, cue: Range, content: Range, pattern: str
) -> Attribution:
    phrase = text[src[0] : src[1]] if src is not None else ""
    lower = phrase.lower()
    if lower in RELATIVES and src is not None:
        name = _antecedent(text, src[0]) or phrase
        kind = classify(name)
    else:
        name = source_name(phrase) if phrase else "unnamed"
        kind = classify(phrase)
    channel = _WRITTEN_CHANNEL.match(text, cue[1])
    written = ""
    if channel is not None and src is not None:
        # "X said in a letter that ...": the letter is a document an analyst will look for.
        written = " ".join(channel.group(1).split())
        name = f"{name} ({written})"
    return Attribution(
        cue=cue,
        content=content,
        source=src,
        name=name,
        kind=kind,
        quote=quote_style(text, content),
        pattern=pattern,
        channel=written,
    )


def sourceless(text: str, cue: Range, content: Range, name: str, kind: str) -> Attribution:
    """An attribution with no source phrase ("it was reported that C", "Asked whether C")."""
    return Attribution(
        cue=cue,
        content=content,
        source=None,
        name=name,
        kind=kind,
        quote=quote_style(text, content),
        pattern="passive",
    )


# Numbers keep their thousands separators: "2,000 residents, who ...".
_ANTECEDENT = re.compile(
    r"(?:(?:the|a|an)\s+)?(?:(?:\d{1,3}(?:,\d{3})+|[\w.'\u2019-]+)\s+){0,5}[\w.'\u2019-]+$",
    re.IGNORECASE,
)


def _antecedent(text: str, position: int) -> str | None:
    """The noun phrase a relative pronoun refers to: "Jane Roe, who said" -> "Jane Roe"."""
    floor = max(0, position - 160)
    before = text[floor:position].rstrip().rstrip(",")
    # A match is at most seven words (none holds a space) running to the end, so it starts in
    # the last eight: searching from there finds the same match without trying every position.
    head = before.rsplit(maxsplit=8)
    found = _ANTECEDENT.search(before, len(head[0]) if len(head) > 8 else 0)
    if found is None:
        return None
    words = found.group().split()
    # Keep the trailing capitalised run, or the last few words.
    run: list[str] = []
    for word in reversed(words):
        particle = word.lower().startswith(("al-", "el-", "bin", "ibn", "de", "van", "von"))
        if word[:1].isupper() or particle or (run and word.lower() in {"the", "a", "an"}):
            run.insert(0, word)
        else:
            break
    if run:
        return " ".join(run)
    tail = words[-4:]
    # "... of more than 4,000 residents, who ...": the noun phrase starts after a preposition
    # (but keeps "more than": dropping it would misstate the number).
    while len(tail) > 1 and tail[0].lower() in _NOT_IN_NAME:
        tail = tail[1:]
    return " ".join(tail)


def quote_style(text: str, content: Range) -> str:
    chunk = text[content[0] : content[1]].strip()
    if not chunk:
        return "indirect"
    opens = chunk[0] in quotes.OPENERS or chunk.startswith(("''", "``"))
    closes = chunk[-1] in quotes.CLOSERS or chunk.endswith("''")
    if opens and closes:
        return "direct"
    if any(mark in chunk for mark in quotes.DOUBLE) or "''" in chunk:
        return "mixed"
    return "indirect"
