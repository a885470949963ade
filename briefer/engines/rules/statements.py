"""Short restatements of attributions, built from the article's own words."""

# A restatement must never say something the article does not: "The authority denied that money was
# lost" must not become "The authority said that money was lost". So the verb is always the cue as
# written ("denied", "has asked", "did not respond"), never a neutral "said" put in its place, and
# the words between the cue and the content ("told reporters that") are kept:
#
# - ``X said (that) C`` / ``X denied C``: ``<source> <cue ... content>`` as written;
# - ``"Q," X said`` / ``"Q," said X``: ``<source> <cue>: "Q"``;
# - ``According to X, C``: ``According to <source>, C``; ``C, according to X`` keeps its order;
# - ``it was reported that C``: ``It was reported that C``;
# - a nested claim (the report, via the AP) is prefixed ``According to the AP, ...``.

from __future__ import annotations

import re
from dataclasses import replace

from briefer.engines.rules import quotes
from briefer.engines.rules.attribution import Attribution
from briefer.engines.rules.lexicon import FORMS, inflections, lemma_of

MAX_CONTENT_WORDS = 40
# Words the article may put between a cue and its content ("told reporters on Monday that");
# a longer gap is more likely another clause, which the restatement should not carry.
_MAX_BRIDGE_WORDS = 10
# After the cue of a quotation-first attribution ('"Q," she told reporters on Monday.').
_MAX_TAIL_WORDS = 8
# Content that already opens with a complementiser or quotation needs no "that".
_OPENS_CLAUSE = re.compile(
    r"(?:that|whether|if|how|why|what|when|where|who|to)\b|[\"\u201c\u201e\u00ab'\u2018`]",
    re.IGNORECASE,
)
_AS_BEFORE = re.compile(r"\b[Aa]s\s+$")
_COMMA_QUOTE = re.compile(r",([\"\u201d\u00bb]|'')")
_SENTENCE_BREAK = re.compile(r"[.!?]\s")
_CONJUNCTIONS = frozenset("but and or yet so because although though while whereas".split())
_LEMMAS = frozenset(FORMS.values())
# Pronouns a described name ("the author") cannot stand in for without breaking agreement.
_NON_THIRD = frozenset("i me we us you".split())
_WORD = re.compile(r"[\w'\u2019-]+")


def statement_for(text: str, item: Attribution) -> str:
    """A one-line restatement of ``item`` that keeps the article's cue and wording."""
    if item.pronoun.lower() in _NON_THIRD:
        # 'the author ("I") think' would not agree: the pronoun stays the verb's subject.
        own = statement_for(text, replace(item, name=item.pronoun, pronoun=""))
        return f"{_capital(item.name)}: {own}"
    cue = _clean(text[item.cue[0] : item.cue[1]])
    content = _content_text(text, item)
    name = item.name
    as_word = (
        _AS_BEFORE.search(text, max(0, item.source[0] - 6), item.source[0])
        if (item.source is not None)
        else None
    )
    if item.source is None:
        statement = _sourceless(text, item, cue, content)
    elif as_word is not None:
        # "The problem is not X, as critics imagine": the critics imagine X, not "not X", so
        # an "as" clause is quoted as the article words it, never rearranged.
        start = min(item.content[0], as_word.start())
        end = max(item.content[1], item.cue[1])
        statement = _truncate(_clean(text[start:end]).rstrip(" ,"))
    elif not any(ch.isalnum() for ch in cue):
        # A speaker label or a dash credit ("Kim: ...", '"Q." -- Kim'): the mark is the cue.
        statement = f"{name}: {content}"
    elif item.pattern == "according":
        if item.content[0] < item.cue[0]:
            statement = f"{content}, {cue} {name}"  # "C, according to X": the article's order
        else:
            statement = _join(_capital(cue), f"{name},", content)
    elif item.content[1] <= item.cue[0] or (
        item.pattern == "left" and item.content[0] < item.cue[0]
    ):
        statement = _content_first(text, item, name, cue, content)
    elif item.content[0] < item.cue[0] < item.content[1]:
        # "The trouble, Kerr writes, began early": the content wraps around the tag.
        statement = _join(_name(item, ""), f"{cue}:", content)
    else:
        statement = _content_after(text, item, name, cue, content)
    if item.via:
        # The outermost attribution first: "According to the AP, the report reveals ...".
        chain = f"According to {item.via[0]}"
        if len(item.via) > 1:
            chain += f" (citing {', '.join(item.via[1:])})"
        statement = f"{chain}, {_lower_first(statement, item)}"
    return _capital(statement)


def _sourceless(text: str, item: Attribution, cue: str, content: str) -> str:
    """``it was reported that C`` keeps its own words; an unsourced question says so."""
    if item.content[0] <= item.cue[0] and item.cue[1] <= item.content[1]:
        # "The vote is widely expected to pass", "The firm is reportedly in talks": the cue
        # sits inside the clause it hedges, so the clause as written says it all.
        return _truncate(_clean(text[item.content[0] : item.content[1]]))
    if item.naming:
        return _join(_capital(cue), content)  # "Known as the Long Mole": a name, no claim
    if item.pattern == "passive" and item.kind == "vague":
        bridge = _bridge(text, item.cue[1], item.content[0])
        return _join("It", cue, bridge, content)
    return _join(item.name, cue.lower(), content)


def _content_after(text: str, item: Attribution, name: str, cue: str, content: str) -> str:
    """``X denied that C`` / ``X told reporters that C``: the article's words from the cue on."""
    bridge = _bridge(text, item.cue[1], item.content[0])
    if bridge is None:
        return _join(_name(item, ""), cue, content)
    cue = _finite(cue)
    body = _join(bridge, content)
    if not bridge and lemma_of(cue.split()[-1]) == "say" and not _OPENS_CLAUSE.match(content):
        # "said the border will reopen" -> "said that ...": the same meaning, easier to scan.
        body = f"that {content}" if content[:1].islower() else content
    return _join(_name(item, bridge), cue, body)


