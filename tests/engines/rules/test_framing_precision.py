"""Framing precision: graded loaded terms, attributed clauses and headlines, borrowed words."""

from __future__ import annotations

import pytest

from briefer.engines.drafts import DraftFraming
from briefer.engines.rules import loaded_lexicon
from briefer.engines.rules.framing import detect_framing
from briefer.engines.rules.framing_voice import attributed_heading, find_quotes


def of(items: list[DraftFraming], device: str) -> list[str]:
    return [item.span.text for item in items if item.device == device]


def upto(text: str, phrase: str) -> list[tuple[int, int]]:
    """One attributed range from the start of ``text`` to the end of ``phrase``."""
    return [(0, text.index(phrase) + len(phrase))]


# ---- descriptive vs evaluative --------------------------------------------------------------


def test_descriptive_labels_are_not_reported() -> None:
    text = (
        "Militant fighters from an extremist group crossed the river, and a far-right party "
        "and a conservative lawmaker condemned the raid. The authoritarian government sent "
        "huge convoys; furious residents fled the chaotic scene."
    )
    assert of(detect_framing(text, []), "loaded_language") == []


def test_evaluative_terms_are_still_reported() -> None:
    text = "The minister slammed the auditors and defended his disastrous plan and his cronies."
    assert of(detect_framing(text, []), "loaded_language") == ["slammed", "disastrous", "cronies"]


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("The mayor unveiled a radical agenda for the ferry service.", ["radical agenda"]),
        ("A far-left mob blocked the ferry terminal for an hour.", ["far-left mob"]),
        ("Radical Democrats in the assembly backed the ferry bill.", ["Radical Democrats"]),
        ("The ferry timetable was utterly chaotic all week.", ["utterly chaotic"]),
        ("Conservative Democrats in the assembly backed the ferry bill.", []),
        ("Radical groups in the port were watched by the police.", []),
    ],
)
def test_context_promotes_a_descriptive_term(sentence: str, flagged: list[str]) -> None:
    assert of(detect_framing(sentence, []), "loaded_language") == flagged


def test_grades_in_the_lexicon() -> None:
    graded = loaded_lexicon.graded_terms()
    assert graded["extremist"][1] == loaded_lexicon.DESCRIPTIVE
    assert graded["far-right"][1] == loaded_lexicon.DESCRIPTIVE
    assert graded["cronies"][1] == loaded_lexicon.EVALUATIVE
    assert graded["slammed"] == ("speech verb", loaded_lexicon.EVALUATIVE)
    reported = loaded_lexicon.loaded_terms()
    assert "cronies" in reported and "extremist" not in reported and "militant" not in reported


def test_no_term_is_both_descriptive_and_loaded() -> None:
    def lemmas(*blocks: str) -> set[str]:
        return {word for block in blocks for word in block.split()}

    loaded = lemmas(
        loaded_lexicon.LOADED_SPEECH_VERBS,
        loaded_lexicon.LOADED_VERBS,
        loaded_lexicon.LOADED_NOUNS,
        loaded_lexicon.LOADED_ADJECTIVES,
        loaded_lexicon.LOADED_ADVERBS,
        loaded_lexicon.LOADED_EPITHETS,
        loaded_lexicon.LOADED_BUZZWORDS,
    )
    descriptive = lemmas(
        loaded_lexicon.DESCRIPTIVE_SPEECH_VERBS,
        loaded_lexicon.DESCRIPTIVE_VERBS,
        loaded_lexicon.DESCRIPTIVE_NOUNS,
        loaded_lexicon.DESCRIPTIVE_ADJECTIVES,
        loaded_lexicon.DESCRIPTIVE_ADVERBS,
    )
    assert not loaded & descriptive


# ---- whose words ----------------------------------------------------------------------------


def test_loaded_words_describing_the_source_are_the_outlets() -> None:
    text = "The disgraced former harbour master said the new budget was a sham."
    content = text.index("the new")
    items = detect_framing(text, [(0, len(text))], spoken=[(content, len(text))])
    assert of(items, "loaded_language") == ["disgraced"]
    # Without content ranges the whole attribution stays the source's words.
    assert of(detect_framing(text, [(0, len(text))]), "loaded_language") == []


def test_an_attribution_to_we_is_the_writers_voice() -> None:
    text = "We believe the ferry contract is a sham and a gift to the operator."
    items = detect_framing(text, [(0, len(text))], spoken=[(text.index("the"), len(text))])
    assert of(items, "loaded_language") == ["sham"]
    assert of(items, "other")
    quoted = 'A skipper wrote: "We believe the ferry contract is a sham and a gift to the firm."'
    start = quoted.index('"')
    items = detect_framing(quoted, [(start, len(quoted))], spoken=[(start, len(quoted))])
    assert of(items, "loaded_language") == []


