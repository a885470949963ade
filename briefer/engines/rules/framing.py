"""Outlet-voice framing for the rules engine: what the article asserts in its own voice."""

# ``detect_framing`` gets the character ranges the attribution side already gave to someone else
# (source + cue + content), widens them to what else is not the outlet's voice (quotations,
# clauses carrying on a claim, headlines crediting a source: framing_voice.py) and flags, outside
# them: loaded terms (evaluative ones; descriptive ones only when their context makes them a
# verdict), unattributed evaluative assertions, speculation, rhetorical questions, scare quotes,
# first-person writer's voice and headings that assert. Everything is regex-driven with patterns
# compiled once at import (the loaded-term lexicon is a single trie-shaped alternation), so a
# 3,000-character article takes a few milliseconds on one core.

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from briefer.engines.drafts import DraftFraming, SpanRef
from briefer.engines.rules import framing_lexicon as lex
from briefer.engines.rules import loaded_lexicon as loaded
from briefer.engines.rules.case_fold import Folded, lower_range, lowered
from briefer.engines.rules.framing_voice import (
    MAX_SCARE_WORDS,
    MIN_VOICE_WORDS,
    WORD,
    Voice,
    has_words,
    trim_clause,
)
from briefer.engines.rules.lexicon import trie_pattern
from briefer.engines.rules.regex_gate import gate
from briefer.ground import excerpt
from briefer.segment import Unit, sentences

# ---- compiled patterns --------------------------------------------------------------------

_GRADED = loaded.graded_terms()
# Hyphens count as word characters so "far-right" never matches inside "non-far-right".
_LOADED = re.compile(r"(?<![\w-])(?:" + trie_pattern(_GRADED) + r")(?![\w-])", re.IGNORECASE)
# A descriptive term becomes a verdict after an intensifier or before a sneering head noun, and
# a fringe label does when it is pinned on mainstream politics (see loaded_lexicon.py).
_FRINGE = frozenset(loaded.entries(loaded.FRINGE_LABELS))
_PROMOTED_BEFORE = re.compile(
    r"(?<![\w-])(?:" + "|".join(loaded.PROMOTING_INTENSIFIERS.split()) + r")\s+$", re.IGNORECASE
)
_SNEERING_AFTER = re.compile(
    r"[\s-]+(?:" + "|".join(loaded.SNEERING_HEADS.split()) + r")(?![\w-])", re.IGNORECASE
)
_MAINSTREAM_AFTER = re.compile(
    r"\s+(?:" + "|".join(loaded.MAINSTREAM_HEADS.split()) + r")(?![\w-])", re.IGNORECASE
)


def _cue_group(fragments: tuple[str, ...]) -> str:
    """Case-sensitive cue fragments as whole words, gated on their first letters."""
    body = "|".join(fragments)
    return gate(body) + r"(?<![\w-])(?:" + body + r")(?![\w-])"


_ASSERTION_REASONS = list(lex.ASSERTION_CUES)
_MODAL_REASONS = frozenset({lex.PRESCRIPTIVE})


def _assertion_group(index: int, reason: str) -> str:
    body = "|".join(lex.ASSERTION_CUES[reason])
    return rf"{gate(body, re.IGNORECASE)}(?P<a{index}>(?:{body}))(?![\w-])"


# One look-behind for all the groups, not one per group, and a gate on each group's first
# letters: both are tried at every position of every outlet-voice sentence.
_ASSERTION = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(_assertion_group(index, reason) for index, reason in enumerate(_ASSERTION_REASONS))
    + ")",
    re.IGNORECASE,
)
# The trie and the assertion groups scan lower-cased text where that finds the same spans.
_LOADED_SCAN = Folded.of(_LOADED)
_ASSERTION_SCAN = Folded.of(_ASSERTION)
# Modal verbs stay case-sensitive so the month "May" and question openers ("Could ...?") pass.
_SPECULATION = re.compile(_cue_group(lex.SPECULATION_CUES))

