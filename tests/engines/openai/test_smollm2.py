"""Replays of a real, weak model (SmolLM2-135M on llama-cpp-python's server): whatever it
invents is rejected and flagged, and what is left is a valid briefing."""

from __future__ import annotations

from pathlib import Path

import pytest
from cassettes_support import recorded_at, recorder
from record_smollm2 import CASES, FIXTURES, options

from briefer.contract import Article, Briefing
from briefer.engines.openai import OpenAIEngine
from briefer.pipeline import assemble


def _replay(cassette: str, tmp_path: Path) -> tuple[Briefing, OpenAIEngine]:
    article = Article(text=(FIXTURES / CASES[cassette]).read_text(encoding="utf-8"))
    engine = OpenAIEngine(**options("http://127.0.0.1:9/v1", tmp_path / "c.sqlite3"))
    with recorder().use_cassette(cassette, allow_playback_repeats=False) as tape:
        draft = engine.analyze(article)
        assert tape.all_played
    return assemble(article, draft, engine_name="openai"), engine


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("cassette", sorted(CASES))
def test_weak_model_output_becomes_a_valid_briefing(cassette: str, tmp_path: Path) -> None:
    assert recorded_at(cassette).startswith("real model: SmolLM2-135M-Instruct")
    briefing, engine = _replay(cassette, tmp_path)
    text = briefing.article.text
    # Valid (the Briefing validator ran), and every item shown is the article's own text.
    for claim in briefing.claims:
        assert text[claim.content.start : claim.content.end] == claim.content.text
    for item in briefing.framing:
        assert text[item.span.start : item.span.end] == item.span.text
    codes = [f.code for f in briefing.flags]
    assert any(code.startswith("ungrounded_") for code in codes)
    assert engine.stats.repairs == 1 and engine.stats.calls == 2  # one bounded re-ask
    assert briefing.provenance.model == "smollm2-135m-instruct"
    assert briefing.provenance.input_tokens > 0 and briefing.provenance.output_tokens > 0
    assert not any("estimates" in w for w in briefing.provenance.warnings)  # server counted


@pytest.mark.usefixtures("no_network")
def test_invented_items_are_named_in_the_flags(tmp_path: Path) -> None:
    briefing, _ = _replay("smollm2_harbour.yaml", tmp_path)
    assert briefing.claims == [] and briefing.framing == []
    messages = " ".join(f.message for f in briefing.flags)
    assert "2018-04-30T09:57:56.143Z" in messages  # an invented "quote"
    assert "The plan is designed to preserve" in messages  # an invented framing passage
    assert "unreliable_bluf" in [f.code for f in briefing.flags]


@pytest.mark.usefixtures("no_network")
def test_truncated_answer_is_flagged(tmp_path: Path) -> None:
    briefing, _ = _replay("smollm2_statement.yaml", tmp_path)
    assert "truncated_output" in [f.code for f in briefing.flags]