def _finite(cue: str) -> str:
    """ "describing" -> "described": a participle cue ("X denied C, describing D") has no
    subject of its own, so the restatement uses the same verb's past tense."""
    words = cue.split()
    last = words[-1]
    if len(words) > 1 or not last.lower().endswith("ing"):
        return cue  # "are seeking" has its tense already
    lemma = lemma_of(last)
    if lemma == last.lower() or " " in lemma:
        lemma = lemma_of(" ".join(words[-1:]))
    forms = inflections(lemma) if lemma in _LEMMAS else ()
    if len(forms) < 4 or forms[-1] != last.lower():
        return cue
    return " ".join([*words[:-1], forms[2]])


def _content_first(text: str, item: Attribution, name: str, cue: str, content: str) -> str:
    """``"Q," X said`` -> ``X said: "Q"``, with a short tail ("told reporters on Monday")."""
    assert item.source is not None
    tail = ""
    if item.source[0] < item.cue[0]:
        end = _sentence_end(text, item.cue[1])
        words = _clean(text[item.cue[1] : end]).strip(" .,;:!?")
        if (
            words
            and item.quote == "direct"
            and len(words.split()) <= _MAX_TAIL_WORDS
            and not any(mark in words for mark in quotes.DOUBLE)
            and words.split()[0].lower() not in _CONJUNCTIONS
        ):
            tail = words  # "told reporters on Monday", not "but design" (another clause)
    verb = _join(cue, tail)
    return _join(_name(item, tail), f"{verb}:", content)


def _content_text(text: str, item: Attribution) -> str:
    """The content's words, less a source and cue that interrupt it ('"Q1," X said, "Q2."')."""
    start, end = item.content
    tag = [item.cue]
    if item.source is not None:
        tag.append(item.source)
    tag_start = min(span[0] for span in tag)
    tag_end = max(span[1] for span in tag)
    if start < tag_start and tag_end < end:
        head = _clean(text[start:tag_start]).rstrip(" ,")
        rest = text[tag_end:end]
        if quotes.starts_with_quote(text, start) and not quotes.unclosed(text, start, tag_start):
            # '"Q1," X told reporters, "Q2."': the tag's own tail runs up to the next
            # quotation, and the gap is marked, since the two quotations were not adjacent.
            opening = re.search(r"[\"\u201c\u201e\u00ab]|``", rest)
            tail = _clean(rest[opening.start() :] if opening else rest).lstrip(" ,;:")
            words = f"{_unquote_comma(head)} \u2026 {tail}" if tail else head
        else:
            # "the losses, its statement insisted, were errors": only the tag comes out; every
            # other word stays, so nothing (a "not", say) can be lost.
            words = _join(head, _clean(rest).lstrip(" ,"))
    else:
        words = _clean(text[start:end])
    return _truncate(_unquote_comma(words))


def _truncate(content: str) -> str:
    words = content.split()
    if len(words) <= MAX_CONTENT_WORDS:
        return content
    cut = " ".join(words[:MAX_CONTENT_WORDS])
    # A quotation cut short still closes, so the restatement's own words stay outside it.
    closing = "\u201d" if cut.count("\u201c") > cut.count("\u201d") else ""
    if not closing and cut.count('"') % 2 == 1:
        closing = '"'
    return f"{cut}\u2026{closing}"


def _unquote_comma(words: str) -> str:
    """'"Q,"' -> '"Q"': the comma belonged to the sentence the quotation was cut from."""
    return _COMMA_QUOTE.sub(r"\1", words) if "," in words else words


def _bridge(text: str, start: int, end: int) -> str | None:
    """The words between a cue and its content, or None when they are too many to carry."""
    if end < start:
        return None
    words = _clean(text[start:end])
    if len(words.split()) > _MAX_BRIDGE_WORDS or _SENTENCE_BREAK.search(words + " "):
        return None
    return words


def _name(item: Attribution, carried: str) -> str:
    """The source name as a verb's subject, less a channel the carried words already say."""
    name = item.name
    if item.channel and item.channel.lower() in carried.lower():
        suffix = f" ({item.channel})"
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if "," in name and not name.endswith(")"):
        name += ","  # an appositive closes before the verb: "Jo Li, a nurse, said"
    return name


def _sentence_end(text: str, position: int) -> int:
    found = re.search(r"[.!?](?=[\s\"\u201d']|$)|\n", text[position : position + 300])
    return position + found.start() if found else min(len(text), position + 300)


def _join(*parts: str | None) -> str:
    """Pieces joined by spaces, dropping a word repeated where two meet ("said said")."""
    joined = ""
    for part in parts:
        if not part:
            continue
        if joined:
            last = joined.split()[-1].strip(",:").lower()
            first, _, rest = part.partition(" ")
            if first.lower() == last and first.isalpha():
                part = rest
            if not part:
                continue
            joined += " "
        joined += part
    return joined


def _clean(words: str) -> str:
    # Every run of white space as one space, none at the ends: what re.sub(r"\s+", " ", words)
    # and strip() give (both go by str.isspace), without a regex substitution for every claim.
    return " ".join(words.split())


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _lower_first(statement: str, item: Attribution) -> str:
    """Lower a leading article the name brought ("The report" -> "the report")."""
    first = statement.split(" ", 1)[0]
    if first in {"The", "A", "An"} and item.name.split(" ", 1)[0] == first:
        return first.lower() + statement[len(first) :]
    return statement
