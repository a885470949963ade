"""Attribution relations (source, cue, content) found with lexical and punctuation patterns.

Patterns, per sentence, around every cue the lexicon matches:

- ``X said (that) C`` / ``X told Y that C`` / ``X said: "Q"`` -- content to the right;
- ``"Q," X said`` / ``"Q," said X`` / ``C, X said.`` -- content to the left;
- ``According to X, C`` / ``C, according to X`` / ``As X said, C``;
- ``it was reported that C`` -- no source;
- pronoun and relative-pronoun sources (``he said``, ``..., who said``).

A leading dateline ("CALDER BAY \u2014") is not part of the sentence. Quotations that run on
over following sentences of the paragraph extend the content, except after a quotation-first
speaker tag ('"Q1," X said. "Q2."'), where the content stays Q1 (see ``content.run_on``). An
attribution found inside another one's content either nests (``According to the AP, the
report reveals that C`` gives C to the report, via the AP) or is dropped as part of it.
Pronoun sources keep the pronoun as their span but take a safe antecedent's name
(``antecedents.py``).
"""

from __future__ import annotations

import re

from briefer.engines.rules import quotes
from briefer.engines.rules.antecedents import (
    expand_definite_descriptions,
    expand_surnames,
    resolve_pronouns,
)
from briefer.engines.rules.content import (
    RELATIVE_END,
    TRIVIAL_RIGHT,
    clausal,
    content_end,
    content_right,
    quote_extend,
    quote_tail,
    run_on,
)
from briefer.engines.rules.grammar import (
    ADVERBS,
    ARTICLES,
    AUX,
    BE,
    DETERMINERS,
    INTRO,
    PREPOSITIONS,
    QUOTE_ONLY_VERBS,
)
from briefer.engines.rules.lexicon import (
    ACCORDING_RE,
    CLAUSAL_ONLY,
    CUE_RE,
    FORMS,
    NOUN_LIKE,
    PASSIVE_RE,
    lemma_of,
)
from briefer.engines.rules.nesting import dedupe, resolve
from briefer.engines.rules.phrases import (
    SUBJECT,
    cue_prefix,
    phrase_range,
    plausible_source,
    sentence_subject,
    source_after,
    source_left,
    source_right,
)
from briefer.engines.rules.relation import (
    REACH,
    Attribution,
    Range,
    Sentence,
    make_attribution,
    quote_style,
)
from briefer.engines.rules.sources import (
    PERSONAL_PRONOUNS,
    PRONOUNS,
    RELATIVES,
    speaks,
)
from briefer.engines.rules.text_ranges import (
    QUOTE_CHARS,
    RangeIndex,
    closing_quote_before,
    just_after_comma,
    next_word,
    quote_before,
    rstrip_end,
    skip_intro,
    skip_space,
    trim_range,
    words_before,
)
from briefer.segment import Unit, paragraphs, sentences

# A speaker label: a capitalised name (with an optional title word) before a colon.
_COLON_RE = re.compile(r"[A-Za-z.)](?P<colon>:)\s+\S")

_NAME_RUN = re.compile(
    r"(?:(?:[A-Z][\w-]*\s+)?(?:pollster|spokes(?:man|woman|person)|analyst|strategist|adviser|"
    r"advisor|senator|governor|candidate|director|chairman|president|secretary|official)\s+)?"
    r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.\s+)?[A-Z][\w'\u2019.-]*(?:\s+(?:[A-Z][\w'\u2019.-]*|"
    r"of|the|de|al|bin))*(?:\s+to\s+[A-Z][\w\s'\u2019.-]{0,40})?\s*$"
)

# "Time: 10 a.m." and other form labels are not speakers.
_LABELS = frozenset(
    """the latest breaking live exclusive opinion analysis editorial commentary review poll
    fact check watch listen timeline recap
    time date dates location place where when note notes update updated source sources photo
    image video watch read related correction editor disclaimer warning price cost tags tag
    category share follow subscribe q a answer question topic subject title headline byline
    contact email phone address website web site via credit credits caption listen""".split()
)