# The writer speaking as "we"/"I" outside any quotation is the outlet voicing its own view.
_FIRST_PERSON_WORDS = (
    r"(?:(?:[Ww]e|[Oo]urs?|us|[Oo]urselves|[Mm]y|me)(?![\w.'\u2019-])|"
    # A bare "I" is also a numeral ("World War I"); count it only as a clause subject.
    r"I(?=['\u2019](?:m|ve|d|ll)\b| (?:am|was|have|had|would|will|can|could|do|did|think|"
    r"believe|feel|suspect|wonder|guess|hope|fear|know)\b))"
)
_FIRST_PERSON = re.compile(gate(_FIRST_PERSON_WORDS) + r"(?<![\w.'\u2019-])" + _FIRST_PERSON_WORDS)
_SENTENCE_PUNCT = ".!?"
_CLOSERS = "\"'\u201d\u2019)]"

# A short quote in a sentence that reports or names speech ("called the plan 'a mistake'",
# "chanted 'Not my president'") borrows someone's words; only a quote in a sentence with no such
# verb is the outlet holding a term at arm's length.
_SPEECH_VERBS = """
dub describe refer scream shout chant yell warn vow urge ask tweet declare insist argue add
announce reply respond cite dismiss condemn denounce accuse suggest predict continue explain thank
criticize criticise mock deride decry complain recall admit reason contend assert maintain
acknowledge concede stress emphasize emphasise observe remark comment propose recommend demand
characterize characterise deem nickname lament boast joke counter retort tout hail laud threaten
mention invoke defend
""".split()
# Everyday nouns too ("a second term", "the state"): only their -ed/-ing forms report speech.
_SPEECH_NOUN_VERBS = """
call label brand term post note state claim answer promise pledge quote question attack blame
slam blast lash praise
""".split()
_SPEECH_CONTEXT = re.compile(
    r"(?<![\w-])(?:sa(?:y|ys|id|ying)|t(?:ell|ells|old|elling)|wr(?:ite|ites|ote|itten|iting)|"
    r"(?:" + "|".join(_SPEECH_VERBS) + r")(?:s|es|d|ed|ing|red|ring)?|"
    r"(?:" + "|".join(_SPEECH_NOUN_VERBS) + r")(?:d|ed|ing|led|ling|med|ming)|"
    r"clarif(?:y|ies|ied|ying)|quipp(?:ed|ing)|"
    r"the (?:words?|phrase|term|slogan|motto)|according to|whether|"
    r"in (?:a|an|his|her|their) (?:statement|letter|interview|speech|tweet|post|op-ed))(?![\w-])",
    re.IGNORECASE,
)
_ATTITUDE_CONTEXT = re.compile(r"(?<![\w-])" + lex.ATTITUDE_CONTEXT + r"(?![\w-])", re.IGNORECASE)
_APPROXIMATION = re.compile(lex.APPROXIMATION, re.IGNORECASE)
# The opener of the clause a modal sits in, up to four words before it.
_EMBEDDED_MODAL = re.compile(
    r"(?<![\w-])" + lex.EMBEDDING_OPENERS + r"\s+(?:[\w'\u2019-]+\s+){0,4}$", re.IGNORECASE
)
_NEWSROOM = re.compile(r"(?<![\w-])(?:" + lex.NEWSROOM_FIRST_PERSON + r")(?![\w-])")
_SPEECH_FRAGMENT = re.compile(r"(?:i|we|you|your|my|our|me|us|yes|no|ok|okay)\b", re.IGNORECASE)
_HEADLINE_VERBS = frozenset(lex.headline_verb_forms())
_HEADING_EVALUATIVE = frozenset(lex.HEADING_EVALUATIVE.split())
_FUNCTION_WORDS = frozenset(
    "a an the of in on at for to and or with by from about as its his her their our".split()
)

# ---- devices ------------------------------------------------------------------------------


def _item(text: str, start: int, end: int, device: str, note: str) -> DraftFraming:
    return DraftFraming(
        span=SpanRef(text=text[start:end], start=start, end=end),
        device=device,  # type: ignore[arg-type]
        note=note,
    )


