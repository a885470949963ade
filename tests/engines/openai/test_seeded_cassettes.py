"""Replayed rules-seeded reviews (cassettes/scripted_seeded_*.yaml), with the network blocked.

Recorded by tests/seeded_scenarios.py from the scripted server on 127.0.0.1. Each replay runs
the rules engine for the seed, as the pipeline does, and checks what the seeded protocol makes
of the model's verdicts and additions against that seed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cassettes_support import CASSETTES, recorded_at, recorder
from seeded_scenarios import (
    INVENTED,
    LETTER,
    SCENARIOS,
    WRONG,
    article,
    candidate_ids,
    engine,
    run,
    seed,
)

from briefer.contract import Briefing, Claim, Framing, Span
from briefer.engines.drafts import DraftClaim, DraftFraming, SpanRef

UNUSED_URL = "http://127.0.0.1:9/v1"  # replay never connects; port 9 is discard
ARTICLE = article()
SEED = seed(ARTICLE)
IDS = candidate_ids(ARTICLE, SEED)
# Candidate id -> the rules claim it shows (C1 is the seed's first claim).
RULES_CLAIMS = {f"C{n}": claim for n, claim in enumerate(SEED.claims, start=1)}

Where = tuple[int | None, int | None, str]


def _replay(name: str, tmp_path: Path) -> tuple[Briefing, dict[str, Any]]:
    """The briefing a scenario's cassette gives, and the one request body it recorded."""
    reviewer = engine(name, UNUSED_URL, tmp_path / "cache.sqlite3")
    cassette = f"scripted_seeded_{name}.yaml"
    with recorder().use_cassette(cassette, allow_playback_repeats=False) as tape:
        briefing = run(ARTICLE, SEED, reviewer)
        assert tape.all_played, "every recorded request was made"
        (request,) = tape.requests
    return briefing, json.loads(request.body)


def _at(ref: Span | SpanRef | None) -> Where | None:
    return None if ref is None else (ref.start, ref.end, ref.text)


def _claim_at(claim: Claim | DraftClaim) -> tuple[Where | None, ...]:
    """A claim's content, cue and source spans: what must survive the review unchanged."""
    source = claim.source.span if isinstance(claim, Claim) else claim.source
    return _at(claim.content), _at(claim.cue), _at(source)


def _framing_at(items: list[Framing] | list[DraftFraming]) -> list[tuple[Where | None, str]]:
    return [(_at(item.span), item.device) for item in items]


def _rules_claims(*leaving_out: str) -> list[tuple[Where | None, ...]]:
    return [_claim_at(c) for id_, c in RULES_CLAIMS.items() if id_ not in leaving_out]


def _rules_framing() -> list[tuple[Where | None, str]]:
    return _framing_at(SEED.framing)


def _codes(briefing: Briefing) -> list[str]:
    return [flag.code for flag in briefing.flags]


@pytest.mark.usefixtures("no_network")
def test_kept_candidates_are_the_rules_items_exactly_and_drops_are_flagged(
    tmp_path: Path,
) -> None:
    # Why these two are wrong: an outlet's phrase taken for a source, and a refusal to comment
    # filed as a claim.
    assert [RULES_CLAIMS[id_].cue.text for id_ in WRONG] == ["shows", "declined"]
    briefing, request = _replay("verdicts", tmp_path)
    assert [_claim_at(c) for c in briefing.claims] == _rules_claims(*WRONG)
    assert _framing_at(briefing.framing) == _rules_framing()
    assert _codes(briefing) == ["dropped_by_model", "dropped_by_model"]
    messages = [flag.message for flag in briefing.flags]
    assert messages[0].startswith("the model judged the rules engine's claim C7 wrong: C7 [S8]")
    assert messages[1].startswith("the model judged the rules engine's claim C9 wrong: C9 [S12]")
    assert briefing.provenance.warnings == []
    assert briefing.provenance.prompt_version == "seeded-1"
    assert (briefing.provenance.input_tokens, briefing.provenance.output_tokens) == (820, 110)
    # The review adds no summary: the BLUF is the rules engine's extractive one.
    assert briefing.bluf == SEED.bluf and briefing.provenance.bluf_method == "extractive"
    # The recorded request is the review (its prompt and one verdict per candidate id).
    assert request["messages"][0]["content"].startswith("You check an automatic analysis")
    schema = request["response_format"]["json_schema"]["schema"]
    assert schema["$defs"]["SeededVerdicts"]["required"] == IDS
    assert len(IDS) == 13