# A headline's deck after a colon: an embedded question ("How X Did Y") or a "Why/Inside ..."
# teaser. A wh-clause that is not itself a question is the standard shape of a title's second
# half, not of anything a speaker is reported as saying.
_HEADLINE_DECK = re.compile(
    r"(?:How|Why|What|When|Where|Who|Inside|Behind)\b(?![^\n]*\?\s*$)", re.IGNORECASE
)

# A sentence opening with a condition: "If ...", "Unless ...", "Even if ...".
_CONDITIONAL = re.compile(r"(?:[Ee]ven\s+if|[Ii]f|[Uu]nless|[Pp]rovided|[Ss]hould)\s")

# The first half of an equative comparison, right before its second "as": "as bad as".
_EQUATIVE = re.compile(r"\bas\s+(?:\w+\s+){1,2}$", re.IGNORECASE)

# A speaker's own voice in a heading ("Mayor Lin: Why I Will Run"): a title deck has none.
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I\u2019m|[Ww]e|[Mm]y|[Oo]ur|[Uu]s|[Mm]e)\b")

_DASH_CREDIT = re.compile(
    r"(?:''|[\"\u201d])[\s\u00a0]*(?P<dash>[\u2015\u2014\u2013]|--)[\s\u00a0]*"
    r"(?P<name>[A-Z][\w'\u2019.-]*(?:[ \u00a0]+[A-Z][\w'\u2019.-]*){0,4})"
    r"[ \u00a0]*\.?[ \u00a0]*(?=\n|$)"
)

# ", and the council ...": a coordinated clause with a subject of its own.
_NEW_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas|yet)\s+(?=(?:the|a|an|[A-Z])\b)")

# A sentence opening with a participial phrase: "Reached by telephone, ...", "Asked about X, ...".
_LEADING_PARTICIPLE = re.compile(r"[A-Z][a-z]+(?:ed|en|ing)\b[^,;:\"\u201c]{0,60},\s*")

_QUESTION_CLOSE = re.compile(r"[?!](?:''|[\"\u201d])$")

# A dateline opening a story: an all-capitals place name, perhaps a region and a wire credit,
# then a dash ("HALDEN, Norway (AP) \u2014 "). It says where the story was filed, not who
# said what, so the sentence proper starts after it.
_DATELINE = re.compile(
    r"[A-Z][A-Z'.-]+(?:[ \u00a0]+[A-Z][A-Z'.-]*){0,4}"
    r"(?:,[ \u00a0]+[A-Z][\w.]*(?:[ \u00a0]+[A-Z][\w.]*){0,2})?"
    r"(?:[ \u00a0]*\([^()\n]{1,40}\))?[ \u00a0]*(?:\u2014|\u2013|--|-)[ \u00a0]+(?=\S)"
)


def find_attributions(text: str) -> list[Attribution]:
    """Every attribution in ``text``, nested ones resolved, in text order."""
    return find_all(text)[0]