def _is_name_like(text: str, start: int) -> bool:
    """A capitalised match mid-sentence is usually part of a name or title ("Radical Books")."""
    if not text[start].isupper():
        return False
    position = start - 1
    while position >= 0 and text[position] in " \t\"'\u201c\u2018(":
        position -= 1
    return position >= 0 and text[position] not in ".!?:\n"


@dataclass(frozen=True)
class _Term:
    start: int
    end: int
    kind: str


def _reported_terms(text: str, whole: bool = True) -> list[_Term]:
    """Loaded terms to report: evaluative ones, and descriptive ones their context promotes.

    ``whole`` for the article, whose lowered copy the other scans share; a heading's line is
    lowered on its own, leaving that copy be."""
    found: list[_Term] = []
    low = lowered(text) if whole else lower_range(text)
    for match in _LOADED_SCAN.finditer(text, low):
        lo, hi = match.span()
        term = text[lo:hi].lower()
        kind, grade = _GRADED.get(term, ("term", loaded.EVALUATIVE))
        if found and lo < found[-1].end:
            continue  # the head of a promoted phrase ("far-left mob") is reported with it
        if grade == loaded.DESCRIPTIVE:
            if kind != "term":
                continue  # descriptive verbs and idioms are never promoted
            before = _PROMOTED_BEFORE.search(text, max(0, lo - 24), lo)
            after = _SNEERING_AFTER.match(text, hi)
            if after is None and term in _FRINGE:
                after = _MAINSTREAM_AFTER.match(text, hi)
            if before is None and after is None:
                continue
            lo = before.start() if before else lo
            hi = after.end() if after else hi
            kind = "phrase"
        found.append(_Term(lo, hi, kind))
    return found


def _loaded_language(voice: Voice) -> list[DraftFraming]:
    text = voice.text
    items = []
    for term in _reported_terms(text):
        start, end, kind = term.start, term.end, term.kind
        # Buzzwords are often capitalised ("Deep State", "Orwellian"); other capitals are names.
        if voice.quoted.overlaps(start, end) or (kind != "buzzword" and _is_name_like(text, start)):
            continue
        if voice.spoken.overlaps(start, end) and kind != "speech verb":
            continue
        term_text = text[start:end]
        if kind == "speech verb":
            note = (
                f"loaded verb '{term_text}' characterises how the source spoke; the outlet's choice"
            )
        elif kind == "phrase":
            note = f"loaded phrase '{term_text}' in the outlet's own voice"
        elif kind == "epithet":
            note = f"epithet '{term_text}' labels people in the outlet's own voice"
        elif kind == "buzzword":
            note = f"partisan buzzword '{term_text}' carries a verdict in the outlet's own voice"
        else:
            note = f"loaded term '{term_text}' in the outlet's own voice"
        items.append(_item(text, start, end, "loaded_language", note))
    return items


def _scare_quotes(voice: Voice, units: list[Unit]) -> list[DraftFraming]:
    text = voice.text
    starts = [unit.start for unit in units]
    items = []
    for quote in voice.quotes:
        if not quote.closed or not 1 <= quote.words <= MAX_SCARE_WORDS:
            continue
        inner = text[quote.start + 1 : quote.end - 1].strip()
        raw = text[quote.start + 1 : quote.end - 1]
        if not inner or inner[-1] in _SENTENCE_PUNCT or raw != raw.strip():
            continue  # a full quoted sentence, or straight quotes paired across two quotations
        words = WORD.findall(inner)
        if all(word[0].isupper() or word[0].isdigit() for word in words if len(word) > 3):
            continue  # a title or name ("Game Night"), not a scare quote
        index = bisect_right(starts, quote.start) - 1
        unit = units[index] if index >= 0 else None
        if unit is None or unit.end < quote.end:
            continue
        before = text[unit.start : quote.start]
        if not before.strip(" (\u2014\u2013-"):
            continue  # a sentence that opens with a quotation is someone speaking
        if _SPEECH_FRAGMENT.match(inner):
            continue  # first/second person or an answer: someone's spoken words
        rest = before + " " + text[quote.end : unit.end]
        if _SPEECH_CONTEXT.search(rest):
            continue
        owner = voice.attributed.containing(quote.start, quote.end)
        if owner is not None and (owner[1] - owner[0]) > (quote.end - quote.start) + 3:
            continue  # inside someone's reported speech: a quoted fragment of what they said
        items.append(
            _item(
                text,
                quote.start,
                quote.end,
                "scare_quotes",
                f"quote marks around '{inner}' in the outlet's voice distance it from the term",
            )
        )
    return items


