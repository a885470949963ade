"""Who is speaking where: the parts of an article that are someone else's words, for framing."""

# Framing is only what the outlet says in its own voice, so before any device is looked for the
# text is split into other people's words (attributed ranges the attribution side found,
# quotations, clauses that continue an attributed claim, headlines that credit a source) and
# the rest. Everything is a linear scan or a regex compiled once at import.

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import islice

from briefer.engines.rules import framing_lexicon as lex
from briefer.segment import Unit

MAX_SCARE_WORDS = 4
# Below this many outlet-voice words a sentence fragment is a dangling clause, not an assertion.
MIN_VOICE_WORDS = 4

WORD = re.compile(r"[\w][\w'\u2019-]*")

# Double quotation marks and line ends; single curly quotes are paired by a regex of their own
# because the closing one is also the apostrophe.
_MARK = re.compile('[\u201c\u201d"\n]')
# The look-behind after the mark it checks the character before: the scan skips to the marks.
_SINGLE_QUOTE = re.compile(r"\u2018(?<!\w\u2018)[^\u2018\u2019\n]{1,60}\u2019(?![\w])")
# A straight quote right after one of these opens a quotation ("said \"yes\"", "(\"a\")").
_OPENS_AFTER = " \t([{/\u2014\u2013-"
# The writer as the source of an attribution ("I think", "we believe").
_FIRST_PERSON_SOURCE = re.compile(r"(?:I|[Ww]e)(?![\w'\u2019-])")
_TRAILING_CREDIT = re.compile(lex.TRAILING_CREDIT, re.IGNORECASE)
_NOT_SUBJECT = lex.HEADLINE_AUXILIARIES | lex.headline_verb_forms()

# A clause that carries on an attributed claim: a relative clause (", which has grown ...") or
# a participle of the same speech (", adding ...", ", citing ..."). Everything after it to the
# end of the sentence still belongs to the source.
_CONTINUATION = re.compile(
    r"[\"'\u201d\u2019)\s]*[,;\u2014\u2013]\s*(?:and\s+|but\s+also\s+)?(?:"
    + "|".join(lex.CONTINUATION_OPENERS.split())
    + r")(?![\w-])",
    re.IGNORECASE,
)


def merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@dataclass
class Ranges:
    """Sorted, disjoint ranges with fast overlap queries."""

    spans: list[tuple[int, int]]

    def __post_init__(self) -> None:
        self.spans = merge(self.spans)
        self._starts = [start for start, _ in self.spans]

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_right(self._starts, end - 1) - 1
        return index >= 0 and self.spans[index][1] > start

    def containing(self, start: int, end: int) -> tuple[int, int] | None:
        index = bisect_right(self._starts, start) - 1
        if index >= 0 and self.spans[index][1] >= end:
            return self.spans[index]
        return None

    def subtract(self, start: int, end: int) -> list[tuple[int, int]]:
        """Parts of ``[start, end)`` not covered by these ranges."""
        pieces: list[tuple[int, int]] = []
        position = start
        index = max(0, bisect_right(self._starts, start) - 1)
        while index < len(self.spans) and self.spans[index][0] < end:
            lo, hi = self.spans[index]
            if hi > position:
                if lo > position:
                    pieces.append((position, lo))
                position = max(position, hi)
            index += 1
        if position < end:
            pieces.append((position, end))
        return pieces


@dataclass(frozen=True)
class Quote:
    start: int  # at the opening mark (or the line start for a quote carried over)
    end: int  # after the closing mark (or the line end for an open quote)
    words: int
    closed: bool  # a mark at each end: only such a quote can be a scare quote


def _closes(text: str, position: int, line_start: int) -> bool:
    """Whether an unpaired straight quote ends a quotation ('able," he said')."""
    before = text[position - 1] if position > line_start else " "
    return before not in _OPENS_AFTER and not before.isdigit()


def find_quotes(text: str) -> list[Quote]:
    """Every quotation, line by line.

    Curly and straight marks pair with each other (copy often mixes them), a new opening mark
    ends a quote left open, an open quote runs to the line end, and a closing mark with no
    opening one before it on its line ends a quote carried over from an earlier paragraph (news
    style reopens, but does not close, each paragraph of a long quotation).
    """
    spans: list[tuple[int, int, bool]] = []
    line_start, open_at = 0, -1
    for match in _MARK.finditer(text):
        mark, position = match.group(), match.start()
        if mark == "\n":
            if open_at >= 0:
                spans.append((open_at, position, False))
            line_start, open_at = position + 1, -1
        elif open_at >= 0 and mark != "\u201c":
            spans.append((open_at, position + 1, True))
            open_at = -1
        elif mark == "\u201c" or (mark == '"' and not _closes(text, position, line_start)):
            if open_at >= 0:
                spans.append((open_at, position, False))
            open_at = position
        else:
            spans.append((line_start, position + 1, False))
    if open_at >= 0:
        spans.append((open_at, len(text), False))
    spans += [(m.start(), m.end(), True) for m in _SINGLE_QUOTE.finditer(text)]
    quotes = []
    for start, end, closed in sorted(spans):
        inner_start = start + 1 if text[start] in '\u201c"\u2018' else start
        words = len(WORD.findall(text, inner_start, end))
        quotes.append(Quote(start, end, words, closed and end - start > 1))
    return quotes


