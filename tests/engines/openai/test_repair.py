"""The one bounded repair round: unusable answers re-asked once, failed items sent back with
their errors, what still fails dropped and flagged."""

from __future__ import annotations

from pathlib import Path

from openai_scenarios import FIXTURE, GOOD
from openai_server import Reply, ScriptedServer, scripted_engine

from briefer.contract import Article
from briefer.pipeline import assemble

ARTICLE = Article(text=FIXTURE.read_text(encoding="utf-8"))


def test_unusable_twice_is_flagged_not_raised(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    scripted_server.push(Reply.answer("I think the article says"), Reply.answer("still no"))
    draft = scripted_engine(scripted_server, tmp_path, no_cache=True).analyze(ARTICLE)
    briefing = assemble(ARTICLE, draft, engine_name="openai")
    assert briefing.claims == []
    assert [f.code for f in briefing.flags] == ["invalid_model_output"]


def test_uncorrected_invented_items_are_dropped_and_flagged(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    invented = {**GOOD["claims"][3], "first": "we will build it no matter what", "last": ""}
    fake_frame = {**GOOD["framing"][1], "text": "a sinister plot against fishermen"}
    scripted_server.push(
        Reply.answer({**GOOD, "claims": [invented], "framing": [fake_frame]}),
        Reply.answer({"claims": [invented], "framing": []}),
    )
    draft = scripted_engine(scripted_server, tmp_path, no_cache=True).analyze(ARTICLE)
    briefing = assemble(ARTICLE, draft, engine_name="openai")
    assert briefing.claims == [] and briefing.framing == []
    messages = " | ".join(f.message for f in briefing.flags)
    assert "we will build it no matter what" in messages
    assert "a sinister plot" in messages
    codes = [f.code for f in briefing.flags]
    assert sorted(codes) == ["ungrounded_claim", "ungrounded_framing", "unreliable_bluf"]
    repair = scripted_server.requests[1]["body"]["messages"][-1]["content"]
    assert "is not in P4" in repair  # the specific error goes back to the model