def _sentence_devices(voice: Voice, unit: Unit) -> list[DraftFraming]:
    text = voice.text
    # Short outlet-voice questions ("Who benefits?") count; assertions need a real clause.
    short_chunks = voice.outlet_chunks(unit, min_words=1)
    if not short_chunks:
        return []
    trimmed = trim_clause(text, unit.start, unit.end)
    whole = len(short_chunks) == 1 and short_chunks[0] == trimmed
    chunks = [c for c in short_chunks if has_words(text, *c, MIN_VOICE_WORDS)]
    items = []

    def span_for(position: int, pool: list[tuple[int, int]] = chunks) -> tuple[int, int] | None:
        for start, end in pool:
            if start <= position < end:
                return (unit.start, unit.end) if whole else (start, end)
        return None

    # Modal judgements ("should", "could") in a sentence that reports speech are usually part of
    # the reported content even when the attribution finder missed the clause. Asked only once
    # a modal or a hedge turns up, which few sentences have: the scan is costly. (A list, not
    # functools.cache: wrapping a function per sentence cost more than most scans it saved.)
    asked: list[bool] = []

    def reports_speech() -> bool:
        if not asked:
            asked.append(_SPEECH_CONTEXT.search(text, unit.start, unit.end) is not None)
        return asked[0]

    # Only a match starting in outlet voice counts: the scans start where that voice does.
    voice_start = short_chunks[0][0]
    chunk_start = chunks[0][0] if chunks else unit.end

    low = lowered(text, chunk_start, unit.end)
    for match in _ASSERTION_SCAN.finditer(text, low, chunk_start, unit.end):
        where = span_for(match.start())
        if where is None or voice.quoted.overlaps(*match.span()):
            continue
        reason = _ASSERTION_REASONS[int(match.lastgroup[1:])]  # type: ignore[index]
        if reason in _MODAL_REASONS and reports_speech():
            continue
        words = text[match.start() : match.end()]  # the match is over the lower-cased copy
        note = f"{reason} ('{excerpt(words, 50)}') in the outlet's own voice, unattributed"
        items.append(_item(text, *where, "unattributed_assertion", note))
        break

    for match in _SPECULATION.finditer(text, chunk_start, unit.end):
        where = span_for(match.start())
        if where is None or reports_speech() or voice.quoted.overlaps(*match.span()):
            continue
        if _ATTITUDE_CONTEXT.search(text, unit.start, unit.end):
            break  # someone's expectation is being reported ("fears that ... could")
        if not _is_forecast(text, unit.start, match.start()):
            continue
        note = f"hedged prediction ('{excerpt(match.group(), 50)}') offered by the outlet itself"
        items.append(_item(text, *where, "speculation", note))
        break

    newsroom: list[tuple[int, int]] | None = None
    for match in _FIRST_PERSON.finditer(text, voice_start, unit.end):
        where = span_for(match.start(), short_chunks)
        if where is None or voice.quoted.overlaps(*match.span()):
            continue
        if newsroom is None:
            newsroom = [m.span() for m in _NEWSROOM.finditer(text, unit.start, unit.end)]
        if any(lo <= match.start() < hi for lo, hi in newsroom):
            continue
        note = f"first-person '{match.group()}' outside any quotation: the writer's own view"
        items.append(_item(text, *where, "other", note))
        break

    tail = text[unit.start : unit.end].rstrip(_CLOSERS + " ")
    question_at = unit.start + len(tail) - 1
    where = span_for(question_at - 1, short_chunks) if tail.endswith("?") else None
    if where is not None and not voice.quoted.overlaps(question_at, question_at + 1):
        note = "question posed in the outlet's own voice steers the reader to an answer"
        items.append(_item(text, *where, "rhetorical_question", note))
    return items