def continuations(
    text: str, attributed: list[tuple[int, int]], units: list[Unit]
) -> list[tuple[int, int]]:
    """Rests of sentences that carry on an attributed claim past where its content stops."""
    starts = [unit.start for unit in units]
    found = []
    for _, end in attributed:
        index = bisect_right(starts, end) - 1
        if index < 0 or units[index].end <= end:
            continue
        if _CONTINUATION.match(text, end, units[index].end):
            found.append((end, units[index].end))
    return found


def attributed_heading(line: str) -> bool:
    """Whether a headline credits its content to a source ("Auditors find ...", "..., UN says").

    Such a headline reports a claim, like "X said Y" in a sentence; a headline whose verb is
    the outlet's own ("slams", "ignores") is not one.
    """
    tokens = [token.strip("'\u2019") for token in WORD.findall(line)]
    words = [token.lower() for token in tokens]
    for position, word in enumerate(words[: lex.MAX_HEADLINE_SOURCE_WORDS + 1]):
        following = words[position + 1] if position + 1 < len(words) else ""
        if word in lex.HEADLINE_REPORTING_VERBS and following not in lex.PARTICLES_NOT_SPEECH:
            # The subject needs a content word: "The question ..." names no source.
            return any(w not in lex.DETERMINERS for w in words[:position])
        if word in _NOT_SUBJECT:
            break
    if _TRAILING_CREDIT.search(line):
        return True
    head, colon, rest = line.partition(":")
    head_words = head.split()
    return bool(colon and rest.strip()) and (
        any(word.lower().strip("'\u2019") in lex.SOURCE_NOUNS for word in head_words)
        and len(head_words) <= lex.MAX_HEADLINE_SOURCE_WORDS
    )


def _writer_speaks(text: str, start: int, end: int, quoted: Ranges) -> bool:
    """An attribution to "I"/"we" outside any quotation is the writer stating a view."""
    return _FIRST_PERSON_SOURCE.match(text, start, end) is not None and not quoted.overlaps(
        start, start + 1
    )


@dataclass
class Voice:
    """Which characters are someone else's words, and which are the outlet's."""

    text: str
    attributed: Ranges  # attributed ranges, their continuations and crediting headlines
    spoken: Ranges  # the words credited to a source: contents, continuations, headlines
    quotes: list[Quote]
    quoted: Ranges  # every quotation
    speech: Ranges  # attributed ranges plus quotations too long to be scare quotes

    @classmethod
    def build(
        cls,
        text: str,
        attributed: list[tuple[int, int]],
        units: list[Unit],
        spoken: list[tuple[int, int]] | None = None,
    ) -> Voice:
        quotes = find_quotes(text)
        quoted = Ranges([(q.start, q.end) for q in quotes])
        hulls = [h for h in merge(list(attributed)) if not _writer_speaks(text, *h, quoted)]
        owned = Ranges(hulls)
        # Without content ranges, the whole attribution counts as the source's words.
        contents = hulls if spoken is None else [c for c in spoken if owned.overlaps(*c)]
        credited = [(u.start, u.end) for u in units if u.kind == "heading"]
        credited = [c for c in credited if attributed_heading(text[c[0] : c[1]])]
        carried = [*continuations(text, hulls, units), *credited]
        long_quotes = [
            (q.start, q.end) for q in quotes if q.words > MAX_SCARE_WORDS or not q.closed
        ]
        return cls(
            text=text,
            attributed=Ranges([*hulls, *carried]),
            spoken=Ranges([*contents, *carried]),
            quotes=quotes,
            quoted=quoted,
            speech=Ranges([*hulls, *carried, *long_quotes]),
        )

    def outlet_chunks(self, unit: Unit, min_words: int = MIN_VOICE_WORDS) -> list[tuple[int, int]]:
        """The outlet-voice stretches of a sentence, trimmed, with at least ``min_words``."""
        chunks = []
        for start, end in self.speech.subtract(unit.start, unit.end):
            start, end = trim_clause(self.text, start, end)
            if has_words(self.text, start, end, min_words):
                chunks.append((start, end))
        return chunks


def has_words(text: str, start: int, end: int, count: int) -> bool:
    """Whether ``text[start:end]`` holds at least ``count`` words (it need not list them all)."""
    if count <= 1:
        return count < 1 or WORD.search(text, start, end) is not None
    return len(list(islice(WORD.finditer(text, start, end), count))) >= count


def trim_clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces and joining punctuation at the edges of a clause."""
    while start < end and (text[start].isspace() or text[start] in ",;:\u2014\u2013-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:\u2014\u2013-("):
        end -= 1
    return start, end
