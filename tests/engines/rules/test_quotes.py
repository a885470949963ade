"""Quotation marks as copy mixes them: straight and curly marks that still pair."""

from __future__ import annotations

import pytest
from rules_fixtures import triples

from briefer.engines.rules import quotes


@pytest.mark.parametrize(
    ("text", "quotation"),
    [
        ('"The levy is fair,\u201d Ada Moss said.', '"The levy is fair,\u201d'),
        ('\u201cThe levy is fair," Ada Moss said.', '\u201cThe levy is fair,"'),
        ("\u201cThe levy is fair,\u201c Ada Moss said.", "\u201cThe levy is fair,\u201c"),
    ],
)
def test_mixed_marks_close_a_quotation(text: str, quotation: str) -> None:
    assert triples(text) == [("Ada Moss", "said", quotation)]
    assert quotes.regions(text, 0, len(text)) == [(0, len(quotation))]
    assert not quotes.unclosed(text, 0, len(quotation))


def test_a_mark_inside_a_word_run_does_not_close() -> None:
    text = '\u201cThe "fair" levy is gone,\u201d Ada Moss said.'
    # The straight marks sit around a word: the curly pair holds the whole quotation.
    assert triples(text) == [("Ada Moss", "said", '\u201cThe "fair" levy is gone,\u201d')]
