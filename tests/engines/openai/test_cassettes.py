"""Replayed model conversations (cassettes/), with the network blocked.

Scripted cassettes come from tests/openai_scenarios.py (scripted server on 127.0.0.1); real-model
cassettes from tests/record_smollm2.py (SmolLM2-135M on llama-cpp-python's server).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cassettes_support import CASSETTES, SECRET_HEADERS, recorded_at, recorder
from openai_scenarios import FIXTURE, GOOD, SCENARIOS, engine_options
from openai_server import FakeTime

from briefer.config import EngineSettings
from briefer.contract import Article, Briefing
from briefer.engines.openai import OpenAIEngine
from briefer.errors import EngineError
from briefer.pipeline import assemble

UNUSED_URL = "http://127.0.0.1:9/v1"  # replay never connects; port 9 is discard


def _engine(name: str, tmp_path: Path, fake: FakeTime | None = None, **extra: Any) -> OpenAIEngine:
    # Replays never wait: a retry's backoff goes to the fake clock, where tests can see it.
    options = engine_options(name, UNUSED_URL, tmp_path / "cache.sqlite3")
    options.update((fake or FakeTime()).options(), **extra)
    return OpenAIEngine(**options)


def _replay(name: str, engine: OpenAIEngine) -> Briefing:
    article = Article(text=FIXTURE.read_text(encoding="utf-8"))
    with recorder().use_cassette(f"scripted_{name}.yaml", allow_playback_repeats=False) as tape:
        draft = engine.analyze(article)
        assert tape.all_played, "every recorded request was made"
    return assemble(article, draft, engine_name=engine.name)


def _assert_grounded(briefing: Briefing) -> None:
    text = briefing.article.text
    for claim in briefing.claims:
        for span in (claim.content, claim.cue, claim.source.span):
            if span is not None:
                assert text[span.start : span.end] == span.text
    for item in briefing.framing:
        assert text[item.span.start : item.span.end] == item.span.text


@pytest.mark.usefixtures("no_network")
def test_complete_briefing(tmp_path: Path) -> None:
    settings = EngineSettings(prices={"scripted-1": (1.0, 2.0)})
    briefing = _replay("good", _engine("good", tmp_path, settings=settings))
    _assert_grounded(briefing)
    assert len(briefing.claims) == len(GOOD["claims"])
    assert len(briefing.framing) == len(GOOD["framing"])
    assert briefing.flags == []
    mayor = next(c for c in briefing.claims if c.source.name == "Mayor Ines Calder")
    assert mayor.content.text == '"cannot afford to stand still while other ports grow."'
    assert mayor.quote == "direct"
    assert mayor.cue.text == "told reporters"
    report = next(c for c in briefing.claims if c.cue.text == "According to")
    assert report.content.text == "the expansion would create 1,200 jobs within five years"
    assert {s.name for s in briefing.sources} >= {"critics", "Experts", "The dockworkers' union"}
    devices = {f.device for f in briefing.framing}
    assert {"assertive_heading", "rhetorical_question", "loaded_language"} <= devices
    provenance = briefing.provenance
    assert (provenance.engine, provenance.model) == ("openai", "scripted-1")
    assert provenance.prompt_version == "1"
    assert (provenance.input_tokens, provenance.output_tokens) == (1012, 905)
    assert provenance.cost_usd == pytest.approx((1012 * 1.0 + 905 * 2.0) / 1_000_000)
    assert provenance.bluf_method == "abstractive"
    assert briefing.bluf.startswith("Port Elwyn's council votes")


@pytest.mark.usefixtures("no_network")
def test_refusal_is_a_one_line_engine_error(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="refused to brief this article: I can't help") as info:
        _replay("refusal", _engine("refusal", tmp_path))
    assert "\n" not in str(info.value)


@pytest.mark.usefixtures("no_network")
def test_length_truncation_keeps_complete_items_and_flags(tmp_path: Path) -> None:
    briefing = _replay("length", _engine("length", tmp_path))
    _assert_grounded(briefing)
    codes = [f.code for f in briefing.flags]
    assert codes == ["truncated_output"]
    assert "finish_reason=length" in briefing.flags[0].message
    assert 1 <= len(briefing.claims) < len(GOOD["claims"])


@pytest.mark.usefixtures("no_network")
def test_invalid_json_then_valid_repair(tmp_path: Path) -> None:
    engine = _engine("invalid_then_repair", tmp_path)
    briefing = _replay("invalid_then_repair", engine)
    _assert_grounded(briefing)
    assert len(briefing.claims) == len(GOOD["claims"])
    assert engine.stats.repairs == 1 and engine.stats.calls == 2
    assert any("re-asked once" in w for w in briefing.provenance.warnings)


@pytest.mark.usefixtures("no_network")
def test_invented_quote_is_repaired_from_the_text(tmp_path: Path) -> None:
    engine = _engine("bad_items_repaired", tmp_path)
    briefing = _replay("bad_items_repaired", engine)
    _assert_grounded(briefing)
    contents = [c.content.text for c in briefing.claims]
    assert not any("nothing will stop it" in c for c in contents)
    assert '"cannot afford to stand still while other ports grow."' in contents
    assert any("1 corrected, 0 dropped" in w for w in briefing.provenance.warnings)


@pytest.mark.usefixtures("no_network")
def test_the_item_repair_sends_only_the_cited_paragraph(tmp_path: Path) -> None:
    engine = _engine("bad_items_repaired", tmp_path)
    with recorder().use_cassette("scripted_bad_items_repaired.yaml") as tape:
        engine.analyze(Article(text=FIXTURE.read_text(encoding="utf-8")))
        first, repair = (json.loads(request.body) for request in tape.requests)
    # A fresh conversation: the system prompt, the one paragraph the failed item cites (P4,
    # the mayor's), and the errors; not the whole article and the first answer again.
    assert [m["role"] for m in repair["messages"]] == ["system", "user", "user"]
    assert repair["messages"][0] == first["messages"][0]
    cited = repair["messages"][1]["content"]
    assert cited.startswith("<article>\n[P4] Mayor Ines Calder") and "[P3]" not in cited
    assert "nothing will stop it" in repair["messages"][2]["content"]
    assert len(json.dumps(repair)) < len(json.dumps(first))
    # Output capped per article (first answer) and per item re-asked (repair).
    assert first["max_completion_tokens"] == 256 + engine.stats.article_tokens
    assert repair["max_completion_tokens"] == 64 + 120


@pytest.mark.usefixtures("no_network")
def test_rate_limit_then_success(tmp_path: Path) -> None:
    fake = FakeTime()
    engine = _engine("rate_limit_then_ok", tmp_path, fake)
    briefing = _replay("rate_limit_then_ok", engine)
    assert len(briefing.claims) == len(GOOD["claims"])
    assert (engine.stats.calls, engine.stats.retries) == (2, 1)
    assert fake.sleeps == [0.2]  # retry-after-ms wins over Retry-After and over our backoff


@pytest.mark.usefixtures("no_network")
def test_server_error_gives_up_with_one_line(tmp_path: Path) -> None:
    fake = FakeTime()
    engine = _engine("server_error", tmp_path, fake)
    with pytest.raises(EngineError, match=r"answered HTTP 500: .* \(3 attempts\)$") as info:
        _replay("server_error", engine)
    assert "\n" not in str(info.value)
    assert engine.stats.calls == 3 and len(fake.sleeps) == 2


@pytest.mark.usefixtures("no_network")
def test_timeout_cassette_replays_the_successful_retry(tmp_path: Path) -> None:
    # vcrpy cannot record a request that timed out; the live timeout test covers that attempt.
    briefing = _replay("timeout_then_ok", _engine("timeout_then_ok", tmp_path))
    assert len(briefing.claims) == len(GOOD["claims"])


def test_every_cassette_is_labelled_and_listed() -> None:
    readme = (CASSETTES / "README.md").read_text(encoding="utf-8")
    tapes = sorted(p.name for p in CASSETTES.glob("*.yaml"))
    assert {f"scripted_{name}.yaml" for name in SCENARIOS} <= set(tapes)
    for name in tapes:
        assert recorded_at(name), name
        assert name in readme, f"{name} is not listed in cassettes/README.md"


def test_cassettes_hold_no_secrets() -> None:
    for path in CASSETTES.glob("*.yaml"):
        text = path.read_text(encoding="utf-8").lower()
        assert "sk-" not in text, path.name
        assert "bearer" not in text, path.name
        for header in SECRET_HEADERS:
            assert f"\n      {header}:" not in text, (path.name, header)


def test_recorded_request_uses_strict_json_schema() -> None:
    tape = (CASSETTES / "scripted_good.yaml").read_text(encoding="utf-8")
    flat = "".join(tape.split())
    assert '"type":"json_schema"' in flat and '"strict":true' in flat
    assert '"additionalProperties":false' in flat
