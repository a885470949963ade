"""Closed-class words the attribution patterns reason about: determiners, auxiliaries..."""

from __future__ import annotations

from briefer.engines.rules.lexicon import (
    AUXILIARIES,
    COGNITION,
    CUE_ADVERBS,
    QUOTE_ONLY,
    SPEECH,
)

# Day and month names, for the regexes that tell a date from a name or a clause.
WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
MONTHS = """january february march april may june july august september october november
december""".split()
MONTH = "(?:" + "|".join(MONTHS) + ")"
# The party in a tag after a politician's name: "(D-Ore.)", "(Rep.)".
PARTY = r"(?:[DRI]|Dem|Rep|Ind)"

# Quote-only verbs that are not reporting verbs in their own right.
QUOTE_ONLY_VERBS = QUOTE_ONLY - set(SPEECH) - set(COGNITION)

AUX = frozenset(AUXILIARIES.split("|"))

ADVERBS = frozenset(CUE_ADVERBS.split("|"))

BE = frozenset("is are was were be been being 's \u2019s am".split())

DETERMINERS = frozenset(
    """the a an this that these those some many most several few all both each every no his
    her their its our my your other another any such one two three four five six seven eight
    nine ten dozens hundreds thousands millions not""".split()
)

# Determiners that cannot stand alone as a subject: a cue after one is a noun ("the report").
ARTICLES = frozenset("the a an this these his her their its our my your every no".split())

# Words that end a source phrase when walking left from the cue.
STOP_WORDS = frozenset(
    """but because while when if as since although though that after before so where whether
    until unless than or nor whom yet once whereas then and also even just only too still
    there here what how why said says say""".split()
)

PREPOSITIONS = frozenset(
    """on in at of for to from with by about during after before over under into onto upon
    through across against among between within without around near via per despite
    like unlike amid""".split()
)

# Sentence-initial words that are not part of a name ("On Tuesday, ...").
INTRO = PREPOSITIONS | frozenset(
    """but and yet so however meanwhile still then now also later earlier instead indeed
    moreover furthermore besides last this next yesterday today tonight tomorrow overall
    nevertheless nonetheless otherwise thus therefore hence perhaps maybe elsewhere afterwards
    afterward again already throughout following since until shortly when while although though
    because once whereas unless here""".split()
)

# Suffixes of derived sentence adverbs ("Separately", "Predictably", "Unsurprisingly"). A
# capitalised word ending so before a subject comments on the sentence; it names nobody. Bare
# "-ly" is not enough: Kelly, Emily and Bradley are names.
ADVERB_SUFFIXES = (
    "ally ately ably ibly ingly ously ively ently antly arly fully lessly edly icly nkly ctly "
    "ntly rtly"
).split()

# Words that show a would-be source phrase is a clause, not a noun phrase.
CLAUSE_WORDS = frozenset(
    """is are was were has have had will would could can may might must should do does did
    be been not i'm it's""".split()
)

# Words ending in -ly that are not manner adverbs.
NOT_ADVERBS = frozenset(
    """family assembly anomaly monopoly italy rally ally supply reply daily weekly monthly yearly
    early likely elderly friendly lonely holy july homily bully jelly belly melancholy only
    unlikely costly deadly timely lovely ugly silly orderly""".split()
)
