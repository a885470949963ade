"""Reading a model's answer: JSON inside chatter and fences, and what a cut-off answer keeps."""

from __future__ import annotations

from openai_scenarios import GOOD, TRUNCATED

from briefer.engines.openai.response import parse_json, salvage


def test_parse_json_tolerates_fences_and_chatter() -> None:
    assert parse_json('Sure! {"bluf": "x", "claims": [], "framing": []} done')[0] == {
        "bluf": "x",
        "claims": [],
        "framing": [],
    }
    data, error = parse_json("no json here")
    assert data is None and error and "no JSON" in error


def test_salvage_keeps_complete_items_only() -> None:
    data = salvage(TRUNCATED)
    assert data is not None
    assert data["claims"] == GOOD["claims"][: len(data["claims"])]
    assert 1 <= len(data["claims"]) < len(GOOD["claims"])
    assert salvage('{"bluf": "cut') is None
