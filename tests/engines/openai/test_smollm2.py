"""Replays of a real, weak model (SmolLM2-135M on upstream llama.cpp's server) in the free
extraction: whatever it writes is rejected and flagged, and what is left is a valid briefing."""

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
    # Valid (the Briefing validator ran), and nothing the model wrote is shown: the 135M model
    # invents or loops until the output cap.
    assert briefing.claims == [] and briefing.framing == []
    codes = [f.code for f in briefing.flags]
    assert codes[:2] == ["truncated_output", "truncated_output"]  # the answer and the re-ask
    assert engine.stats.repairs == 1 and engine.stats.calls == 2  # one bounded re-ask
    assert briefing.provenance.model == "smollm2-135m-instruct"
    assert briefing.provenance.input_tokens > 0 and briefing.provenance.output_tokens > 0
    assert not any("estimates" in w for w in briefing.provenance.warnings)  # server counted


@pytest.mark.usefixtures("no_network")
def test_a_cut_off_repair_is_flagged_like_a_cut_off_first_answer(tmp_path: Path) -> None:
    briefing, _ = _replay("smollm2_statement.yaml", tmp_path)
    first, repair = (f.message for f in briefing.flags if f.code == "truncated_output")
    assert first.startswith("the model's answer hit its output token limit")
    assert repair.startswith("the model's repair answer hit its output token limit")


@pytest.mark.usefixtures("no_network")
def test_a_set_max_output_tokens_replaces_the_derived_cap(tmp_path: Path) -> None:
    # statement.txt is 54 tokens, so the derived cap would be 256 + 54; the recording sets 400.
    briefing, _ = _replay("smollm2_statement.yaml", tmp_path)
    assert briefing.provenance.output_tokens == 2 * 400


@pytest.mark.usefixtures("no_network")
def test_an_invented_claim_is_re_asked_once_and_dropped(tmp_path: Path) -> None:
    briefing, _ = _replay("smollm2_harbour.yaml", tmp_path)
    codes = [f.code for f in briefing.flags]
    assert codes == ["truncated_output", "truncated_output", "ungrounded_claim", "unreliable_bluf"]
    assert "The port of Port Elwyn is a vital part" in briefing.flags[2].message  # not in the text
    assert briefing.provenance.warnings == [
        "1 model item(s) did not match the article and were re-asked once; 0 corrected, "
        "1 dropped (see flags)"
    ]


@pytest.mark.usefixtures("no_network")
def test_an_answer_unusable_twice_gives_no_items(tmp_path: Path) -> None:
    briefing, _ = _replay("smollm2_statement.yaml", tmp_path)
    codes = [f.code for f in briefing.flags]
    assert codes == ["truncated_output", "truncated_output", "invalid_model_output"]