def find_all(text: str) -> tuple[list[Attribution], list[Attribution]]:
    """Attributions kept, and vague ones folded into another (still worth flagging)."""
    found: list[Attribution] = []
    folded: list[Attribution] = []
    spans: list[Range] = []  # every sentence, for pronoun antecedents
    for paragraph in paragraphs(text):
        units = _join_quote_tails(text, sentences(text, paragraph))
        quoted = quotes.Quoted(quotes.regions(text, paragraph.start, paragraph.end))
        credits = _dash_credits(text, paragraph)
        found.extend(credits)
        credited = RangeIndex([item.hull for item in credits])
        for index, unit in enumerate(units):
            if credited.overlaps((unit.start, unit.end)):
                continue
            sentence = Sentence(_after_dateline(text, unit.start, unit.end), unit.end, paragraph)
            if unit.kind == "sentence":
                spans.append((sentence.start, sentence.end))
            local: list[Attribution] = []
            for match in ACCORDING_RE.finditer(text, unit.start, unit.end):
                if quoted.encloses(match.span()):
                    continue
                item = _according(text, sentence.around(match.span()), *match.span())
                if item is not None:
                    local.append(item)
            for match in PASSIVE_RE.finditer(text, unit.start, unit.end):
                if quoted.encloses(match.span()):
                    continue
                item = _passive(text, sentence.around(match.span()), *match.span())
                if item is not None:
                    local.append(item)
            for match in _COLON_RE.finditer(text, unit.start, unit.end):
                colon = match.start("colon")
                item = _colon(text, sentence.around((colon, colon + 1)), colon, quoted)
                if item is not None:
                    local.append(item)
            # Cue words never overlap each other; only the phrase patterns above can claim one.
            claimed = RangeIndex([item.cue for item in local])
            for match in CUE_RE.finditer(text, unit.start, unit.end):
                if quoted.encloses(match.span()):
                    continue  # a cue inside a quotation belongs to the quoted speaker's words
                if claimed.overlaps(match.span()):
                    continue
                item = _from_cue(
                    text, sentence.around(match.span()), match.start(), match.end(), local
                )
                if item is not None:
                    local.append(item)
            for item in local:
                run_on(text, item, units, index, quoted)
            kept, dropped = resolve(text, local)
            found.extend(kept)
            folded.extend(item for item in dropped if item.vague)
    # "Its architects knew it": content that is only a pronoun or a function word or two
    # tells a reader nothing about what was said, so it is no claim worth a briefing item.
    kept = [item for item in dedupe(found) if not _thin(text, item.content)]
    resolve_pronouns(text, kept, spans)
    expand_surnames(kept)
    expand_definite_descriptions(kept)
    return kept, folded


def _dash_credits(text: str, paragraph: Unit) -> list[Attribution]:
    """'"Quotation." \u2015 Jo Li': a quotation credited after a dash (lists of reactions)."""
    found: list[Attribution] = []
    for match in _DASH_CREDIT.finditer(text, paragraph.start, paragraph.end):
        close = match.start("dash")
        while close > paragraph.start and text[close - 1].isspace():
            close -= 1
        floor = max(paragraph.start, close - REACH)
        open_at = quotes.opening_before(text, close - 1, floor)
        if open_at == -1 and text[close - 1] == "\u201d":
            open_at = text.rfind("\u201c", floor, close - 1)
        if open_at == -1:
            continue
        src = trim_range(text, match.start("name"), match.end("name"))
        found.append(make_attribution(text, src, match.span("dash"), (open_at, close), "left"))
    return found


def _after_dateline(text: str, start: int, end: int) -> int:
    """Where a sentence starts once a leading dateline ("CALDER BAY \u2014") is skipped."""
    found = _DATELINE.match(text, start, end)
    if found is None or not text[found.end() : found.end() + 1].isalpha():
        return start
    return found.end()


def _join_quote_tails(text: str, units: list[Unit]) -> list[Unit]:
    """'"Ready?" Kim asked.' splits after the question mark; put the speaker back."""
    joined: list[Unit] = []
    for unit in units:
        if joined and unit.kind == "sentence" and joined[-1].kind == "sentence":
            last = text[joined[-1].start : joined[-1].end]
            tail = text[unit.start : unit.end]
            if (
                _QUESTION_CLOSE.search(last)
                and len(tail.split()) <= 8
                and (cue := CUE_RE.search(tail)) is not None
                and TRIVIAL_RIGHT.fullmatch(tail[cue.end() :])
            ):
                joined[-1] = Unit(joined[-1].start, unit.end, "sentence")
                continue
        joined.append(unit)
    return joined


