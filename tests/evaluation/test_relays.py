"""A claim's relay chain in the briefing, and in what the attribution evaluation scores."""

from __future__ import annotations

import pytest

import briefer
from briefer.contract import Briefing
from briefer.engines import get_engine
from briefer.evaluation.attribution import predicted_relations

TEXT = (
    "According to the Valley Courier, the county audit shows that the ferry lost money for years. "
    "The ferry will keep running."
)


def test_the_briefing_points_at_the_relaying_source_cue_and_stretch() -> None:
    briefing = briefer.brief(TEXT, engine="rules")
    (claim,) = briefing.claims
    assert claim.via == ["the Valley Courier"]
    (link,) = claim.relays
    assert link.name == "the Valley Courier"
    assert link.source is not None and link.source.text == "the Valley Courier"
    assert link.cue.text == "According to"
    assert link.content.text == "the county audit shows that the ferry lost money for years"
    assert all(span.slices(TEXT) for span in (link.source, link.cue, link.content))


def test_a_relay_span_that_does_not_slice_the_text_is_refused() -> None:
    data = briefer.brief(TEXT, engine="rules").model_dump()
    data["claims"][0]["relays"][0]["cue"]["text"] = "Reported by"
    with pytest.raises(ValueError, match=r"relay cue: span .* does not slice its text"):
        Briefing.model_validate(data)


def test_the_evaluation_scores_the_relay_as_an_attribution_of_its_own() -> None:
    relations = predicted_relations(TEXT, get_engine("rules"))
    spans = {
        (TEXT[r.source[0] : r.source[1]] if r.source else None, TEXT[r.cue[0] : r.cue[1]])
        for r in relations
    }
    assert spans == {("the county audit", "shows"), ("the Valley Courier", "According to")}
    outer = next(r for r in relations if TEXT[r.cue[0] : r.cue[1]] == "According to")
    assert TEXT[outer.content[0] : outer.content[1]].startswith("the county audit shows")
