"""The rules-seeded review against the scripted server: the rules engine's items go to the
model by id, kept ones keep their exact offsets, drops are flagged, additions are grounded in
the sentence they cite, and the answer's size is bounded by the number of candidates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openai_scenarios import FIXTURE
from openai_server import Reply, ScriptedServer, scripted_engine

from briefer import Briefing, brief
from briefer.contract import Article
from briefer.engines.openai import seeded
from briefer.engines.rules import RulesEngine

TEXT = FIXTURE.read_text(encoding="utf-8")
RULES = RulesEngine().analyze(Article(text=TEXT))
SHOWN = seeded.numbered_sentences(TEXT)
CANDIDATES = seeded.candidates(TEXT, RULES, SHOWN)
IDS = [c.id for c in CANDIDATES]
LETTER = {
    "s": 7,
    "source": "The dockworkers' union",
    "kind": "institution",
    "cue": "in a letter to councillors",
    "content": "backed the plan",
}


def verdicts(**dropped: str) -> dict[str, str]:
    return {id_: dropped.get(id_, "keep") for id_ in IDS}


def run(server: ScriptedServer, tmp_path: Path, answer: Any, **reply: Any) -> Briefing:
    server.push(Reply.answer(answer, **reply))
    engine = scripted_engine(server, tmp_path, extraction="seeded", no_cache=True)
    return brief(TEXT, engine=engine)


def claim_texts(briefing: Briefing) -> list[str]:
    return [claim.content.text for claim in briefing.claims]


def test_the_prompt_numbers_sentences_and_lists_candidates_by_id(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    run(scripted_server, tmp_path, {"verdicts": verdicts(), "added": []})
    body = scripted_server.requests[0]["body"]
    user = body["messages"][1]["content"]
    assert "[S1] Harbour expansion plan splits Port Elwyn" in user
    assert all(f"\n{c.line}\n" in f"\n{user}\n" for c in CANDIDATES)
    schema = body["response_format"]["json_schema"]["schema"]
    verdict_schema = schema["$defs"]["SeededVerdicts"]
    # Exactly one verdict per candidate: a grammar-enforcing server cannot invent an id.
    assert verdict_schema["required"] == IDS and verdict_schema["additionalProperties"] is False
    assert body["max_completion_tokens"] == seeded.output_cap(CANDIDATES)


def test_kept_candidates_are_the_rules_items_exactly_and_drops_are_flagged(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    # C7 takes "the reckless rush" for a source; C9 files "declined to comment" as a claim.
    bad = {c.id for c in CANDIDATES if c.claim and c.claim.cue.text in ("shows", "declined")}
    assert len(bad) == 2
    briefing = run(
        scripted_server, tmp_path, {"verdicts": verdicts(**dict.fromkeys(bad, "drop")), "added": []}
    )
    kept = [c.claim for c in CANDIDATES if c.claim is not None and c.id not in bad]
    assert [(c.content.start, c.content.end) for c in briefing.claims] == [
        (k.content.start, k.content.end) for k in kept
    ]
    assert len(briefing.framing) == len(RULES.framing)
    dropped = [f for f in briefing.flags if f.code == "dropped_by_model"]
    assert sorted(f.message.split(" wrong")[0].split()[-1] for f in dropped) == sorted(bad)
    assert briefing.provenance.prompt_version == "seeded-1"
    assert briefing.bluf == RULES.bluf and briefing.provenance.bluf_method == "extractive"


def test_additions_ground_in_their_sentence_and_repeats_or_nonsense_are_left_out(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    repeat = {
        "s": 5,
        "source": "Mayor Ines Calder",
        "kind": "official",
        "cue": "told",
        "content": "the town",
    }
    long_cue = {**LETTER, "cue": "backed the plan in a letter to"}
    elsewhere = {**LETTER, "s": 99}
    briefing = run(
        scripted_server,
        tmp_path,
        {"verdicts": verdicts(), "added": [LETTER, repeat, long_cue]},
    )
    added = [c for c in briefing.claims if c.content.text == "backed the plan"]
    assert len(added) == 1
    assert added[0].cue.text == "in a letter to councillors"
    assert added[0].source.name == "The dockworkers' union"
    assert added[0].source.span is not None
    # Every rules claim is still there, once.
    assert len(briefing.claims) == sum(1 for c in CANDIDATES if c.claim) + 1
    ungrounded = [f.message for f in briefing.flags if f.code == "ungrounded_claim"]
    assert ungrounded == [
        "dropped a model addition: addition cue 'backed the plan in a letter to' is not a cue "
        "of at most 6 words"
    ]
    assert "1 model addition(s) repeated a candidate" in " ".join(briefing.provenance.warnings)
    scripted_server.push(Reply.answer({"verdicts": verdicts(), "added": [elsewhere]}))
    engine = scripted_engine(scripted_server, tmp_path, extraction="seeded", no_cache=True)
    flags = brief(TEXT, engine=engine).flags
    assert any("cites S99" in f.message for f in flags if f.code == "ungrounded_claim")


def test_a_model_that_drops_most_candidates_is_not_applied(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    everything = dict.fromkeys(IDS, "drop")
    briefing = run(scripted_server, tmp_path, {"verdicts": everything, "added": []})
    assert len(briefing.claims) == sum(1 for c in CANDIDATES if c.claim)
    assert len(briefing.framing) == len(RULES.framing)
    assert not any(f.code == "dropped_by_model" for f in briefing.flags)
    (flag,) = [f for f in briefing.flags if f.code == "review_not_applied"]
    assert f"judged {len(IDS)} of the rules engine's {len(IDS)} items wrong" in flag.message
    # Half of them is still a review.
    half = dict.fromkeys(IDS[: len(IDS) // 2], "drop")
    briefing = run(scripted_server, tmp_path, {"verdicts": verdicts(**half), "added": []})
    assert sum(f.code == "dropped_by_model" for f in briefing.flags) == len(half)
    assert not any(f.code == "review_not_applied" for f in briefing.flags)


def test_invented_ids_or_no_verdicts_keep_every_candidate_and_say_so(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    invented = {"verdicts": {**verdicts(), "C99": "drop"}, "added": []}
    briefing = run(scripted_server, tmp_path, invented)
    assert len(briefing.claims) == sum(1 for c in CANDIDATES if c.claim)
    assert not any(f.code == "dropped_by_model" for f in briefing.flags)
    unusable = run(scripted_server, tmp_path, "not JSON at all")
    assert len(unusable.claims) == len(briefing.claims)
    assert "no usable verdicts" in " ".join(unusable.provenance.warnings)


def test_a_cut_off_review_is_flagged_and_keeps_what_has_no_verdict(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    cut = '{"verdicts": {"C1": "drop", "C2": "keep", "C3": "dr'
    briefing = run(scripted_server, tmp_path, cut, finish_reason="length")
    codes = [f.code for f in briefing.flags]
    assert "truncated_output" in codes
    assert len(briefing.claims) >= sum(1 for c in CANDIDATES if c.claim) - 1


def test_a_server_without_json_schema_gets_the_seeded_prompt_with_its_schema(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    rejected = {"error": {"message": "response_format type json_schema is not supported"}}
    scripted_server.push(Reply(status=400, body=rejected))
    kept_one = {"verdicts": verdicts(), "added": []}
    briefing = run(scripted_server, tmp_path, kept_one)
    assert len(briefing.claims) == sum(1 for c in CANDIDATES if c.claim)
    second = scripted_server.requests[1]["body"]
    assert second["response_format"] == {"type": "json_object"}
    system = second["messages"][0]["content"]
    # The review's own instructions and schema, not the free extraction's.
    assert system.startswith("You check an automatic analysis")
    assert '"SeededVerdicts"' in system and '"C1"' in system
    assert second["messages"][1] == scripted_server.requests[0]["body"]["messages"][1]
