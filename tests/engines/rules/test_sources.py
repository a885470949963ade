"""Source phrases: their kind, vagueness, readable names, and who can speak."""

from __future__ import annotations

import pytest

from briefer.engines.rules import sources
from briefer.engines.rules.sources import classify, is_vague, source_name, speaks


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        ("the Associated Press", "media"),
        ("Reuters", "media"),
        ("a local newspaper", "media"),
        ("Interior Minister Ana Duarte", "official"),
        ("a spokesman for the ministry", "official"),
        ("the United Nations", "institution"),
        ("the appeals court", "institution"),
        ("a leaked letter", "document"),
        ("police statistics", "document"),
        ("intelligence reports", "document"),
        ("Priya Natarajan", "person"),
        ("she", "person"),
        ("local residents", "group"),
        ("a source familiar with the talks", "anonymous"),
        ("officials who spoke on condition of anonymity", "anonymous"),
        ("experts", "vague"),
        ("some", "vague"),
        ("many critics", "vague"),
        ("this newspaper", "outlet"),
    ],
)
def test_source_kinds(phrase: str, kind: str) -> None:
    assert classify(phrase) == kind


def test_vagueness_needs_a_generic_head() -> None:
    assert is_vague("some observers")
    assert not is_vague("UN experts")
    assert not is_vague("the experts")


def test_long_source_names_are_cut_readably() -> None:
    name = source_name("the survey, which was conducted by a polling firm over three weeks in May")
    assert name == "the survey"


def test_speaker_like_phrases() -> None:
    assert speaks("Mayor Lin")
    assert speaks("The port authority")
    assert speaks("A spokeswoman for the firm")
    assert speaks("they")
    assert not speaks("The Harbour Affair")
    assert not speaks("The problem")


def test_a_poll_released_on_a_weekday_is_a_document() -> None:
    # The participle and its day describe the poll; the outlet's name does not make it media.
    assert classify("a Harbor Gazette poll released Monday") == "document"


def test_the_phrase_patterns_find_what_their_ignorecase_originals_find() -> None:
    """The case-folded twins answer for ASCII phrases; others get the original pattern."""
    patterns = [value for value in vars(sources).values() if isinstance(value, sources._Caseless)]
    assert len(patterns) >= 10
    phrases = [
        "A SENIOR OFFICIAL who spoke on condition of anonymity",
        "Some Local Residents",
        "the Interior MINISTRY",
        "Many observers",
        "Reuters",
        "This Newspaper",
        "the Meridian Press Agency",
        "\u00c9lise Martin, a Spokeswoman",  # not ASCII: the original pattern
        "the \u212aremlin",  # a Kelvin sign folds onto "k" only under the flag
        "staff\u017f",
    ]
    for caseless in patterns:
        for phrase in phrases:
            for how in ("search", "match", "fullmatch"):
                got = getattr(caseless, how)(phrase)
                expected = getattr(caseless.pattern, how)(phrase)
                assert (got and got.span()) == (expected and expected.span()), (how, phrase)
