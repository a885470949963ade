"""Segmenting: paragraphs (what engines read and cite), blocks (what the page shows), sentences."""

from __future__ import annotations

import itertools

from briefer.segment import MAX_SENTENCE, Unit, blocks, paragraphs, sentences, trim

# Headline, byline and a first paragraph on consecutive lines, then, after a blank line, a
# paragraph wrapped with an indented continuation line.
ARTICLE = (
    "Harbour to close for repairs\n"
    "By Ana Lind\n"
    "The port authority said the harbour would close on Monday.\n"
    "\n"
    "Ferries will stop for a week,\n"
    "    officials said.\n"
)


def texts(units: list[Unit], text: str = ARTICLE) -> list[str]:
    return [text[unit.start : unit.end] for unit in units]


def test_a_single_newline_ends_a_paragraph() -> None:
    units = paragraphs(ARTICLE)
    assert texts(units) == [
        "Harbour to close for repairs",
        "By Ana Lind",
        "The port authority said the harbour would close on Monday.",
        "Ferries will stop for a week,\n    officials said.",
    ]
    # A headline is only found as a line of its own.
    assert units[0].kind == "heading" and units[2].kind == "paragraph"


def test_a_newline_before_an_indented_line_does_not() -> None:
    text = "The mayor said\n  the bridge is safe."
    assert texts(paragraphs(text), text) == [text]


def test_blocks_are_paragraphs_between_blank_lines() -> None:
    assert texts(blocks(ARTICLE)) == [
        "Harbour to close for repairs\nBy Ana Lind\n"
        "The port authority said the harbour would close on Monday.",
        "Ferries will stop for a week,\n    officials said.",
    ]
    # A line of spaces (or a run of blank lines) between two paragraphs is a blank line too.
    text = "One.\n \t\nTwo.\n\n\n\nThree.\nFour."
    assert texts(blocks(text), text) == ["One.", "Two.", "Three.\nFour."]
    assert blocks("") == [] and blocks(" \n\n ") == []


def test_every_paragraph_lies_in_exactly_one_block() -> None:
    text = ARTICLE + "\n- first item\n- second item\n\n\u2028Last line.\n"
    runs = blocks(text)
    for unit in paragraphs(text):
        assert sum(run.start <= unit.start and unit.end <= run.end for run in runs) == 1
    assert all(before.end < after.start for before, after in itertools.pairwise(runs))


def test_trim_moves_both_ends_past_whitespace() -> None:
    assert trim("  two words \n", 0, 13) == (2, 11)
    assert trim("   ", 0, 3) == (3, 3)
    assert trim("a b", 1, 2) == (2, 2)


def test_a_run_of_exclamation_marks_is_split_in_linear_time() -> None:
    # Before: with no capital after the run, the sentence-end pattern retried it from each of
    # its characters, giving back one character at a time, so 200,000 marks took hours.
    text = "Stop" + "!" * 200_000 + " and go home."
    units = sentences(text)
    assert units[-1].text(text).endswith("! and go home.")
    assert all(unit.end - unit.start <= MAX_SENTENCE for unit in units)
    assert "".join(unit.text(text) for unit in units).replace(" ", "") == text.replace(" ", "")


def test_an_unpunctuated_line_is_cut_at_spaces() -> None:
    words = [f"word{index}" for index in range(4000)]
    text = " ".join(words)
    units = sentences(text)
    assert len(units) > 1
    assert all(unit.end - unit.start <= MAX_SENTENCE for unit in units)
    assert [w for unit in units for w in unit.text(text).split()] == words  # no word is cut