def _from_cue(
    text: str, sentence: Sentence, c0: int, c1: int, local: list[Attribution] | None = None
) -> Attribution | None:
    local = local if local is not None else []
    form = " ".join(text[c0:c1].lower().split())
    lemma = lemma_of(form)
    verb = form.split()[0]  # the inflected word of a phrase cue ("referring to")
    s0, s1 = sentence.start, sentence.end
    left_words = words_before(text, s0, c0, 6)
    previous = left_words[-1][2].lower() if left_words else ""
    following = next_word(text, c1, s1)

    if previous == "to" or (previous in PREPOSITIONS and verb.endswith("ing")):
        return None  # infinitive or gerund: the subject is elsewhere
    if previous in ARTICLES or (
        previous.endswith(("'s", "\u2019s")) and (form == lemma or lemma in NOUN_LIKE)
    ):
        return None  # a noun: "the report", "Trump's claim"
    is_base = form == lemma or form in (lemma + "s", lemma + "es")
    if (
        lemma in NOUN_LIKE
        and is_base
        and not _verb_context(previous, following)
        and not (_plural_noun(previous) and _verb_after_plural(text, c1, s1, following))
    ):
        return None
    if previous in BE and verb.endswith(("ed", "en", "wn", "ld", "ght")) and lemma != "say":
        return None  # passive ("is expected to"); the PASSIVE_RE handles "it is believed"
    if (
        lemma in NOUN_LIKE
        and is_base
        and (following.lower() in FORMS or following.lower() in {"by", "of"})
    ):
        return None  # "the report shows" is matched on "shows", not "report"
    if (
        just_after_comma(text, s0, c0)
        and verb.endswith(("ed", "en"))
        and not quote_before(text, s0, c0)
        and not _after_appositive(text, s0, c0)
    ):
        return None  # participial clause: ", asked about it, ..."

    if verb in {"called", "named", "dubbed", "titled", "labeled", "labelled"} and _naming(
        left_words
    ):
        return None  # "a group called Occupy": a name, not an attribution
    cue_start = cue_prefix(text, s0, c0)
    right = text[c1:s1]
    if lemma == "ask" and form == "asked" and previous in {"", "when", "after", "while", "once"}:
        # "Asked whether he would run, the senator said ...": the question has no source.
        comma = text.find(",", c1, s1)
        content = trim_range(text, c1, comma if comma != -1 else s1)
        if content[1] - content[0] < 3:
            return None
        return _sourceless(text, (cue_start, c1), content, "unnamed questioner", "anonymous")

    # "Q," X said / "Q," said X / C, X said.
    if TRIVIAL_RIGHT.fullmatch(right) or closing_quote_before(
        text, s0, rstrip_end(text, s0, cue_start)
    ):
        item = _content_left(text, sentence, cue_start, c0, c1, lemma)
        if item is not None and (lemma not in QUOTE_ONLY_VERBS or item.quote == "direct"):
            return item
    before_word = words_before(text, s0, cue_start, 1)
    if (
        verb.endswith("ing")
        and lemma not in QUOTE_ONLY_VERBS
        and (
            just_after_comma(text, s0, cue_start)
            or (
                before_word
                and before_word[-1][2].lower() not in BE | PERSONAL_PRONOUNS | RELATIVES
                and lemma not in NOUN_LIKE
                and _opens_clause(following)
                and _participle_ok(text, s0, cue_start)
            )
        )
    ):
        return _participle(text, sentence, cue_start, c1, lemma, local)
    before_cue = words_before(text, s0, cue_start, 1)
    if before_cue and before_cue[-1][2].lower() in {"and", "but"} and form != lemma:
        # "X criticised the plan and said C": the clause's subject is the source.
        subject = sentence_subject(text, s0, before_cue[-1][0])
        content = content_right(text, sentence, c1, lemma)
        if subject is None or content is None:
            return None
        return make_attribution(text, subject, (cue_start, c1), content, "right")
    if lemma in QUOTE_ONLY_VERBS:
        return None  # "continued" reports speech only next to a quotation
    parenthetical = _parenthetical(text, sentence, cue_start, c1)
    if parenthetical is not None:
        return parenthetical
    source = source_left(text, s0, cue_start)
    if source is None:
        return None
    src, as_clause = source
    if as_clause:
        return _as_clause(text, sentence, src, (cue_start, c1))
    if _prediction(text, src, (cue_start, c1), lemma):
        return None
    content = content_right(text, sentence, c1, lemma)
    if content is None:
        return None
    if lemma in CLAUSAL_ONLY and not clausal(text, content):
        return None
    if text.startswith(":", c1):
        c1 += 1  # 'She said: "..."' -- the colon introduces the quotation with the verb
    if text[src[0] : src[1]].lower() in RELATIVES:
        # "residents who had commented on the plan, and the council still cannot say ...": a
        # clause coordinated after a relative clause is the main sentence going on.
        joint = _NEW_CLAUSE.search(text, content[0], content[1])
        if joint is not None:
            content = trim_range(text, content[0], joint.start())
    if _relative_clause_source(text, s0, src):
        # "Jo Li, who knew the plan would fail, told aides ..." and "The audit, which the
        # agency said it had reviewed, was ...": the relative clause ends at the comma before
        # the main verb.
        close = RELATIVE_END.search(text, content[0], content[1])
        if close is not None:
            content = trim_range(text, content[0], close.start())
    return make_attribution(text, src, (cue_start, c1), content, "right")