def _is_forecast(text: str, floor: int, position: int) -> bool:
    """Whether a hedge at ``position`` guesses at an outcome, rather than estimating a number
    ("perhaps 15 stories") or sitting in a purpose, time or embedded-question clause."""
    if _APPROXIMATION.match(text, position):
        return False
    clause_start = max(floor, position - 60)
    for mark in ",;:(\u2014":
        clause_start = max(clause_start, text.rfind(mark, clause_start, position) + 1)
    return _EMBEDDED_MODAL.search(text, clause_start, position) is None


def heading_assertion(line: str) -> str | None:
    """Why a heading asserts a claim or judgement, or None for a neutral topical label."""
    tokens = [token.strip("'\u2019") for token in WORD.findall(line)]
    words = [token.lower() for token in tokens]
    if not words or all(w in lex.NEUTRAL_HEADING_WORDS or w in _FUNCTION_WORDS for w in words):
        return None
    if line.rstrip().endswith("!"):
        return "exclamatory heading"
    title_case = all(token[0].isupper() for token in tokens if len(token) > 3)
    for position, word in enumerate(words):
        # Mid-heading capitals in a sentence-case heading are names ("Beijing", "Reading").
        proper = position > 0 and tokens[position][0].isupper() and not title_case
        pair = f"{word} {words[position + 1]}" if position + 1 < len(words) else ""
        if (word in _HEADLINE_VERBS or pair in _HEADLINE_VERBS) and not proper:
            what = "an action" if word.endswith("ing") else "an event"
            return f"states {what} as fact ('{word}')"
        if (
            word.endswith("ing")
            and len(word) > 5
            and word not in lex.GERUND_NOT_VERB
            and not proper
        ):
            return f"states an action as fact ('{word}')"
        if (
            position > 0
            and not proper
            and word.endswith("ed")
            and len(word) > 4
            and word not in lex.PARTICIPLE_NOT_VERB
        ):
            return f"states an outcome as fact ('{word}')"
        if word in _HEADING_EVALUATIVE:
            return f"characterises the topic ('{word}')"
    terms = _reported_terms(line, whole=False)
    return f"uses loaded language ('{line[terms[0].start : terms[0].end]}')" if terms else None


def _heading(voice: Voice, unit: Unit) -> list[DraftFraming]:
    line = voice.text[unit.start : unit.end]
    if voice.speech.overlaps(unit.start, unit.end):
        return []
    reason = heading_assertion(line)
    if reason is None:
        return []
    note = f"heading {reason}: a claim in the outlet's voice, not a neutral label"
    return [_item(voice.text, unit.start, unit.end, "assertive_heading", note)]


def detect_framing(
    text: str,
    attributed: list[tuple[int, int]],
    units: list[Unit] | None = None,
    spoken: list[tuple[int, int]] | None = None,
) -> list[DraftFraming]:
    """Outlet-voice framing in ``text``; ``attributed`` ranges are other people's words.

    ``attributed`` are whole attributions (source + cue + content); ``spoken``, when given, are
    their contents: the words credited to the source. The source's description and the cue are
    the outlet's wording ("the disgraced aide said"), so loaded terms count there. ``units``
    are ``sentences(text)`` when the caller already has them.
    """
    units = sentences(text) if units is None else units
    voice = Voice.build(text, attributed, units, spoken)
    items = _loaded_language(voice)
    items += _scare_quotes(voice, units)
    for unit in units:
        if unit.kind == "heading":
            items += _heading(voice, unit)
        else:
            items += _sentence_devices(voice, unit)
    items.sort(key=lambda item: (item.span.start or 0, item.span.end or 0, item.device))
    return items
