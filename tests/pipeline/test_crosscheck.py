"""Cross-checking a model engine's draft against the rules engine: a pipeline step."""

from __future__ import annotations

import re

import pytest
from openai_server import Reply, ScriptedServer

from briefer.config import EngineSettings
from briefer.contract import Article
from briefer.engines import Engine
from briefer.engines.drafts import Draft, DraftClaim, DraftFraming, SpanRef
from briefer.engines.openai import OpenAIEngine
from briefer.pipeline import brief, crosscheck
from briefer.pipeline.crosscheck import Item, disagreements


def test_crosscheck_flags_both_disagreements() -> None:
    text = "The minister said taxes will rise. This disastrous plan, officials said, is doomed."
    cue_said = (text.index("said"), text.index("said") + 4)
    second_said = (text.rindex("said"), text.rindex("said") + 4)
    framing = Item("framing", "f", text.index("This"), len(text))
    lonely = Item("claim", "c", 0, 20)
    flags = disagreements(text, [framing, lonely], [second_said])
    assert [f.code for f in flags] == ["crosscheck_framing_has_cue"]
    far = "A" * 400 + " Taxes will rise."
    flags = disagreements(far, [Item("claim", "c", 401, len(far))], [cue_said])
    assert [f.code for f in flags] == ["crosscheck_claim_without_cue"]
    assert flags[0].span is not None and flags[0].span.text == "Taxes will rise."


@pytest.mark.parametrize("rules_finds_cues", [True, False])
def test_crosscheck_uses_the_rules_engine(
    scripted_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, rules_finds_cues: bool
) -> None:
    class FakeRules:
        def analyze(self, article: Article) -> Draft:
            starts = [m.start() for m in re.finditer("said", article.text)]
            return Draft(
                claims=[
                    DraftClaim(
                        statement="x",
                        source_name="x",
                        source_kind="person",
                        cue=SpanRef(text="said", start=start, end=start + 4),
                        content=SpanRef(text="x"),
                    )
                    for start in (starts if rules_finds_cues else [])
                ]
            )

    monkeypatch.setattr("briefer.pipeline.crosscheck._rules_engine", lambda: FakeRules())
    text = "Officials said the bridge is safe.\n\nThe shameful bridge, officials said, is unsafe.\n"
    frame = "The shameful bridge, officials said, is unsafe."
    answer = {
        "bluf": "b",
        "claims": [
            {
                "para": 1,
                "source": "Officials",
                "kind": "official",
                "cue": "said",
                "first": "the bridge is safe",
                "last": "",
                "quote": "indirect",
                "statement": "s",
                "via": [],
            }
        ],
        "framing": [{"para": 2, "text": frame, "device": "loaded_language", "note": "n"}],
    }
    scripted_server.push(Reply.answer(answer))
    engine = OpenAIEngine(
        settings=EngineSettings(extraction="free"), base_url=scripted_server.base_url, no_cache=True
    )
    assert engine.crosscheck  # the setting's default: the engine asks for the step
    # The pipeline runs the step; the engine's own draft holds no cross-check flags.
    briefing = brief(Article(text=text), engine=engine)
    codes = [f.code for f in briefing.flags]
    if rules_finds_cues:
        assert codes == ["crosscheck_framing_has_cue"]
        assert briefing.flags[0].span is not None and briefing.flags[0].span.text == frame
    else:
        assert codes == ["crosscheck_claim_without_cue"]


# The claim ends over 160 characters (NEAR) before the only cue, "said".
TEXT = (
    "The council approved the budget.\n\n"
    + "Work on the harbour wall starts in spring and ends in autumn. " * 3
    + "\n\nThe mayor said taxes would not rise.\n"
)


class Checked(Engine):
    """A model-like engine asking for the cross-check: one claim with no cue near it."""

    name = "checked"
    crosscheck = True

    def analyze(self, article: Article) -> Draft:
        content = "The council approved the budget."
        return Draft(
            claims=[
                DraftClaim(
                    statement="The council approved the budget.",
                    source_name="the council",
                    source_kind="official",
                    cue=SpanRef(text="approved"),
                    content=SpanRef(text=content, start=0, end=len(content)),
                )
            ],
            framing=[
                DraftFraming(
                    span=SpanRef(text="The mayor said taxes would not rise."),
                    device="unattributed_assertion",
                    note="n",
                )
            ],
        )


def test_the_pipeline_runs_the_rules_engine_for_an_engine_that_asks() -> None:
    codes = [f.code for f in brief(TEXT, engine=Checked()).flags]
    assert codes == ["crosscheck_claim_without_cue", "crosscheck_framing_has_cue"]
    quiet = Checked()
    quiet.crosscheck = False
    assert brief(TEXT, engine=quiet).flags == []


def test_without_the_rules_engine_the_check_is_skipped_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> Engine:
        raise ImportError("no rules engine here")

    monkeypatch.setattr("briefer.pipeline.crosscheck._rules_engine", broken)
    briefing = brief(TEXT, engine=Checked())
    assert briefing.flags == []
    assert briefing.provenance.warnings == [crosscheck.SKIPPED]


def test_the_step_takes_the_rules_draft_as_given() -> None:
    article = Article(text=TEXT)
    draft = Checked().analyze(article)
    start = TEXT.index("said")
    rules = Draft(
        claims=[
            DraftClaim(
                statement="x",
                source_name="The mayor",
                source_kind="official",
                cue=SpanRef(text="said", start=start, end=start + 4),
                content=SpanRef(text="taxes would not rise"),
            )
        ]
    )
    checked = crosscheck.check(article, draft, rules)
    assert [f.code for f in checked.flags] == [
        "crosscheck_claim_without_cue",
        "crosscheck_framing_has_cue",
    ]
    assert crosscheck.check(article, draft, Draft()).flags[0].code == "crosscheck_claim_without_cue"
    assert draft.flags == []  # the step returns a new draft