# Closed-class words: content made only of these ("it", "so", "that one") carries no claim.
_FUNCTION_WORDS = (
    PRONOUNS
    | DETERMINERS
    | PREPOSITIONS
    | AUX
    | BE
    | frozenset("him her them me us it's its so too not there this".split())
)
_WORD = re.compile(r"[\w'\u2019-]+")


def _thin(text: str, content: Range) -> bool:
    """Whether the content is at most two words, none of them a content word."""
    words = _WORD.findall(text, *content)
    return len(words) <= 2 and all(word.lower() in _FUNCTION_WORDS for word in words)


# Memory and perception verbs: "voters will not forget" predicts what people will think.
_MEMORY_VERBS = frozenset(
    "forget remember know learn notice see realize realise recognize recognise understand".split()
)
_FUTURE = frozenset("will won't won\u2019t shall 'll \u2019ll".split())


def _prediction(text: str, src: Range, cue: Range, lemma: str) -> bool:
    """'Voters will not forget who looked away': a forecast about what a generic, unquantified
    group will remember is the outlet's speculation, not anything the group said."""
    if lemma not in _MEMORY_VERBS:
        return False
    if not _FUTURE & {word.lower() for word in _WORD.findall(text, *cue)}:
        return False
    phrase = text[src[0] : src[1]].split()
    # A bare plural ("voters", "local taxpayers"; capitalised only at the sentence start): no
    # determiner, no name, no number, so it is a whole class of people, not anyone who spoke.
    return (
        0 < len(phrase) <= 2
        and all(w.isalpha() and w[1:].islower() for w in phrase)
        and all(w.islower() for w in phrase[1:])
        and phrase[0].lower() not in DETERMINERS
        and phrase[-1].endswith("s")
    )


def _relative_clause_source(text: str, s0: int, src: Range) -> bool:
    """Whether the source opens a relative clause set off by a comma (", who" / ", which X")."""
    if text[src[0] : src[1]].lower() in RELATIVES:
        end = rstrip_end(text, 0, src[0])  # not text[:src[0]]: a copy per cue is quadratic
        return text[end - 1 : end] == ","
    before = words_before(text, s0, src[0], 2)
    return len(before) == 2 and before[-1][2].lower() in {"which", "whom"} and before[0][2] == ","


def _after_appositive(text: str, s0: int, c0: int) -> bool:
    """'Jo Li, the party treasurer, denied ...': the comma closes an appositive to a name
    opening the sentence, so the -ed word is the main verb, not a participial clause."""
    found = source_left(text, s0, c0)
    if found is None:
        return False
    src = found[0]
    phrase = text[src[0] : src[1]]
    return src[0] == s0 and phrase.count(",") == 2 and phrase[:1].isupper()


def _naming(words: list[tuple[int, int, str]]) -> bool:
    """'a group called X': a singular common noun with its determiner right before the verb."""
    if not words:
        return False
    last = words[-1][2]
    if not last.isalpha() or not last.islower() or last.endswith("s") or last in AUX:
        return False
    return any(w[2].lower() in ARTICLES for w in words[-3:-1])


