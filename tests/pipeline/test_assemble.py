"""Grounding and assembly of an engine's draft, with a hand-made engine (no rules, no model)."""

import pytest

import briefer
from briefer.contract import Article
from briefer.engines import Engine, resolve_engine_name
from briefer.engines.drafts import Draft, DraftClaim, DraftFraming, SpanRef
from briefer.errors import ConfigError

TEXT = (
    "The mayor said the tram line would open in 2027.\n\n"
    "Critics argue the budget is a fantasy. This reckless scheme will bankrupt the city."
)


class ScriptedEngine(Engine):
    """Returns a fixed draft: one good claim, one invented claim, a duplicated framing item."""

    name = "scripted"

    def analyze(self, article: Article) -> Draft:
        return Draft(
            bluf="The mayor expects the tram line to open in 2027.",
            claims=[
                DraftClaim(
                    statement="The mayor said the tram line would open in 2027.",
                    source_name="The mayor",
                    source_kind="official",
                    source=SpanRef(text="The mayor"),
                    cue=SpanRef(text="said"),
                    content=SpanRef(text="the tram line would open in 2027"),
                ),
                DraftClaim(
                    statement="The mayor promised free fares for every resident of the city.",
                    source_name="The mayor",
                    source_kind="official",
                    cue=SpanRef(text="promised"),
                    content=SpanRef(text="free fares for every resident of the city"),
                ),
                DraftClaim(
                    statement="Critics argue the budget is unrealistic.",
                    source_name="Critics",
                    source_kind="vague",
                    source=SpanRef(text="Some critics"),
                    cue=SpanRef(text="argue"),
                    content=SpanRef(text="the budget is a fantasy"),
                ),
            ],
            framing=[
                DraftFraming(
                    span=SpanRef(text="This reckless scheme will bankrupt the city."),
                    device="unattributed_assertion",
                    note="outlet-voice prediction",
                ),
                DraftFraming(
                    span=SpanRef(text="This reckless scheme will bankrupt the city."),
                    device="unattributed_assertion",
                    note="duplicate",
                ),
                DraftFraming(
                    span=SpanRef(text="a shameful betrayal of voters"),
                    device="loaded_language",
                    note="not in the article",
                ),
            ],
        )


def test_assembly_grounds_numbers_and_flags() -> None:
    result = briefer.brief(TEXT, engine=ScriptedEngine())
    assert [c.id for c in result.claims] == ["c1", "c2"]
    assert [c.source.name for c in result.claims] == ["The mayor", "Critics"]
    # the invented claim and the invented framing span are dropped and flagged
    codes = [flag.code for flag in result.flags]
    assert codes.count("ungrounded_claim") == 1
    assert codes.count("ungrounded_framing") == 1
    # a source phrase that is not in the text keeps the claim but loses the span
    assert result.claims[1].source.span is None
    assert "ungrounded_source" in codes
    assert [f.id for f in result.framing] == ["f1"]
    for claim in result.claims:
        for span in (claim.cue, claim.content):
            assert TEXT[span.start : span.end] == span.text
    assert [(s.name, s.claim_ids) for s in result.sources] == [
        ("The mayor", ["c1"]),
        ("Critics", ["c2"]),
    ]
    assert result.provenance.engine == "scripted"
    assert result.provenance.briefer_version == briefer.__version__


def test_unknown_engine_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown engine 'nope'"):
        resolve_engine_name("nope")


def test_brief_rejects_non_text_input() -> None:
    with pytest.raises(TypeError):
        briefer.brief(b"bytes", engine=ScriptedEngine())  # type: ignore[arg-type]
