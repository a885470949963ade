"""Claim statements: short neutral restatements of each attribution."""

from __future__ import annotations

import pytest

from briefer.contract import Article
from briefer.engines.rules import RulesEngine


def statements(text: str) -> list[str]:
    return [claim.statement for claim in RulesEngine().analyze(Article(text=text)).claims]


def test_statements_are_short_neutral_restatements() -> None:
    draft = RulesEngine().analyze(Article(text="Ms. Varga said the talks had collapsed."))
    assert draft.claims[0].statement == "Ms. Varga said that the talks had collapsed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The ferry operator denied that any sailings had been cancelled.",
            "The ferry operator denied that any sailings had been cancelled",
        ),
        (
            "The mayor rejected suggestions that the tender was rigged.",
            "The mayor rejected suggestions that the tender was rigged",
        ),
        (
            "Local fishermen disputed that the reef had recovered.",
            "Local fishermen disputed that the reef had recovered",
        ),
        (
            "The union has never accepted that the pension fund is solvent.",
            "The union has never accepted that the pension fund is solvent",
        ),
        (
            "Dr. Ana Ruiz doubted that the vaccine would arrive before winter.",
            "Dr. Ana Ruiz doubted that the vaccine would arrive before winter",
        ),
    ],
)
def test_statements_keep_negative_cues(text: str, expected: str) -> None:
    # A negative cue restated as "said" would turn a denial into an assertion.
    assert statements(text) == [expected]


def test_statement_keeps_the_words_between_cue_and_content() -> None:
    text = "The harbour master told reporters on Friday that the pier would reopen."
    assert statements(text) == [
        "The harbour master told reporters on Friday that the pier would reopen"
    ]


def test_statement_for_quotation_first_and_according_to() -> None:
    text = (
        "\u201cWe will not sell the orchard,\u201d Mayor Lise Tanaka said. "
        "According to the Hillside Gazette, the orchard is worth $2 million. "
        "Bus fares will rise in June, according to the transit board."
    )
    assert statements(text) == [
        "Mayor Lise Tanaka said: \u201cWe will not sell the orchard\u201d",
        "According to the Hillside Gazette, the orchard is worth $2 million",
        "Bus fares will rise in June, according to the transit board",
    ]


def test_statement_for_passive_attribution_keeps_its_words() -> None:
    text = "It was reported that the mill had stopped paying its suppliers."
    assert statements(text) == ["It was reported that the mill had stopped paying its suppliers"]


def test_statement_names_the_written_channel_once() -> None:
    text = "The water board said in a statement that the reservoir was safe."
    assert statements(text) == ["The water board said in a statement that the reservoir was safe"]


def test_participle_cue_is_restated_with_its_past_tense() -> None:
    text = (
        "The ferry company denied that any boat had been overloaded, describing the "
        "complaints as exaggerated."
    )
    # The participle is a claim of its own, so the first content ends before it.
    assert statements(text) == [
        "The ferry company denied that any boat had been overloaded",
        "The ferry company described the complaints as exaggerated",
    ]


def test_parenthetical_source_keeps_every_other_word_of_the_content() -> None:
    text = "The reply came late: the figures, the ministry insisted, were not final."
    assert statements(text) == ["The ministry insisted: the figures were not final"]


def test_statement_closes_an_appositive_source_before_the_verb() -> None:
    text = "Jane Roe, the party treasurer, denied that the accounts had been altered."
    assert statements(text) == [
        "Jane Roe, the party treasurer, denied that the accounts had been altered"
    ]


def test_as_clause_statement_keeps_the_article_wording() -> None:
    # The rivals believe the opposite of "not X"; rearranging would put words in their mouths.
    text = "The delay was not an accident, as rival bidders believe, but a choice."
    assert statements(text) == ["The delay was not an accident, as rival bidders believe"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A hedge inside the clause it hedges: the clause as written.
        ("The vote is widely expected to pass.", ["The vote is widely expected to pass"]),
        (
            "The port authority is reportedly weighing a new toll.",
            ["The port authority is reportedly weighing a new toll"],
        ),
        # A name is no claim: the statement says what the thing is called, and no more.
        ("The pier, known as the Long Mole, reopened.", ["Known as the Long Mole"]),
    ],
)
def test_sourceless_hedges_and_names_keep_the_article_wording(
    text: str, expected: list[str]
) -> None:
    assert statements(text) == expected