def _plural_noun(word: str) -> bool:
    return word.isalpha() and word.islower() and word.endswith("s") and not word.endswith("ss")


def _verb_after_plural(text: str, c1: int, s1: int, following: str) -> bool:
    """'Records show C' / 'C, records show.': a plural subject, then a clause or nothing."""
    return _opens_clause(following) or TRIVIAL_RIGHT.fullmatch(text[c1:s1]) is not None


def _verb_context(previous: str, following: str) -> bool:
    """Whether a noun-like cue word ("report", "claim") is used as a verb here."""
    if previous in PERSONAL_PRONOUNS or previous in RELATIVES or previous in AUX:
        return True
    if previous in ADVERBS:
        return True
    if previous in {"and", "or", "of", "with", "new", "such", "other", "more", "further"}:
        return False  # "documents and reports that ...": a noun list
    return following.lower() in {"that", ":", "how", "what", "why", "whether"} or (
        following[:1] in quotes.OPENERS
    )


def _content_left(
    text: str, sentence: Sentence, cue_start: int, c0: int, c1: int, lemma: str
) -> Attribution | None:
    s0, s1 = sentence.start, sentence.end
    left_end = rstrip_end(text, s0, cue_start)
    close = closing_quote_before(text, s0, left_end)
    if close is not None:
        open_at = quotes.opening_before(text, close[0], sentence.paragraph.start)
        if open_at == -1 or open_at >= close[0]:
            return None
        content = (open_at, close[1])
        between = (close[1], left_end)
        if CUE_RE.search(text, *between):
            return None  # '"Q," she said, adding ...': the quotation has its own cue
        if text[between[0] : between[1]].strip():
            src = phrase_range(text, *between)
            if src is None or not plausible_source(text[src[0] : src[1]], loose=True):
                return None
        else:
            src = source_right(text, c1, s1)
            if src is None:
                return None
        content = quote_tail(text, content, c1, s1)
        return make_attribution(text, src, (cue_start, c1), content, "left")

    # C, X said.  The source is the last comma-separated phrase before the cue.
    comma = text.rfind(",", s0, cue_start)
    if comma == -1:
        return None
    if not text[comma + 1 : cue_start].strip():
        # C, said X.
        src = source_right(text, c1, s1)
        content = trim_range(text, s0, comma)
        if src is None or len(text[content[0] : content[1]].split()) < 4:
            return None
        return make_attribution(text, src, (cue_start, c1), content, "left")
    src = phrase_range(text, comma + 1, left_end)
    if src is None:
        return None
    phrase = text[src[0] : src[1]]
    if not plausible_source(phrase, loose=False):
        return None
    content = trim_range(text, s0, comma)
    if len(text[content[0] : content[1]].split()) < 4:
        return None
    return make_attribution(text, src, (cue_start, c1), content, "left")


def _parenthetical(text: str, sentence: Sentence, cue_start: int, c1: int) -> Attribution | None:
    """``The trouble, Kerr writes, began early``: the sentence around is the content."""
    s0, s1 = sentence.start, sentence.end
    after = text[c1:s1]
    if not after.startswith(","):
        return None
    rest = after[1:].lstrip()
    if not rest or rest[:1] in quotes.OPENERS or rest.startswith(("''", "``")):
        return None  # "..., he said, 'Q'": the quotation is the content
    comma = text.rfind(",", s0, cue_start)
    if comma == -1 or closing_quote_before(text, s0, rstrip_end(text, s0, cue_start)):
        return None
    lead = text[s0:comma].strip()
    if not lead or (lead.split()[0].lower() in INTRO and len(lead.split()) <= 4):
        return None
    src = phrase_range(text, comma + 1, cue_start)
    if src is None or not plausible_source(text[src[0] : src[1]], loose=False):
        return None
    if len(text[src[0] : src[1]].split()) > 8:
        return None
    # "The reply was evasive: the losses, its statement insisted, were errors": what comes
    # before the colon is the outlet's own sentence, not the source's words.
    start = skip_space(text, max(text.rfind(":", s0, comma), text.rfind(";", s0, comma)) + 1, s1)
    start = max(start, s0)
    return make_attribution(
        text, src, (cue_start, c1), (start, content_end(text, start, s1)), "right"
    )


