"""Outlet-voice framing from the rules engine, on hand-written sentences."""

from __future__ import annotations

import pytest

from briefer.engines.drafts import DraftFraming
from briefer.engines.rules import loaded_lexicon
from briefer.engines.rules.framing import detect_framing, heading_assertion


def devices(items: list[DraftFraming]) -> set[str]:
    return {item.device for item in items}


def of(items: list[DraftFraming], device: str) -> list[str]:
    return [item.span.text for item in items if item.device == device]


def whole(text: str) -> list[tuple[int, int]]:
    return [(0, len(text))]


# ---- loaded language ----------------------------------------------------------------------


def test_loaded_terms_in_outlet_voice() -> None:
    text = "The regime staged a brazen crackdown on the so-called reformers last week."
    items = detect_framing(text, [])
    assert of(items, "loaded_language") == ["regime", "brazen", "so-called"]
    note = next(item.note for item in items if item.span.text == "regime")
    assert "regime" in note and "outlet" in note


def test_loaded_term_inflections_match() -> None:
    text = "Officials were lambasting the plan while aides plotted behind closed doors."
    assert of(detect_framing(text, []), "loaded_language") == ["lambasting", "plotted"]


def test_attributed_range_suppresses_loaded_terms() -> None:
    text = "The opposition leader said the regime was corrupt and its budget a disaster."
    assert of(detect_framing(text, []), "loaded_language")
    assert not of(detect_framing(text, whole(text)), "loaded_language")


def test_characterising_speech_verb_is_the_outlets_choice_even_in_attribution() -> None:
    text = "The senator slammed the housing plan, saying it favoured developers."
    items = detect_framing(text, whole(text))
    assert of(items, "loaded_language") == ["slammed"]
    assert "outlet's choice" in items[0].note


def test_words_inside_long_quotations_are_not_outlet_voice() -> None:
    text = 'A resident wrote: "This corrupt regime has ruined the whole valley for everyone."'
    assert not of(detect_framing(text, []), "loaded_language")


def test_capitalised_match_inside_a_name_is_skipped() -> None:
    text = "She signed with Radical Books, a small press in the harbour district of the town."
    assert not of(detect_framing(text, []), "loaded_language")


def test_noun_senses_of_loaded_verbs_are_not_flagged() -> None:
    text = "The doctor said a blast of cold air and exhaust fumes closed the clinic on Friday."
    assert not of(detect_framing(text, []), "loaded_language")


def test_lexicon_has_hundreds_of_entries() -> None:
    lemmas = (
        loaded_lexicon.LOADED_SPEECH_VERBS.split()
        + loaded_lexicon.LOADED_VERBS.split()
        + loaded_lexicon.LOADED_NOUNS.split()
        + loaded_lexicon.LOADED_ADJECTIVES.split()
        + loaded_lexicon.LOADED_ADVERBS.split()
    )
    assert len(set(lemmas)) > 700
    assert len(loaded_lexicon.loaded_terms()) > 2000


# ---- unattributed assertions ----------------------------------------------------------------


def test_motive_assertion_spans_the_sentence() -> None:
    text = (
        "Harbour news. The ministry has been trying to rewrite the history of the strike. "
        "Ships docked at noon."
    )
    items = detect_framing(text, [])
    assert of(items, "unattributed_assertion") == [
        "The ministry has been trying to rewrite the history of the strike."
    ]
    assert "motive" in items[0].note


def test_neutral_goal_after_tried_to_is_not_a_motive_claim() -> None:
    text = "Rescue crews tried to reach the stranded hikers before nightfall on Sunday."
    assert not of(detect_framing(text, []), "unattributed_assertion")


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Foreign money played a decisive role in the collapse of the local council.", "causation"),
        ("The party's platform is heavily influenced by a retired banker in Zurich.", "causation"),
        ("The mayor obviously misjudged how angry the fishing towns had become.", "judgement"),
        ("The bypass was an extremely costly error for the province and its taxpayers.", "intens"),
    ],
)
def test_evaluative_assertions(sentence: str, reason: str) -> None:
    items = [i for i in detect_framing(sentence, []) if i.device == "unattributed_assertion"]
    assert [item.span.text for item in items] == [sentence]
    assert reason in items[0].note


def test_attributed_sentence_is_not_an_unattributed_assertion() -> None:
    text = "Analysts said foreign money played a decisive role in the collapse of the council."
    assert of(detect_framing(text, []), "unattributed_assertion")
    assert not of(detect_framing(text, whole(text)), "unattributed_assertion")


def test_partly_attributed_sentence_keeps_only_its_outlet_voice_clause() -> None:
    text = (
        "The port authority said cargo volumes fell, and the ministry has been trying to "
        "hide the losses ever since."
    )
    attributed = [(0, text.index(", and"))]
    spans = of(detect_framing(text, attributed), "unattributed_assertion")
    assert spans == ["and the ministry has been trying to hide the losses ever since."]


# ---- speculation, questions, scare quotes ---------------------------------------------------


def test_speculation_in_outlet_voice() -> None:
    text = "The merger is likely to reshape the regional bus network within two years."
    items = detect_framing(text, [])
    assert of(items, "speculation") == [text]
    assert "is likely to" in items[0].note


def test_passive_could_be_is_not_speculation() -> None:
    text = "Under the new rule, the bridge could be closed to lorries during the summer months."
    assert not of(detect_framing(text, []), "speculation")


