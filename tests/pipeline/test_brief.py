"""``brief()`` end to end with the rules engine: a valid Briefing grounded in the text."""

from __future__ import annotations

import json

from briefer import Article, Briefing, brief

ARTICLE = """Valley water board raises rates

The Valley water board voted on Thursday to raise household rates by eight percent.

"We have put off repairs for too long," board chair Rosa Lindqvist said after the vote. \
"The pipes under Main Street are older than most of us."

According to the Valley Courier, a consultant's study commissioned last year found that a \
third of the town's pipes leak.

Some residents say the increase is unfair, and critics argue the board wasted money on \
consultants.

It was reported that the state may offer a loan.
"""


def test_brief_with_rules_engine_is_valid_and_grounded() -> None:
    briefing = brief(Article(text=ARTICLE, title="Water rates"), engine="rules")
    assert isinstance(briefing, Briefing)
    assert briefing.provenance.engine == "rules"
    assert briefing.provenance.bluf_method == "extractive"
    assert briefing.bluf.startswith("The Valley water board voted on Thursday")
    text = briefing.article.text
    for claim in briefing.claims:
        assert claim.alignment == "exact"
        for span in (claim.cue, claim.content, claim.source.span):
            if span is not None:
                assert text[span.start : span.end] == span.text
    for item in briefing.framing:
        assert text[item.span.start : item.span.end] == item.span.text

    names = {source.name: source.kind for source in briefing.sources}
    assert names["board chair Rosa Lindqvist"] == "official"
    # The Courier relays the study's finding: one claim, the study's, with the Courier in via.
    assert "the Valley Courier" not in names
    study = next(c for c in briefing.claims if c.source.name.startswith("a consultant"))
    assert study.source.kind == "document"
    assert study.via == ["the Valley Courier"]
    chair = next(c for c in briefing.claims if c.source.name == "board chair Rosa Lindqvist")
    assert chair.quote == "direct"
    # The content runs over the speaker tag into the next quotation; the statement drops the tag.
    assert chair.content.text.startswith('"We have put off repairs for too long," board chair')
    assert chair.content.text.endswith('"The pipes under Main Street are older than most of us."')
    assert chair.statement.startswith('Board chair Rosa Lindqvist said after the vote: "We have')
    passive = next(c for c in briefing.claims if c.source.span is None)
    assert passive.cue.text == "was reported"

    vague = {f.span.text for f in briefing.framing if f.device == "vague_attribution"}
    assert {"Some residents say", "critics argue"} <= vague
    assert not briefing.flags


def test_brief_accepts_plain_text_and_round_trips_json() -> None:
    briefing = brief("The minister said the border will reopen next week.", engine="rules")
    assert [c.statement for c in briefing.claims] == [
        "The minister said that the border will reopen next week"
    ]
    again = Briefing.model_validate(json.loads(briefing.model_dump_json()))
    assert again == briefing