def _opens_clause(word: str) -> bool:
    """Whether ``word`` can start a reported clause: "saying that", "saying Ms. Li..."."""
    lower = word.lower()
    return (
        lower in {"that", ":", "whether", "how", "why", "what"}
        or lower in PERSONAL_PRONOUNS
        or lower in DETERMINERS
        or word[:1].isupper()
        or word[:1] in quotes.OPENERS
    )


def _participle_ok(text: str, s0: int, cue_start: int) -> bool:
    """A bare -ing cue ("tweets saying") continues a clause with its own subject and verb."""
    words = words_before(text, s0, cue_start, 4)
    return len(words) >= 3 and not any(w[2] in quotes.DOUBLE for w in words)


def _participle(
    text: str,
    sentence: Sentence,
    cue_start: int,
    c1: int,
    lemma: str,
    local: list[Attribution],
) -> Attribution | None:
    """``X criticised Y on Monday, saying C``: the sentence's subject is the source."""
    s0 = sentence.start
    start = skip_intro(text, s0, cue_start)
    opener = _LEADING_PARTICIPLE.match(text, start, cue_start)
    if opener is not None:
        start = opener.end()  # "Reached by telephone, he declined ...": not a name
    subject: Range | None = None
    found = SUBJECT.match(text, start)
    if found is not None and found.group().split()[0].lower() in INTRO:
        # "Meanwhile the shipping lines ... are suing, saying": the adverb is not a name.
        start = skip_space(text, start + len(found.group().split()[0]), cue_start)
        found = SUBJECT.match(text, start)
        subject = sentence_subject(text, start, cue_start) if found is None else None
    if found is not None and found.group().lower() in DETERMINERS:
        # "The port authority has asked ..., contending": a capitalised determiner opens a
        # noun phrase, which runs up to its verb.
        subject = sentence_subject(text, s0, cue_start)
    elif found is not None:
        subject = found.span()
    content = content_right(text, sentence, c1, lemma)
    if content is None:
        return None
    if subject is not None:
        # "Court filings show ...": an attribution already found at the subject's start has
        # the whole noun phrase, where the capitalised-run pattern stops at "Court".
        same = [item.source for item in local if item.source and item.source[0] == subject[0]]
        if same:
            subject = same[0]
    host = [
        item
        for item in local
        if item.source is not None
        and item.cue[1] <= cue_start
        and item.content[0] <= cue_start < item.content[1]
        and subject is not None
        and item.source[0] > subject[1]
    ]
    if host:
        # "Records show that four lines are suing, arguing C": the participle belongs to the
        # reported clause it sits in, so its subject is that clause's source.
        return make_attribution(text, host[-1].source, (cue_start, c1), content, "right")
    if subject is None or subject[1] > cue_start:
        earlier = [item for item in local if item.source is not None and item.cue[1] <= cue_start]
        if not earlier:
            return None
        # '"Q," she said, adding that C': the same speaker goes on.
        return make_attribution(text, earlier[-1].source, (cue_start, c1), content, "right")
    return make_attribution(text, subject, (cue_start, c1), content, "right")


def _as_clause(text: str, sentence: Sentence, src: Range, cue: Range) -> Attribution | None:
    """``As X said, C`` or ``C, as X said``."""
    s0, s1 = sentence.start, sentence.end
    as_start = text.rfind("as", s0, src[0])
    if (
        _CONDITIONAL.match(text, s0, s1)
        and "," not in text[s0:as_start]
        and _EQUATIVE.search(text, s0, as_start)
    ):
        # "If the audit is as bad as the leaks suggest, ...": a comparison inside a condition
        # measures the outlet's own supposition against a hedge; nobody is reported as saying
        # anything. ("If C, as experts believe, ..." still credits C to the experts.)
        return None
    before = text[s0:as_start].strip()
    if not before or before in quotes.OPENERS:
        comma = text.find(",", cue[1], s1)
        if comma == -1:
            return None
        content = trim_range(text, comma + 1, s1)
    else:
        comma = text.rfind(",", s0, as_start + 1)
        end = comma if comma != -1 and not text[comma:as_start].strip(", ") else as_start
        content = trim_range(text, s0, end)
    if content[1] - content[0] < 3:
        return None
    return make_attribution(text, src, cue, content, "right")


