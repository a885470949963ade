"""The extractive BLUF: which sentence leads the briefing."""

from __future__ import annotations

from briefer.engines.rules.bluf import extractive_bluf


def test_bluf_skips_headings_questions_and_quotes() -> None:
    text = (
        "Big Storm Ahead\n\nWill the wall hold?\n\n"
        "The county opened three shelters on Monday as the storm approached the coast."
    )
    assert extractive_bluf(text).startswith("The county opened three shelters")


def test_bluf_prefers_a_lead_sentence_without_outlet_framing() -> None:
    text = (
        "The reckless council wasted another year on a doomed plan for the harbor. "
        "The council voted on Tuesday to fund a study of the harbor wall this spring."
    )
    framed = (4, 20)  # "reckless council"
    assert extractive_bluf(text, avoid=[framed]).startswith("The council voted on Tuesday")
    assert extractive_bluf(text).startswith("The reckless council")