def test_relative_clause_continuing_an_attributed_claim_is_not_outlet_voice() -> None:
    text = (
        "A port authority audit said cargo volumes fell, which has become far worse because "
        "of the ministry's reckless cuts."
    )
    items = detect_framing(text, upto(text, "fell"))
    assert of(items, "unattributed_assertion") == []
    assert of(items, "loaded_language") == []
    unattributed = detect_framing(text, [])
    assert of(unattributed, "unattributed_assertion") and of(unattributed, "loaded_language")


def test_participle_continuing_the_speech_is_attributed() -> None:
    text = "The union said the ferries were unsafe, adding that the owners are obviously lying."
    assert of(detect_framing(text, upto(text, "unsafe")), "unattributed_assertion") == []


def test_a_new_clause_after_an_attribution_is_still_the_outlets() -> None:
    text = (
        "The union said the ferries were unsafe, and the ministry has been trying to hide the "
        "repair bills ever since."
    )
    assert of(detect_framing(text, upto(text, "unsafe")), "unattributed_assertion")


@pytest.mark.parametrize(
    "line",
    [
        "Inspectors find $2 million shortfall in ferry repair fund",
        "Port auditors warn of widening gap in dredging accounts",
        "Ferry repair fund short by millions, inspectors say",
        "Audit: ferry repair fund missing millions",
    ],
)
def test_headline_crediting_a_source_is_not_an_assertive_heading(line: str) -> None:
    assert attributed_heading(line)
    text = f"{line}\n\nThe ferry service runs twice a day from the north quay.\n"
    assert of(detect_framing(text, []), "assertive_heading") == []


@pytest.mark.parametrize(
    "line",
    [
        "Council ignores residents over bypass",
        "Senator slams ferry plan",
        "Iran fined",
        "Mayor calls off harbour vote",
        "Review: a thrilling ferry drama",
    ],
)
def test_headline_in_the_outlets_own_voice_still_asserts(line: str) -> None:
    assert not attributed_heading(line)
    text = f"{line}\n\nThe ferry service runs twice a day from the north quay.\n"
    assert of(detect_framing(text, []), "assertive_heading") == [line]


# ---- quotations ---------------------------------------------------------------------------


def test_quote_carried_over_paragraphs_is_the_speakers() -> None:
    text = (
        "The mayor spoke for an hour.\n\n"
        "\u201cWe will rebuild the harbour.\n\n"
        "This disgraceful neglect ends today,\u201d she said."
    )
    items = detect_framing(text, [])
    assert of(items, "loaded_language") == []
    assert of(items, "other") == []


def test_straight_quote_closing_a_carried_over_quote() -> None:
    text = 'The treasurer went on.\n\nOur budget is a shambles and a disgrace," she said.'
    quotes = find_quotes(text)
    assert [(text[q.start : q.end], q.closed) for q in quotes] == [
        ('Our budget is a shambles and a disgrace,"', False)
    ]
    assert of(detect_framing(text, []), "loaded_language") == []


def test_curly_quote_closed_by_a_straight_mark() -> None:
    text = '\u201cOur budget is a sham," the treasurer said. \u201cIt must end.\u201d'
    quotes = [text[q.start : q.end] for q in find_quotes(text)]
    assert quotes == ['\u201cOur budget is a sham,"', "\u201cIt must end.\u201d"]
    items = detect_framing(text, [])
    assert of(items, "loaded_language") == [] and of(items, "other") == []


# ---- hedges and the newsroom's voice --------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The new terminal, perhaps 40 metres tall, will stand on the north quay.",
        "The council bought two boats so that residents could reach the island in winter.",
        "The board met before a vote could be held on the ferry contract.",
        "Dock workers voiced fears that the strike could spread to the rail yards.",
    ],
)
def test_hedges_that_are_not_the_outlets_forecast(sentence: str) -> None:
    assert of(detect_framing(sentence, []), "speculation") == []


def test_outlet_forecast_is_still_speculation() -> None:
    text = "The strike could spread to the rail yards by the end of the month."
    assert of(detect_framing(text, []), "speculation") == [text]


@pytest.mark.parametrize(
    "sentence",
    [
        "As our correspondent reported from the quay, the ferries stopped at noon.",
        "Two skippers told us the ferries had been late all week.",
        "We spoke with three skippers who had waited at the quay since dawn.",
    ],
)
def test_newsroom_first_person_is_not_the_writers_view(sentence: str) -> None:
    assert of(detect_framing(sentence, []), "other") == []
