"""A cue word in its sentence, and the checks that tell a reporting verb from a noun or name."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import NamedTuple

from briefer.engines.rules import quotes
from briefer.engines.rules.appositives import PARENTHETICAL
from briefer.engines.rules.content import TRIVIAL_RIGHT
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
from briefer.engines.rules.lexicon import ATTITUDES, FORMS, NOUN_LIKE, lemma_of
from briefer.engines.rules.phrases import source_left
from briefer.engines.rules.relation import Sentence
from briefer.engines.rules.sources import PERSONAL_PRONOUNS, RELATIVES
from briefer.engines.rules.text_ranges import (
    just_after_comma,
    next_word,
    quote_before,
    words_before,
)

# Right before a bare -ing cue, a form of "be" makes a progressive ("is saying") and a pronoun
# leaves no noun for it to describe; "tweets saying" is the participle these rule out.
_NOT_BEFORE_PARTICIPLE = BE | PERSONAL_PRONOUNS | RELATIVES

# Prepositions before a gerund cue whose speaker is the clause's subject ("by saying", "after
# telling"), unlike "accused him of saying" or "thanked for saying".
GERUND_PREPOSITIONS = frozenset("by after before while without upon".split())

_NAMING_VERBS = frozenset({"called", "named", "dubbed", "titled", "labeled", "labelled"})

_ATTITUDES = frozenset(ATTITUDES)


class Cue(NamedTuple):
    """A cue word matched in a sentence, with the words either side that decide its use."""

    start: int
    end: int
    form: str  # the matched words, lower case, single-spaced
    lemma: str
    verb: str  # the inflected word of a phrase cue ("referring" in "referring to")
    left_words: list[tuple[int, int, str]]  # up to six tokens before it
    previous: str  # the token right before it, lower case
    following: str  # the word right after it


def read_cue(text: str, sentence: Sentence, c0: int, c1: int) -> Cue:
    """The cue word at ``c0:c1`` with its neighbours in the sentence."""
    form = " ".join(text[c0:c1].lower().split())
    left_words = words_before(text, sentence.start, c0, 6)
    return Cue(
        start=c0,
        end=c1,
        form=form,
        lemma=lemma_of(form),
        verb=form.split()[0],
        left_words=left_words,
        previous=left_words[-1][2].lower() if left_words else "",
        following=next_word(text, c1, sentence.end),
    )


def reports_speech(text: str, sentence: Sentence, cue: Cue) -> bool:
    """Whether the cue word reports speech here: not a noun, an infinitive, a passive or a name."""
    if _not_a_finite_verb(text, sentence, cue):
        return False
    if _passive_or_participial(text, sentence, cue):
        return False
    # "a group called Occupy": a name, not an attribution.
    if cue.verb in _NAMING_VERBS and _naming(cue.left_words):
        return False
    return not _not_speech_use(cue)


# Uses of cue words that are names, nouns, phrasal verbs or idioms: "the United States", "a
# think tank", "a strong showing", "showed up", "found himself".
_PHRASAL_PARTICLES = frozenset(("up", "off"))
# An attack in words has a person, a party or someone's record as its object.
_ATTACKS_SOMEONE = re.compile(r"[A-Z]|(?:him|her|them|his|their|its)$")
_FOUND_NOT_SAID = frozenset(
    "himself herself itself themselves myself ourselves yourself way ways".split()
)
_NOUN_MODIFIERS = ARTICLES | frozenset(
    """his her their its our my your best worst strong stronger strongest poor weak weaker
    dismal good better impressive solid surprising disappointing""".split()
)


def _not_speech_use(cue: Cue) -> bool:
    # The next word may carry a full stop ("a think tank."): abbreviations keep theirs.
    verb, previous, following = cue.verb, cue.previous, cue.following.lower().rstrip(".")
    if verb == "states" and previous == "united":
        return True
    if verb == "think" and following in ("tank", "tanks"):
        return True
    if cue.lemma == "show" and following in _PHRASAL_PARTICLES:
        return True
    if cue.lemma == "attack" and not _ATTACKS_SOMEONE.match(cue.following):
        return True  # "attacked Okafor", "attacked his record"; not "attacked the club"
    if cue.lemma == "find" and following in _FOUND_NOT_SAID:
        return True  # "found himself in a fight", "found ways to win": no finding reported
    return verb == "showing" and previous in _NOUN_MODIFIERS


# "He's asked" may be "he has asked": a contracted "'s" opens no passive here.
_PASSIVE_BE = BE - {"'s", "\u2019s"}

# Words whose subject is the one speaking in the infinitive after them: "continued to say",
# "seemed to suggest", "was quick to point out".
_CONTROL = frozenset(
    """likely unlikely continued continue continues continuing seemed seems seem appeared appears
    appear quick trying tried try tries hard able unable struggled struggling need needs needed
    tended tend tends used began begin begins ready eager careful sure""".split()
)
_GO_ON = frozenset("go goes went going gone".split())


def controlled(cue: Cue) -> int | None:
    """Where the control word before an infinitive cue starts ("continued to say", "went on to
    say"), else None."""
    words = cue.left_words
    if len(words) < 2 or words[-1][2].lower() != "to":
        return None
    if words[-2][2].lower() in _CONTROL:
        return words[-2][0]
    if len(words) >= 3 and words[-2][2].lower() == "on" and words[-3][2].lower() in _GO_ON:
        return words[-3][0]
    return None


# Words whose "'s" is "is" or "has": "he's saying", "that's thinking".
_CONTRACTING = PERSONAL_PRONOUNS | RELATIVES | frozenset("it that there what here where".split())


def _not_a_finite_verb(text: str, sentence: Sentence, cue: Cue) -> bool:
    """An infinitive or gerund ("to say"), or a noun ("the report", "Trump's claim")."""
    previous, lemma, form = cue.previous, cue.lemma, cue.form
    if (previous == "to" and controlled(cue) is None) or (
        previous in PREPOSITIONS
        and cue.verb.endswith("ing")
        and previous not in GERUND_PREPOSITIONS
    ):
        return True  # the subject is elsewhere
    possessive = previous.endswith(("'s", "\u2019s")) and previous[:-2] not in _CONTRACTING
    if previous in ARTICLES or (
        possessive and (form == lemma or lemma in NOUN_LIKE or cue.verb.endswith("ing"))
    ):
        return True  # "the report", "Trump's claim", "Cruz's thinking"
    if lemma not in NOUN_LIKE or not (form == lemma or form in (lemma + "s", lemma + "es")):
        return False
    # "records show, ...", "a video of the meeting shows her", "polls there show". A heading
    # ("Harbour audit finds delays") restates the story's claim, so it keeps the stricter test.
    heading = sentence.paragraph.kind == "heading"
    if lemma in _DOCUMENT_VERBS and not heading and _document_subject(cue.left_words):
        return False
    raw_previous = cue.left_words[-1][2] if cue.left_words else ""
    if not _verb_context(previous, cue.following, raw_previous, form != lemma) and not (
        _plural_noun(previous) and _verb_after_plural(text, cue.end, sentence.end, cue.following)
    ):
        return not _closing_speaker_tag(text, sentence, cue, raw_previous)
    following = cue.following.lower()
    # "the report shows" is matched on "shows", not "report".
    return following in FORMS or following in {"by", "of"}


def _closing_speaker_tag(text: str, sentence: Sentence, cue: Cue, raw_previous: str) -> bool:
    """'"Q," Viguerie notes.' and 'C, The Journal reports.': an -s form after a name that
    closes the sentence after a quotation or a comma."""
    if cue.form == cue.lemma or not _name(raw_previous):
        return False
    if TRIVIAL_RIGHT.fullmatch(text, cue.end, sentence.end) is None:
        return False
    words = [word[2] for word in cue.left_words[-6:]]
    marks = [i for i, word in enumerate(words) if word in quotes.CLOSERS or word in ("''", ",")]
    if not marks or marks[-1] + 1 >= len(words):
        return False
    # The words after the mark name the speaker: "The Journal", not "from the archive".
    first = words[marks[-1] + 1]
    return first[:1].isupper() or first.lower() in ARTICLES


def _passive_or_participial(text: str, sentence: Sentence, cue: Cue) -> bool:
    """A passive ("is expected to") or a participial clause (", asked about it, ...")."""
    verb = cue.verb
    if (
        cue.previous in BE
        and verb.endswith(("ed", "en", "wn", "ld", "ght"))
        and cue.lemma != "say"
        and cue.lemma not in _ATTITUDES  # "she is worried that": an attitude, not a passive
    ):
        return True  # PASSIVE_RE handles "it is believed"
    s0, c0 = sentence.start, cue.start
    return (
        just_after_comma(text, s0, c0)
        and verb.endswith(("ed", "en"))
        and not quote_before(text, s0, c0)
        and not _after_appositive(text, s0, c0)
    )


def after_passive_be(cue: Cue) -> bool:
    """ "was asked", "has even been asked", "were also asked": a passive participle."""
    for _, _, token in reversed(cue.left_words[-3:]):
        word = token.lower()
        if word in _PASSIVE_BE:
            return True
        if word not in ADVERBS and not (word.endswith("ly") and word.isalpha()):
            return False
    return False


def heads_participle(
    text: str, sentence: Sentence, cue: Cue, cue_start: int, before: list[tuple[int, int, str]]
) -> bool:
    """Whether an -ing cue opens a participial clause: "..., saying C", "tweets saying C"."""
    if not cue.verb.endswith("ing") or cue.lemma in QUOTE_ONLY_VERBS:
        return False
    if cue.previous in GERUND_PREPOSITIONS:
        return True  # "he began by saying C": the clause's subject says it
    s0 = sentence.start
    if just_after_comma(text, s0, cue_start):
        return True
    return (
        bool(before)
        and before[-1][2].lower() not in _NOT_BEFORE_PARTICIPLE
        and cue.lemma not in NOUN_LIKE
        and _opens_clause(cue.following)
        and _participle_ok(text, s0, cue_start)
    )


_PARTICIPIAL_ASIDE = re.compile(r"[a-z]+ing\s")
# "First his wife, ...", "Finally the board, ...": sequence words before a subject.
_SEQUENCE_WORDS = frozenset(("first", "finally"))
_LEADING_WORDS = INTRO | _SEQUENCE_WORDS


def _after_appositive(text: str, s0: int, c0: int) -> bool:
    """'Jo Li, the party treasurer, denied ...': the comma closes an appositive to a name
    opening the sentence, so the -ed word is the main verb, not a participial clause."""
    found = source_left(text, s0, c0)
    if found is None:
        return False
    src = found[0]
    phrase = text[src[0] : src[1]]
    # After an opening phrase too: "With 50 days to go, Jo Li, an adviser, called ...", and
    # after a conjunction: "But Jo Li, an adviser, noted ...".
    lead = text[s0 : src[0]].rstrip()
    opens = not lead or lead.endswith(",") or lead.lower() in _LEADING_WORDS
    aside = text[src[1] : c0].strip()
    if opens and aside == "," and _title_before_name(lead):
        return True  # "Clinton's attorney, David Kendall, declined ...", "His wife, aide X, ..."
    if not opens or not phrase[:1].isupper():
        return False
    # "Jo Li, meanwhile, warned ...", "The Journal, citing documents, reported ...": an aside
    # between the name and its verb.
    inner = aside[1:-1].strip()
    set_off = aside.startswith(",") and aside.endswith(",") and "," not in inner
    if set_off and (PARENTHETICAL.match(inner) or _PARTICIPIAL_ASIDE.match(inner)):
        return True
    return phrase.count(",") >= 2


def _title_before_name(lead: str) -> bool:
    """Whether ``lead`` is a short noun phrase and its comma: "The firm's lawyer,"."""
    words = lead[:-1].split()
    if words and words[0].lower() in _SEQUENCE_WORDS:
        words = words[1:]  # "First his wife, ..."
    if not lead.endswith(",") or not 1 <= len(words) <= 5 or "," in lead[:-1]:
        return False
    first = words[0].lower()
    return (
        first not in PREPOSITIONS
        and first not in INTRO
        and not any(w.lower() in FORMS for w in words)
    )


def _naming(words: list[tuple[int, int, str]]) -> bool:
    """'a group called X': a singular common noun with its determiner right before the verb."""
    if not words:
        return False
    last = words[-1][2]
    plural = last.endswith("s") and not last.endswith("ss")  # "a class called X" is singular
    if not last.isalpha() or not last.islower() or plural or last in AUX:
        return False
    return any(w[2].lower() in ARTICLES for w in words[-3:-1])


def _plural_noun(word: str) -> bool:
    return word.isalpha() and word.islower() and word.endswith("s") and not word.endswith("ss")


def _verb_after_plural(text: str, c1: int, s1: int, following: str) -> bool:
    """'Records show C' / 'C, records show.': a plural subject, then a clause or nothing."""
    return _opens_clause(following) or TRIVIAL_RIGHT.fullmatch(text, c1, s1) is not None


def _verb_context(
    previous: str, following: str, raw_previous: str = "", inflected: bool = False
) -> bool:
    """Whether a noun-like cue word ("report", "claim") is used as a verb here."""
    if previous in PERSONAL_PRONOUNS or previous in RELATIVES or previous in AUX:
        return True
    if (
        inflected
        and (previous in _DOCUMENT_NOUNS or _name(raw_previous))
        and (_opens_clause(following) or following.lower() in {"him", "her", "them", "it"})
    ):
        return True  # "a poll shows Sanders ahead", "Lynch calls North Carolina home"
    if inflected and _name(raw_previous) and following.lower() == "to":
        return True  # "Clinton plans to call", "Rubio promises to": an intention, not a noun
    if previous in ADVERBS:
        return True
    if previous in {"and", "or", "of", "with", "new", "such", "other", "more", "further"}:
        return False  # "documents and reports that ...": a noun list
    if following.lower() in {"him", "them", "us", "me"}:
        return True  # "Others call them ...": a noun takes no object pronoun
    if previous == "," and (following[:1].isupper() or following.lower() in DETERMINERS):
        return True  # "Yang Shu, a professor, calls Horgos ...": after an appositive
    return following.lower() in {"that", ":", "how", "what", "why", "whether"} or (
        following[:1] in quotes.OPENERS
    )


# Documents that show and find things: "a new poll shows", "the study finds".
_DOCUMENT_NOUNS = frozenset(
    """poll polls survey surveys study studies report reports analysis data records filings
    documents figures numbers statistics research audit review memo letter""".split()
)


# What documents do in news copy: after a document noun, "show" and "find" are verbs.
_DOCUMENT_VERBS = frozenset(("show", "find"))
_DOCUMENT_SUBJECTS = _DOCUMENT_NOUNS | frozenset(
    """video videos email emails polling footage photos images average results findings
    transcripts cables notes messages tallies returns""".split()
)


def _document_subject(words: list[tuple[int, int, str]]) -> bool:
    """Whether the words before a cue end in a document noun ("records", "polls there"), with
    at most a place or time adverb between, or in its "of" phrase ("a video of the meeting")."""
    tail = [w[2].lower() for w in words[-5:]]
    while tail and tail[-1] in ("there", "here", "now", "also", "still", "again"):
        tail.pop()
    if tail and tail[-1] in _DOCUMENT_SUBJECTS:
        return True
    # "A video of the meeting shows": the document heads an "of" phrase.
    return any(
        word in _DOCUMENT_SUBJECTS and following == "of" for word, following in pairwise(tail)
    )


def _name(word: str) -> bool:
    """A capitalised word that is not a determiner opening the sentence ("The", "This")."""
    return word[:1].isupper() and word.lower() not in DETERMINERS and word.isalpha()


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