def test_attributed_speculation_is_left_to_the_source() -> None:
    text = "The minister said the merger could reshape the regional bus network."
    assert not of(detect_framing(text, whole(text)), "speculation")


def test_rhetorical_question() -> None:
    text = "The stadium opens in May. But who will pay for the empty seats next winter?"
    assert of(detect_framing(text, []), "rhetorical_question") == [
        "But who will pay for the empty seats next winter?"
    ]


def test_quoted_question_is_not_rhetorical() -> None:
    text = 'A fan shouted at the board: "Who will pay for the empty seats next winter?"'
    assert not of(detect_framing(text, []), "rhetorical_question")


def test_scare_quotes_in_outlet_voice() -> None:
    text = "The council pushed its \u201creform\u201d through without a public hearing."
    items = detect_framing(text, [])
    assert of(items, "scare_quotes") == ["\u201creform\u201d"]
    assert "reform" in items[0].note


def test_short_quotes_of_speech_are_not_scare_quotes() -> None:
    texts = [
        'The mayor called the plan "a costly mistake" during the meeting.',
        'Asked if he would run again, the governor gave an emphatic "yes" on Friday.',
        '"Enough," the chairman told the board before leaving the room.',
        'She starred in "Harbour Lights" before moving to the capital in the spring.',
    ]
    for text in texts:
        assert not of(detect_framing(text, []), "scare_quotes"), text


def test_scare_quote_inside_reported_speech_is_suppressed() -> None:
    text = "The union said the managers' \u201cplan\u201d would cost hundreds of jobs."
    assert not of(detect_framing(text, whole(text)), "scare_quotes")


# ---- headings -----------------------------------------------------------------------------


def test_assertive_and_neutral_headings() -> None:
    text = (
        "Council ignores residents over bypass\n\n"
        "The council met on Tuesday to discuss the bypass route.\n\n"
        "Background\n\n"
        "The route was first proposed in the spring.\n\n"
        "Bus routes in the valley\n\n"
        "Two routes serve the valley.\n"
    )
    items = detect_framing(text, [])
    assert of(items, "assertive_heading") == ["Council ignores residents over bypass"]


@pytest.mark.parametrize(
    ("line", "asserts"),
    [
        ("Minister doubles budget for border guards", True),
        ("Rewriting the history of the strike", True),
        ("Mayor fined", True),
        ("A secret alliance", True),
        ("Background", False),
        ("What happens next", False),
        ("Port workers in Beijing", False),
        ("The harbour documents", False),
    ],
)
def test_heading_assertion(line: str, asserts: bool) -> None:
    assert (heading_assertion(line) is not None) is asserts


# ---- whole articles -----------------------------------------------------------------------

ARTICLE = (
    "Governor cracks down on harbour protests\n\n"
    "The governor\u2019s regime has been trying to silence the dock workers, and its "
    "\u201csecurity\u201d patrols played a central role in the arrests.\n\n"
    'Union leaders said the patrols were "a disgrace to the whole province and its people."\n\n'
    "The strike could spread to the rail yards by the end of the month. Who benefits?\n\n"
    "Background\n\n"
    "The harbour employs about 4,000 people.\n"
)


def test_every_span_slices_the_text_exactly() -> None:
    items = detect_framing(ARTICLE, [])
    assert {"loaded_language", "unattributed_assertion", "scare_quotes", "speculation"} <= (
        devices(items)
    )
    assert {"rhetorical_question", "assertive_heading"} <= devices(items)
    for item in items:
        assert item.span.start is not None and item.span.end is not None
        assert ARTICLE[item.span.start : item.span.end] == item.span.text
        assert item.note.strip()
    starts = [item.span.start for item in items]
    assert starts == sorted(starts)


def test_neutral_wire_copy_produces_no_flood() -> None:
    text = (
        "Regional council approves road budget\n\n"
        "The regional council voted 7-2 on Tuesday to approve a $4 million budget for road "
        "repairs, the council said in a statement. Work on the first stretch, a 12-kilometre "
        "section north of the river, is scheduled to begin in April. The council said the "
        "work would be paid for from the existing transport fund. Two councillors voted "
        "against the plan, saying the money should go to bus services. The contract was "
        "awarded to a local firm after a public tender. The next council meeting is on "
        "March 3.\n"
    )
    assert len(detect_framing(text, [])) <= 1


def test_deterministic() -> None:
    assert detect_framing(ARTICLE, []) == detect_framing(ARTICLE, [])


def test_first_person_outside_quotes_is_the_writers_voice() -> None:
    text = "Our leaders have forgotten the valley towns that built this province."
    items = [item for item in detect_framing(text, []) if item.device == "other"]
    assert [item.span.text for item in items] == [text]
    assert "first-person" in items[0].note
    quoted = 'A farmer told the council: "Our leaders have forgotten the valley towns."'
    assert not [item for item in detect_framing(quoted, []) if item.device == "other"]


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Background"])
def test_empty_and_trivial_texts(text: str) -> None:
    assert detect_framing(text, []) == []


def test_messy_attributed_ranges_are_tolerated() -> None:
    text = "The regime said the plan was a disaster. The regime is corrupt."
    ranges = [(30, 10), (0, 41), (5, 20), (500, 900)]
    assert of(detect_framing(text, ranges), "loaded_language") == ["regime", "corrupt"]
