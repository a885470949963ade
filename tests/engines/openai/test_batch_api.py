"""The Batch API runner: replays of runs recorded against the scripted files/batches server
(cassettes/batch_api_*.yaml, network blocked), and live runs against that server on 127.0.0.1
where the server's own request counts are the evidence."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import vcr
from batch_api_scenarios import (
    HARBOUR,
    ITEMS,
    KEY,
    LABEL,
    POLL,
    SCRIPTS,
    STATEMENT,
    STEPS,
    FakeTime,
    Outcome,
    engine,
    run,
)
from batch_api_server import BatchServer, Script
from cassettes_support import CASSETTES, recorded_at, recorder

from briefer import brief
from briefer.config import EngineSettings
from briefer.contract import Article, Briefing
from briefer.engines.openai import OpenAIEngine
from briefer.engines.openai import batch_api_lines as lines
from briefer.engines.openai import batch_api_replay as replay
from briefer.engines.openai.batch_api_lines import BATCH_WARNING
from briefer.errors import ConfigError, EngineError
from briefer.pipeline import crosscheck
from briefer.pipeline.batch_api import (
    BatchFailure,
    BatchItem,
    BatchPending,
    brief_via_batch_api,
)

UNUSED_URL = "http://127.0.0.1:9/v1"  # replay never connects; port 9 is discard
STATE = "run.state.json"


def _same_body(first: Any, second: Any) -> None:
    """vcrpy matcher: JSON bodies equal as JSON; multipart uploads equal but for the random
    boundary."""
    assert _normal(first.body) == _normal(second.body), "request bodies differ"


def _normal(body: Any) -> Any:
    if body is None:
        return None
    text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
    if text.startswith("--"):
        return text.replace(text.split("\r\n", 1)[0], "--BOUNDARY")
    try:
        return json.loads(text)
    except ValueError:
        return text


def _replayer() -> vcr.VCR:
    machine = recorder()
    machine.register_matcher("json_body", _same_body)
    return machine


def _replay(name: str, folder: Path) -> tuple[Outcome, Counter[str], list[list[str]]]:
    """The scenario replayed: what it returned, the requests by kind, and each upload's
    custom ids."""
    with _replayer().use_cassette(f"batch_api_{name}.yaml", allow_playback_repeats=False) as tape:
        outcome = STEPS[name](UNUSED_URL, folder)
        assert tape.all_played, "every recorded request was made"
        requests = list(tape.requests)
    kinds = Counter(_kind(request.method, request.path) for request in requests)
    uploads = [_custom_ids(r.body) for r in requests if _kind(r.method, r.path) == "upload"]
    return outcome, kinds, uploads


def _kind(method: str, path: str) -> str:
    parts = path.strip("/").split("/")[1:]
    if parts == ["files"]:
        return "upload"
    if parts[:1] == ["files"]:
        return "download"
    if parts == ["batches"]:
        return "create" if method == "POST" else "list"
    return "poll" if parts[:1] == ["batches"] else "chat"


def _custom_ids(body: bytes | str) -> list[str]:
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    return [json.loads(line)["custom_id"] for line in text.splitlines() if line.startswith("{")]


def _questions(article: Article) -> int:
    """How many claims of the rules engine the checked extraction asks about: those whose cue
    is a verb (not "According to", not a colon)."""
    rules = brief(article, engine="rules")
    return sum(1 for c in rules.claims if c.cue.text.split()[0].lower() != "according")


def _briefings(results: dict[str, Briefing | BatchFailure]) -> dict[str, Briefing]:
    assert all(isinstance(r, Briefing) for r in results.values()), results
    return results  # type: ignore[return-value]


# ---- replays -------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_network")
def test_a_run_interrupted_after_submitting_resumes_and_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    outcome, kinds, uploads = _replay("resume", tmp_path)
    submitted, collected, again = outcome.calls
    assert submitted == {}  # submit only: nothing yielded
    assert outcome.interrupted  # the second run stopped in its first wait
    # One upload, one batch, no synchronous question, over four runs.
    assert (kinds["upload"], kinds["create"], kinds["chat"]) == (1, 1, 0)
    # One line per question per article; the harbour article, given twice, is asked once.
    per_article = Counter(cid.split("-")[0] for cid in uploads[0])
    assert (
        per_article
        == {"a1": _questions(HARBOUR), "a2": _questions(STATEMENT)}
        == {
            "a1": 8,
            "a2": 2,
        }
    )
    briefings = _briefings(collected)
    assert list(briefings) == ["harbour", "statement", "harbour-again"]
    assert outcome.sleeps == [POLL, POLL]  # in_progress, finalizing, then completed
    harbour = briefings["harbour"]
    (doubted,) = [f for f in harbour.flags if f.code == "dropped_by_model"]
    assert "'critics'" in doubted.message and "P(yes) 0.10" in doubted.message
    assert len(harbour.claims) == 8 and harbour.provenance.prompt_version == "checked-1"
    assert harbour.provenance.input_tokens == 8 * 90 and harbour.provenance.output_tokens == 8
    assert BATCH_WARNING in harbour.provenance.warnings
    assert briefings["harbour-again"].claims == harbour.claims
    # The last run found every answer in the cache: no request, the same briefings.
    cached = _briefings(again)
    assert all(b.provenance.cached for b in cached.values())
    assert cached["statement"].claims == briefings["statement"].claims


@pytest.mark.usefixtures("no_network")
def test_an_expired_batch_has_its_unanswered_requests_submitted_once_more(
    tmp_path: Path,
) -> None:
    outcome, kinds, uploads = _replay("expired", tmp_path)
    (results,) = outcome.calls
    briefings = _briefings(results)
    assert (kinds["upload"], kinds["create"]) == (2, 2)
    # The second batch holds only what the first left unanswered.
    assert uploads[1] == ["a1-q7", "a2-q0", "a2-q1"]
    assert len(briefings["harbour"].claims) == 8 and len(briefings["statement"].claims) == 2
    state = json.loads((tmp_path / STATE).read_text(encoding="utf-8"))
    assert [(p["status"], p["retry_of"]) for p in state["parts"]] == [
        ("expired", None),
        ("completed", 0),
    ]


@pytest.mark.usefixtures("no_network")
def test_what_expires_twice_fails_with_the_reason_and_the_rest_is_briefed(
    tmp_path: Path,
) -> None:
    outcome, kinds, uploads = _replay("expired_twice", tmp_path)
    (results,) = outcome.calls
    assert (kinds["upload"], kinds["create"]) == (2, 2)  # resubmitted once, not again
    assert uploads[1] == ["a2-q0", "a2-q1"]
    failure = results["statement"]
    assert isinstance(failure, BatchFailure)
    assert failure.reason.startswith("2 of 2 requests for this article got no answer")
    assert "expired" in failure.reason and "again when resubmitted" in failure.reason
    assert isinstance(results["harbour"], Briefing) and isinstance(
        results["harbour-again"], Briefing
    )


@pytest.mark.usefixtures("no_network")
def test_a_partial_error_file_fails_those_articles_only(tmp_path: Path) -> None:
    outcome, kinds, _ = _replay("partial", tmp_path)
    (results,) = outcome.calls
    failure = results["statement"]
    assert isinstance(failure, BatchFailure)
    assert failure.reason == (
        "1 of 2 requests for this article got no answer: HTTP 500: The server had an error "
        "processing your request."
    )
    assert len(_briefings({k: results[k] for k in ("harbour", "harbour-again")})) == 2
    # Nothing is cached for the failed article: a later run (synchronous or not) asks again.
    later = engine(UNUSED_URL, tmp_path)
    assert later.cache.get(later.draft_key(STATEMENT, crosscheck.rules_draft(STATEMENT))) is None
    assert later.cache.get(later.draft_key(HARBOUR, crosscheck.rules_draft(HARBOUR))) is not None
    assert kinds["download"] == 2  # the output file and the error file


@pytest.mark.usefixtures("no_network")
def test_a_failed_batch_fails_every_item_with_its_message(tmp_path: Path) -> None:
    outcome, kinds, _ = _replay("failed", tmp_path)
    (results,) = outcome.calls
    reasons = {r.reason for r in results.values() if isinstance(r, BatchFailure)}
    assert len(results) == 3 and len(reasons) == 2  # the harbour article's two items alike
    assert all(
        "batch batch_1 failed: model_not_found: The model scripted-1 does not exist" in reason
        for reason in reasons
    )
    assert kinds["download"] == 0


@pytest.mark.usefixtures("no_network")
def test_the_seeded_review_goes_as_one_request_per_article(tmp_path: Path) -> None:
    outcome, kinds, uploads = _replay("seeded", tmp_path)
    (results,) = outcome.calls
    briefings = _briefings(results)
    assert uploads == [["a1-q0", "a2-q0"]] and kinds["chat"] == 0
    harbour = briefings["harbour"]
    assert harbour.provenance.prompt_version == "seeded-1"
    dropped = [f.message for f in harbour.flags if f.code == "dropped_by_model"]
    assert len(dropped) == 2  # C7 and C9, as the scripted model answered
    rules = brief(HARBOUR, engine="rules")
    assert len(harbour.claims) == len(rules.claims) - 2
    assert len(briefings["statement"].claims) == len(brief(STATEMENT, engine="rules").claims)


@pytest.mark.usefixtures("no_network")
def test_the_free_extractions_repair_is_sent_synchronously(tmp_path: Path) -> None:
    outcome, kinds, uploads = _replay("free", tmp_path)
    (results,) = outcome.calls
    harbour = _briefings(results)["harbour"]
    assert uploads == [["a1-q0"]] and kinds["chat"] == 1  # the batch, then the one repair
    contents = [claim.content.text for claim in harbour.claims]
    assert '"cannot afford to stand still while other ports grow."' in contents
    assert not any("nothing will stop it" in content for content in contents)
    warnings = harbour.provenance.warnings
    assert f"{BATCH_WARNING}; 1 repair request(s) sent synchronously, at full price" in warnings


def test_the_batch_cassettes_are_labelled_and_hold_no_key() -> None:
    for name in SCRIPTS:
        cassette = f"batch_api_{name}.yaml"
        assert recorded_at(cassette) == LABEL
        text = (CASSETTES / cassette).read_text(encoding="utf-8")
        assert KEY not in text and "bearer" not in text.lower()
        assert "authorization" not in text.lower()


# ---- live, against the scripted server -----------------------------------------------------


def test_the_server_sees_one_upload_one_batch_and_each_question_once(
    batch_server: BatchServer, tmp_path: Path
) -> None:
    batch_server.push(*SCRIPTS["resume"])
    outcome = STEPS["resume"](batch_server.base_url, tmp_path)
    assert outcome.interrupted and len(_briefings(outcome.calls[1])) == 3
    seen = batch_server.seen()
    assert (seen["upload"], seen["create"], seen["chat"], seen["list"]) == (1, 1, 0, 0)
    (upload,) = batch_server.uploads
    asked = [json.loads(line)["body"]["messages"][-1]["content"] for line in upload.splitlines()]
    assert len(asked) == len(set(asked)) == 10  # each question once, the repeated article too
    state = (tmp_path / STATE).read_text(encoding="utf-8")
    assert KEY not in state and HARBOUR.text[:40] not in state  # ids and digests only


@pytest.mark.parametrize(
    ("extraction", "batched", "synchronous"), [("checked", 8, 8), ("seeded", 1, 1), ("free", 1, 2)]
)
def test_batch_answers_make_the_synchronous_briefing_and_fill_its_cache(
    batch_server: BatchServer, tmp_path: Path, extraction: str, batched: int, synchronous: int
) -> None:
    options = {"extraction": extraction}
    results = run(batch_server.base_url, tmp_path, engine_options=options, items=ITEMS[:1])
    batch = _briefings(results)["harbour"]
    assert len(batch_server.uploads[0].splitlines()) == batched
    repairs = batch_server.seen()["chat"]  # the free extraction's repair, sent synchronously
    # The same answers asked synchronously, on a fresh cache, through brief().
    fresh = engine(batch_server.base_url, tmp_path / "sync", **options)
    alone = brief(HARBOUR, engine=fresh)
    assert batch_server.seen()["chat"] - repairs == synchronous
    assert batch.model_dump(exclude={"provenance"}) == alone.model_dump(exclude={"provenance"})
    keep = {"model", "prompt_version", "input_tokens", "output_tokens", "bluf_method"}
    assert batch.provenance.model_dump(include=keep) == alone.provenance.model_dump(include=keep)
    (added,) = set(batch.provenance.warnings) - set(alone.provenance.warnings)
    assert added.startswith(BATCH_WARNING)
    # A synchronous run on the batch's cache makes no request.
    before = batch_server.seen()["chat"]
    hit = brief(HARBOUR, engine=engine(batch_server.base_url, tmp_path, **options))
    assert hit.provenance.cached and batch_server.seen()["chat"] == before
    assert hit.claims == batch.claims


def test_a_crash_between_creating_the_batch_and_saving_its_id_finds_that_batch(
    batch_server: BatchServer, tmp_path: Path
) -> None:
    run(batch_server.base_url, tmp_path, submit_only=True)
    path = tmp_path / STATE
    state = json.loads(path.read_text(encoding="utf-8"))
    state["parts"][0].update(batch_id=None, creating=True, status=None)
    path.write_text(json.dumps(state), encoding="utf-8")
    results = run(batch_server.base_url, tmp_path)
    assert len(_briefings(results)) == 3
    seen = batch_server.seen()
    assert (seen["upload"], seen["create"], seen["list"]) == (1, 1, 1)


def test_a_changed_article_is_not_collected_from_the_old_batch(
    batch_server: BatchServer, tmp_path: Path
) -> None:
    run(batch_server.base_url, tmp_path, submit_only=True)
    changed = Article(text=STATEMENT.text.replace("6 percent", "9 percent"))
    items = [ITEMS[0], BatchItem("statement", changed)]
    results = dict(
        brief_via_batch_api(
            items,
            engine=engine(batch_server.base_url, tmp_path),
            state_path=tmp_path / STATE,
            sleep=FakeTime().sleep,
        )
    )
    failure = results["statement"]
    assert isinstance(failure, BatchFailure) and "not in the batch recorded" in failure.reason
    assert isinstance(results["harbour"], Briefing)
    # Another setting that changes the requests (the temperature): nothing is collected.
    warmer = run(batch_server.base_url, tmp_path, engine_options={"temperature": 0.5})
    assert {r.reason.split(" (")[0] for r in warmer.values() if isinstance(r, BatchFailure)} == {
        f"its requests differ from those submitted in {tmp_path / STATE}"
    }
    assert batch_server.seen()["upload"] == 1


def test_waiting_past_the_limit_stops_with_the_batch_kept(
    batch_server: BatchServer, tmp_path: Path
) -> None:
    batch_server.push(Script(statuses=["validating", "in_progress"]))
    fake = FakeTime()
    said: list[str] = []
    with pytest.raises(BatchPending, match=r"batch batch_1 is still in_progress after 150 s"):
        run(batch_server.base_url, tmp_path, fake, wait=150.0, progress=said.append)
    assert fake.sleeps == [POLL, POLL, POLL]
    assert said == ["batch batch_1: submitted, 10 requests", "batch batch_1: in_progress"]
    assert batch_server.seen()["poll"] == 4 and batch_server.seen()["create"] == 1


def test_more_requests_than_a_batch_takes_go_in_several_batches(
    batch_server: BatchServer, tmp_path: Path
) -> None:
    results = run(batch_server.base_url, tmp_path, max_requests=5)
    assert len(_briefings(results)) == 3
    # An article's questions stay together: the harbour's 8 in one batch, the statement's 2.
    assert [len(upload.splitlines()) for upload in batch_server.uploads] == [8, 2]
    assert batch_server.seen()["create"] == 2


def test_no_key_for_openai_is_refused(tmp_path: Path) -> None:
    openai_engine = OpenAIEngine(settings=EngineSettings(), cache_path=tmp_path / "c.sqlite3")
    with pytest.raises(ConfigError, match="no API key for OpenAI"):
        brief_via_batch_api(ITEMS, engine=openai_engine, state_path=tmp_path / STATE)
    assert not (tmp_path / STATE).exists()


def test_a_state_file_for_another_model_or_a_damaged_one_is_refused(
    batch_server: BatchServer, tmp_path: Path
) -> None:
    run(batch_server.base_url, tmp_path, submit_only=True)
    with pytest.raises(ConfigError, match="records a batch for model 'scripted-1'"):
        run(batch_server.base_url, tmp_path, engine_options={"model": "other-model"})
    (tmp_path / STATE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not a briefer Batch API state file"):
        run(batch_server.base_url, tmp_path)
    assert batch_server.seen()["create"] == 1


def test_a_failing_poll_is_retried_at_the_next_poll_then_stops_with_the_batch_kept(
    batch_server: BatchServer, tmp_path: Path
) -> None:
    batch_server.push(Script(statuses=["completed"], poll_errors=2), Script(poll_errors=9))
    fake = FakeTime()
    assert len(_briefings(run(batch_server.base_url, tmp_path, fake))) == 3
    assert fake.sleeps == [POLL, POLL]  # two failed polls, then the one that saw it end
    other = tmp_path / "other"
    with pytest.raises(EngineError, match=r"HTTP 503: .*run again to collect it$") as info:
        run(batch_server.base_url, other)
    assert "\n" not in str(info.value) and KEY not in str(info.value)
    assert json.loads((other / STATE).read_text(encoding="utf-8"))["parts"][0]["batch_id"]


def test_the_checked_questions_built_directly_are_the_requests_the_engine_sends(
    tmp_path: Path,
) -> None:
    # The checked mode builds its lines without the SDK (fast); they must be, byte for byte
    # as JSON, what the engine sends through the SDK (the dry run's record of it).
    checked = engine(UNUSED_URL, tmp_path, temperature=0.3)
    for article in (HARBOUR, STATEMENT):
        seed = crosscheck.rules_draft(article)
        assert seed is not None
        asked = lines.checked(checked, article, seed)
        direct = [checked.check_request(q.messages) for q in asked if q.messages]
        sent = replay.requests_for(replay.dry_engine(checked), article, seed)
        assert direct == sent and len(sent) == _questions(article)


def test_an_empty_article_fails_alone_and_sends_nothing(tmp_path: Path) -> None:
    items = [BatchItem("blank", Article(text=" \n "))]
    results = dict(
        brief_via_batch_api(items, engine=engine(UNUSED_URL, tmp_path), state_path=tmp_path / STATE)
    )
    failure = results["blank"]
    assert isinstance(failure, BatchFailure) and "'blank'" in failure.reason
    assert "\n" not in failure.reason and not (tmp_path / STATE).exists()


def test_a_cancelled_batch_keeps_its_answers_and_fails_the_rest(
    batch_server: BatchServer, tmp_path: Path
) -> None:
    batch_server.push(Script(statuses=["cancelled"], unanswered=lambda cid: cid.startswith("a2-")))
    results = run(batch_server.base_url, tmp_path)
    failure = results["statement"]
    assert isinstance(failure, BatchFailure) and "batch batch_1 was cancelled" in failure.reason
    assert isinstance(results["harbour"], Briefing)
    assert batch_server.seen()["create"] == 1  # nothing resubmitted


def test_a_collected_run_is_read_again_from_disk_without_the_cache(
    batch_server: BatchServer, tmp_path: Path
) -> None:
    first = _briefings(run(batch_server.base_url, tmp_path, engine_options={"no_cache": True}))
    seen = batch_server.seen()
    again = _briefings(run(batch_server.base_url, tmp_path, engine_options={"no_cache": True}))
    assert batch_server.seen() == seen  # no poll, no download: the answers beside the state
    assert again["statement"].claims == first["statement"].claims
    assert not again["statement"].provenance.cached


def test_the_runner_works_from_inside_a_running_loop(
    batch_server: BatchServer, tmp_path: Path
) -> None:
    async def inside() -> dict[str, Briefing | BatchFailure]:
        return run(batch_server.base_url, tmp_path, engine_options={"extraction": "seeded"})

    assert len(_briefings(asyncio.run(inside()))) == 3