@pytest.mark.usefixtures("no_network")
def test_an_addition_grounds_in_its_sentence_and_miscited_or_repeated_ones_are_left_out(
    tmp_path: Path,
) -> None:
    briefing, _ = _replay("additions", tmp_path)
    *rules, added = briefing.claims
    assert [_claim_at(c) for c in rules] == _rules_claims()
    text = ARTICLE.text
    letter = text.index("The dockworkers' union backed the plan in a letter to councillors")
    assert added.content.text == LETTER["content"]
    assert added.content.start == letter + len("The dockworkers' union ")
    assert added.cue.text == "in a letter to councillors"
    assert added.source.name == "The dockworkers' union" and added.source.kind == "institution"
    assert added.source.span is not None and added.source.span.start == letter
    assert added.match == "exact"
    # S12 does not hold the critics' words (S2 does): grounding looks only where it is cited.
    assert _codes(briefing) == ["ungrounded_claim"]
    assert briefing.flags[0].message == (
        'dropped a model addition: addition content "would bury the town\'s fishing heritage" '
        "is not in S12 or beside it"
    )
    # The mayor's words are C4's content: left out, not a second claim.
    assert briefing.provenance.warnings == [
        "1 model addition(s) repeated a candidate and were left out"
    ]
    mayor = [c for c in briefing.claims if "cannot afford" in c.content.text]
    assert len(mayor) == 1 and _claim_at(mayor[0]) == _claim_at(RULES_CLAIMS["C4"])
    assert _framing_at(briefing.framing) == _rules_framing()


@pytest.mark.usefixtures("no_network")
def test_a_review_that_drops_every_candidate_is_not_applied(tmp_path: Path) -> None:
    briefing, _ = _replay("drops_everything", tmp_path)
    assert [_claim_at(c) for c in briefing.claims] == _rules_claims()
    assert _framing_at(briefing.framing) == _rules_framing()
    assert _codes(briefing) == ["review_not_applied"]
    assert briefing.flags[0].message.startswith(
        "the model judged 13 of the rules engine's 13 items wrong, more than 50%"
    )
    assert briefing.provenance.warnings == []


@pytest.mark.usefixtures("no_network")
def test_invented_ids_are_ignored_and_every_candidate_is_kept(tmp_path: Path) -> None:
    assert not set(INVENTED) & set(IDS)
    briefing, _ = _replay("invented_ids", tmp_path)
    assert [_claim_at(c) for c in briefing.claims] == _rules_claims()
    assert _framing_at(briefing.framing) == _rules_framing()
    # Two "drop" verdicts, both for ids that do not exist: nothing dropped, no guard tripped.
    assert briefing.flags == []


@pytest.mark.usefixtures("no_network")
def test_invented_ids_only_warn_that_no_verdict_was_usable(tmp_path: Path) -> None:
    briefing, _ = _replay("invented_ids", tmp_path)
    assert briefing.provenance.warnings == [
        "the model gave no usable verdicts; every candidate was kept"
    ]


def test_seeded_cassettes_say_they_come_from_the_scripted_server() -> None:
    for name in SCENARIOS:
        label = recorded_at(f"scripted_seeded_{name}.yaml")
        assert label.startswith("scripted OpenAI-protocol server (tests/openai_server.py)")
        assert "on 127.0.0.1" in label
    listed = (CASSETTES / "README.md").read_text(encoding="utf-8")
    assert "python tests/seeded_scenarios.py" in listed
