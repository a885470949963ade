"""The rules engine end to end: claims, vague-attribution framing and BLUF on an article."""

from __future__ import annotations

from briefer.contract import Article
from briefer.engines.rules import RulesEngine

ARTICLE = """Harbor town weighs new sea wall

The town council voted on Tuesday to study a new sea wall along the northern beach.

According to the Coastal Times, an engineering report prepared for the council warns that \
storms could breach the old wall within five years. "We cannot wait for the next flood," \
Mayor Ines Kowal said.

Experts believe the cost could double, and some say the money would be better spent on dunes.

It is believed that the state will pay part of the bill.
"""


def test_engine_spans_slice_the_text() -> None:
    draft = RulesEngine().analyze(Article(text=ARTICLE))
    assert draft.claims
    refs = []
    for claim in draft.claims:
        refs += [claim.cue, claim.content] + ([claim.source] if claim.source else [])
    refs += [item.span for item in draft.framing]
    for ref in refs:
        assert ref.start is not None and ref.end is not None
        assert ARTICLE[ref.start : ref.end] == ref.text


def test_engine_claims_sources_and_vague_framing() -> None:
    draft = RulesEngine().analyze(Article(text=ARTICLE))
    by_source = {claim.source_name: claim for claim in draft.claims}
    assert "the Coastal Times" not in by_source  # the report's chain, not a claim of its own
    report = next(c for c in draft.claims if c.source_name.startswith("an engineering report"))
    assert report.source_kind == "document"
    assert report.via == ["the Coastal Times"]
    assert by_source["Mayor Ines Kowal"].quote == "direct"
    assert by_source["Experts"].source_kind == "vague"
    vague = [f for f in draft.framing if f.device == "vague_attribution"]
    assert {f.span.text for f in vague} >= {"Experts believe", "some say"}
    assert all(f.note for f in vague)
    assert draft.bluf_method == "extractive"
    assert draft.bluf.startswith("The town council voted on Tuesday")


def test_empty_article_gives_an_empty_draft() -> None:
    draft = RulesEngine().analyze(Article(text="Short."))
    assert draft.claims == [] and draft.bluf == ""
