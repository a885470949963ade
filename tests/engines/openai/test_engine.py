"""The openai engine against the scripted server on 127.0.0.1: retries, timeouts, cache, modes."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import pytest
from openai_scenarios import FIXTURE, GOOD
from openai_server import FakeTime, Reply, ScriptedServer, scripted_engine

from briefer.config import EngineSettings
from briefer.contract import Article
from briefer.engines import get_engine, resolve_engine_name
from briefer.engines.drafts import Draft
from briefer.engines.openai import OpenAIEngine
from briefer.engines.openai.grounding import MAX_CUE_WORDS
from briefer.errors import ConfigError, EngineError
from briefer.pipeline import brief

ARTICLE = Article(text=FIXTURE.read_text(encoding="utf-8"))


def test_retry_after_is_honoured(
    scripted_server: ScriptedServer, tmp_path: Path, fake_time: FakeTime
) -> None:
    scripted_server.push(Reply.error(429, "slow down", retry_after_ms="400"), Reply.answer(GOOD))
    engine = scripted_engine(scripted_server, tmp_path, no_cache=True, **fake_time.options())
    draft = engine.analyze(ARTICLE)
    assert fake_time.sleeps == [0.4]  # the server's wait, longer than our own backoff (<= 0.1)
    assert len(draft.claims) == len(GOOD["claims"])
    assert scripted_server.count == 2


def test_timeout_is_retried(
    scripted_server: ScriptedServer, tmp_path: Path, fake_time: FakeTime
) -> None:
    # The first request is never answered, so the timeout fires whatever the machine's load;
    # the second is answered at once, well inside the 2 s.
    scripted_server.push(Reply.held(), Reply.answer(GOOD))
    engine = scripted_engine(
        scripted_server, tmp_path, no_cache=True, timeout=2.0, **fake_time.options()
    )
    draft = engine.analyze(ARTICLE)
    assert len(draft.claims) == len(GOOD["claims"])
    assert (engine.stats.calls, engine.stats.retries) == (2, 1)
    assert scripted_server.count == 2
    # The shared schedule's first wait: the 0.05 s base plus up to 0.05 s of jitter.
    assert len(fake_time.sleeps) == 1 and 0.05 <= fake_time.sleeps[0] <= 0.1


def test_persistent_timeout_is_one_line(
    scripted_server: ScriptedServer, tmp_path: Path, fake_time: FakeTime
) -> None:
    scripted_server.push(Reply.held(), Reply.held())
    engine = scripted_engine(
        scripted_server, tmp_path, no_cache=True, timeout=0.2, retries=2, **fake_time.options()
    )
    with pytest.raises(EngineError) as info:
        engine.analyze(ARTICLE)
    assert str(info.value) == (
        f"the model server at {scripted_server.base_url} did not answer within 0.2 seconds "
        "(2 attempts); raise --timeout"
    )
    assert scripted_server.count == 2 and len(fake_time.sleeps) == 1


def test_deadline_leaves_no_time_for_the_asked_wait(
    scripted_server: ScriptedServer, tmp_path: Path, fake_time: FakeTime
) -> None:
    scripted_server.push(*[Reply.error(503, "busy", retry_after="5")] * 3)
    engine = scripted_engine(
        scripted_server, tmp_path, no_cache=True, deadline=1.0, **fake_time.options()
    )
    with pytest.raises(EngineError) as info:
        engine.analyze(ARTICLE)
    assert str(info.value) == (
        f"the model server at {scripted_server.base_url} answered HTTP 503: busy "
        "(1 attempt; no time left under the 1 s deadline to retry)"
    )
    assert scripted_server.count == 1 and fake_time.sleeps == []


def test_deadline_bounds_all_retries(
    scripted_server: ScriptedServer, tmp_path: Path, fake_time: FakeTime
) -> None:
    scripted_server.push(*[Reply.error(503, "busy", retry_after="3")] * 10)
    engine = scripted_engine(
        scripted_server, tmp_path, no_cache=True, retries=10, deadline=10.0, **fake_time.options()
    )
    with pytest.raises(EngineError) as info:
        engine.analyze(ARTICLE)
    # Waits at 0, 3 and 6 s; a fourth would end at 12 s, past the deadline: 4 of the 10 attempts.
    assert fake_time.sleeps == [3.0, 3.0, 3.0]
    assert scripted_server.count == 4
    assert (engine.stats.calls, engine.stats.retries) == (4, 3)
    message = str(info.value)
    assert message.endswith("(4 attempts; no time left under the 10 s deadline to retry)")
    assert "\n" not in message


def test_unreachable_server_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    engine = OpenAIEngine(
        settings=EngineSettings(), base_url=f"http://127.0.0.1:{port}/v1", no_cache=True
    )
    with pytest.raises(EngineError) as info:
        engine.analyze(ARTICLE)
    message = str(info.value)
    assert message.startswith(f"cannot reach the model server at http://127.0.0.1:{port}/v1")
    assert "\n" not in message


def test_api_key_is_never_in_errors(scripted_server: ScriptedServer, tmp_path: Path) -> None:
    secret = "sk-this-must-not-leak-123"
    scripted_server.push(Reply.error(401, f"Incorrect API key provided: {secret}"))
    engine = scripted_engine(scripted_server, tmp_path, api_key=secret, no_cache=True)
    with pytest.raises(EngineError) as info:
        engine.analyze(ARTICLE)
    assert secret not in str(info.value)
    assert "rejected the API key" in str(info.value)
    assert secret not in repr(engine.settings)


def test_sdk_retries_are_off(scripted_server: ScriptedServer, tmp_path: Path) -> None:
    scripted_server.push(Reply.error(400, "bad request"))
    engine = scripted_engine(scripted_server, tmp_path, no_cache=True)
    with pytest.raises(EngineError, match="HTTP 400"):
        engine.analyze(ARTICLE)
    assert scripted_server.count == 1


def test_cache_hit_makes_no_request(scripted_server: ScriptedServer, tmp_path: Path) -> None:
    scripted_server.push(Reply.answer(GOOD))
    first = scripted_engine(scripted_server, tmp_path).analyze(ARTICLE)
    assert scripted_server.count == 1 and not first.cached
    again = scripted_engine(scripted_server, tmp_path).analyze(ARTICLE)
    assert scripted_server.count == 1
    assert again.cached and again.claims == first.claims
    scripted_server.push(Reply.answer(GOOD))
    scripted_engine(scripted_server, tmp_path, no_cache=True).analyze(ARTICLE)
    assert scripted_server.count == 2
    scripted_server.push(Reply.answer(GOOD))
    scripted_engine(scripted_server, tmp_path, model="other-model").analyze(ARTICLE)  # new key
    assert scripted_server.count == 3


def test_json_object_mode_puts_the_schema_in_the_prompt(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    scripted_server.push(Reply.answer("```json\n" + __import__("json").dumps(GOOD) + "\n```"))
    draft = scripted_engine(scripted_server, tmp_path, json_mode="json_object").analyze(ARTICLE)
    assert len(draft.claims) == len(GOOD["claims"])
    body = scripted_server.requests[0]["body"]
    assert body["response_format"] == {"type": "json_object"}
    assert '"first"' in body["messages"][0]["content"]  # the schema text


def test_auto_mode_falls_back_when_json_schema_is_rejected(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    scripted_server.push(
        Reply(
            status=400,
            body={"error": {"message": "response_format type json_schema is not supported"}},
        ),
        Reply.answer(GOOD),
    )
    engine = scripted_engine(scripted_server, tmp_path, json_mode="auto")
    draft = engine.analyze(ARTICLE)
    assert len(draft.claims) == len(GOOD["claims"])
    second = scripted_server.requests[1]["body"]
    assert second["response_format"] == {"type": "json_object"}


def test_content_filter_is_an_engine_error(scripted_server: ScriptedServer, tmp_path: Path) -> None:
    scripted_server.push(Reply.answer("", finish_reason="content_filter"))
    with pytest.raises(EngineError, match="content filter"):
        scripted_engine(scripted_server, tmp_path, no_cache=True).analyze(ARTICLE)


@pytest.mark.parametrize("limit", [8, 3])
def test_async_batch_runs_concurrently(
    scripted_server: ScriptedServer, tmp_path: Path, limit: int
) -> None:
    # Each request is held until `limit` are in flight together: only a batch that really has
    # them in flight at once gets past the gate, and the semaphore must keep it at `limit`.
    scripted_server.gate = limit
    scripted_server.default = Reply.answer(GOOD)
    engine = scripted_engine(scripted_server, tmp_path, no_cache=True, timeout=60.0)
    articles = [Article(text=ARTICLE.text + f"\n\nEdition {n}.") for n in range(8)]

    async def run() -> list[Any]:
        bound = asyncio.Semaphore(limit)

        async def one(article: Article) -> Any:
            async with bound:
                return await engine.analyze_async(article)

        try:
            return await asyncio.gather(*(one(a) for a in articles))
        finally:
            await engine.aclose()

    drafts = asyncio.run(run())
    assert scripted_server.max_in_flight == limit
    assert len(drafts) == 8 and scripted_server.count == 8


def test_brief_through_the_registry(
    scripted_server: ScriptedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFER_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BRIEFER_BASE_URL", scripted_server.base_url)
    monkeypatch.setenv("BRIEFER_EXTRACTION", "free")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert resolve_engine_name("auto") == "openai"
    assert OpenAIEngine.is_configured()
    scripted_server.push(Reply.answer(GOOD))
    briefing = brief(ARTICLE.text, engine="openai", crosscheck=False)
    assert len(briefing.claims) == len(GOOD["claims"])
    assert isinstance(get_engine("openai"), OpenAIEngine)


def test_no_key_for_openai_is_a_config_error(tmp_path: Path) -> None:
    engine = OpenAIEngine(settings=EngineSettings(), no_cache=True)
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        engine.analyze(ARTICLE)
    assert not OpenAIEngine.is_configured(settings=EngineSettings())


@pytest.mark.live
@pytest.mark.skipif(
    not __import__("os").environ.get("BRIEFER_LIVE_BASE_URL"),
    reason="set BRIEFER_LIVE_BASE_URL (and BRIEFER_LIVE_MODEL) to run against a real server",
)
@pytest.mark.parametrize("extraction", ["checked", "seeded"])
def test_live_server(tmp_path: Path, extraction: str) -> None:
    """A real model, checking or reviewing the rules engine's items: at least one claim
    survives, every item shown passes the role checks grounding applies, and the model was
    asked (it answered with tokens)."""
    import os

    engine = OpenAIEngine(
        base_url=os.environ["BRIEFER_LIVE_BASE_URL"],
        model=os.environ.get("BRIEFER_LIVE_MODEL") or "gpt-4o-mini",
        no_cache=True,
        json_mode=os.environ.get("BRIEFER_JSON_MODE") or "auto",
        extraction=extraction,
        concurrency=1,  # a CPU server has one slot
        # A CPU server takes minutes per article; the default 60 s would never finish.
        timeout=float(os.environ.get("BRIEFER_LIVE_TIMEOUT") or 900),
        deadline=float(os.environ.get("BRIEFER_LIVE_TIMEOUT") or 900) * 2,
    )
    briefing = brief(ARTICLE, engine=engine)
    assert briefing.claims, [flag.message for flag in briefing.flags]
    assert briefing.provenance.output_tokens > 0
    assert briefing.provenance.prompt_version.startswith(extraction)
    text = ARTICLE.text
    for claim in briefing.claims:
        assert text[claim.content.start : claim.content.end] == claim.content.text
        assert text[claim.cue.start : claim.cue.end] == claim.cue.text
        assert 1 <= len(claim.cue.text.split()) <= MAX_CUE_WORDS, claim.cue.text
        assert claim.content.text.strip() != claim.cue.text.strip()
        assert not (claim.cue.start <= claim.content.start and claim.content.end <= claim.cue.end)
    for item in briefing.framing:
        assert text[item.span.start : item.span.end] == item.span.text


def test_missing_usage_is_counted_locally(scripted_server: ScriptedServer, tmp_path: Path) -> None:
    reply = Reply.answer(GOOD)
    del reply.body["usage"]
    scripted_server.push(reply)
    draft = scripted_engine(scripted_server, tmp_path, no_cache=True).analyze(ARTICLE)
    assert draft.input_tokens > 200 and draft.output_tokens > 200
    assert any("briefer's count" in w for w in draft.warnings)


def test_sync_analyze_inside_a_running_loop(scripted_server: ScriptedServer) -> None:
    scripted_server.push(Reply.answer(GOOD))
    engine = OpenAIEngine(
        settings=EngineSettings(),
        base_url=scripted_server.base_url,
        no_cache=True,
        crosscheck=False,
    )

    async def notebook_cell() -> Draft:
        return engine.analyze(ARTICLE)  # a blocking call from async code

    assert len(asyncio.run(notebook_cell()).claims) == len(GOOD["claims"])