def _colon(text: str, sentence: Sentence, colon: int, quoted: quotes.Quoted) -> Attribution | None:
    """``Name: "quote"`` and headline/transcript ``Name: content``."""
    s0 = sentence.start
    if quoted.encloses((colon, colon + 1)):
        return None
    lead = text[s0:colon]
    run = _NAME_RUN.search(lead)
    if run is None:
        return None
    src = (s0 + run.start(), s0 + run.end())
    at_start = not text[s0 : src[0]].strip(" " + QUOTE_CHARS)
    after = skip_space(text, colon + 1, sentence.end)
    opens_quote = quotes.starts_with_quote(text, after)
    if not (opens_quote or at_start):
        return None
    if at_start and not opens_quote:
        name = text[src[0] : src[1]]
        if (
            len(name.split()) > 4
            or name.lower().rstrip(".") in _LABELS
            or (name.lower().startswith("the ") and name.lower()[4:] in _LABELS)
        ):
            return None
        if len(text[after : sentence.end].split()) < 3:
            return None
        if not speaks(name):
            return None  # "The Harbour Affair: ...": a topic introduced, not a speaker
        if (
            sentence.paragraph.kind == "heading"
            and _HEADLINE_DECK.match(text, after, sentence.end)
            and not _FIRST_PERSON.search(text, after, sentence.end)
        ):
            # "Harbour Scandal: How the Money Vanished": a title and its deck. "Mayor Lin: Why
            # I Will Run" keeps the speaker's own voice, so it stays an attribution.
            return None
    if opens_quote:
        end = quote_extend(text, after, sentence.end)
        if quotes.unclosed(text, after, end):
            end = quotes.close_of(text, after, end, sentence.paragraph.end)
    else:
        limit = sentence.paragraph.end if text[src[0] : src[1]].isupper() else sentence.end
        end = content_end(text, after, limit)
    if end - after < 2:
        return None
    return make_attribution(text, src, (colon, colon + 1), (after, end), "right")


def _according(text: str, sentence: Sentence, a0: int, a1: int) -> Attribution | None:
    s0, s1 = sentence.start, sentence.end
    src = source_after(text, a1, s1)
    if src is None:
        return None
    lead = text[s0:a0].strip().strip(QUOTE_CHARS).strip()
    if not lead or lead.lower() in {"but", "and", "yet", "also", "so"}:
        comma = text.find(",", src[1], s1)
        if comma == -1:
            return None
        if comma - src[1] > 3:
            # "According to results of polls conducted for X by Y, C": up to the comma.
            src = trim_range(text, src[0], comma)
            if len(text[src[0] : src[1]].split()) > 25 or quotes.unclosed(text, *src):
                return None
        content = trim_range(text, comma + 1, s1)
    else:
        # The clause before "according to", back to the sentence start or a semicolon.
        floor = max(text.rfind(";", s0, a0) + 1, s0)
        content = trim_range(text, floor, a0)
    if content[1] - content[0] < 3:
        return None
    return make_attribution(text, src, (a0, a1), content, "according")


def _passive(text: str, sentence: Sentence, p0: int, p1: int) -> Attribution | None:
    content = trim_range(text, p1, sentence.end)
    content = (skip_space(text, content[0], content[1]), content[1])
    if content[1] - content[0] < 6:
        return None
    cue_start = p0 + 2
    while cue_start < p1 and text[cue_start].isspace():
        cue_start += 1
    return _sourceless(text, (cue_start, p1), content, "unnamed (passive)", "vague")


def _sourceless(text: str, cue: Range, content: Range, name: str, kind: str) -> Attribution:
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


__all__ = ["Attribution", "find_all", "find_attributions"]
