"""The sourcing profile: counts and shares of a hand-built briefing with known answers."""

from __future__ import annotations

import pytest

import briefer
from briefer.contract import (
    PROFILE_PARTITIONS,
    PROFILE_SHARES,
    Article,
    Briefing,
    Claim,
    ClaimSource,
    Framing,
    Provenance,
    SourceEntry,
    SourcingProfile,
    Span,
)
from briefer.engines import Engine
from briefer.engines.drafts import Draft, DraftClaim, DraftFraming, SpanRef
from briefer.pipeline.profile import combine, profile_of, sourcing_profile

# 24 words: 11 + 8 + 5. Claim c1 (content "the ferry will run daily") and c2 (content "run
# daily from June") overlap: the words "run daily" are attributed once.
TEXT = (
    "The harbour master said the ferry will run daily from June. "
    "Some residents believe it is a costly folly. "
    "A leaked memo shows delays."
)


def at(needle: str) -> Span:
    start = TEXT.index(needle)
    return Span.of(TEXT, start, start + len(needle))


def claim(
    claim_id: str,
    kind: str,
    content: str,
    cue: str,
    *,
    source: str | None = None,
    quote: str = "indirect",
    via: tuple[str, ...] = (),
) -> Claim:
    return Claim(
        id=claim_id,
        statement=content,
        source=ClaimSource(name=source or kind, kind=kind, span=at(source) if source else None),
        cue=at(cue),
        content=at(content),
        quote=quote,
        via=list(via),
    )


CLAIMS = [
    claim("c1", "official", "the ferry will run daily", "said", source="The harbour master"),
    claim("c2", "person", "run daily from June", "said", quote="direct", via=("Gazette",)),
    claim("c3", "vague", "it is a costly folly", "believe", source="Some residents"),
    # No source span: "A leaked memo" stays outlet voice, "shows delays" is attributed.
    claim("c4", "document", "delays", "shows", quote="mixed"),
]
FRAMING = [
    Framing(id="f1", span=at("costly folly"), device="loaded_language", note="n"),
    Framing(id="f2", span=at("it is a costly folly."), device="other", note="n"),
]


def test_claim_shares_add_up_and_a_relayed_claim_is_counted() -> None:
    profile = sourcing_profile(TEXT, CLAIMS, FRAMING)
    assert (profile.claims, profile.named, profile.anonymous, profile.vague) == (4, 3, 0, 1)
    assert (profile.first_hand, profile.relayed) == (3, 1)
    assert (profile.direct, profile.mixed, profile.indirect) == (1, 1, 2)
    assert (profile.documents, profile.people, profile.organizations) == (1, 2, 0)
    assert profile.unidentified == 1
    assert profile.named_share == 0.75 and profile.relayed_share == 0.25
    for total, parts in PROFILE_PARTITIONS:
        assert sum(getattr(profile, p) for p in parts) == getattr(profile, total)
        shares = [getattr(profile, name) for name, (c, _) in PROFILE_SHARES.items() if c in parts]
        assert sum(shares) == pytest.approx(1.0, abs=1e-3)


def test_overlapping_claims_count_their_words_once() -> None:
    profile = sourcing_profile(TEXT, CLAIMS, FRAMING)
    assert profile.words == 24
    # c1 + c2 with cue and source: "The harbour master said the ferry will run daily from
    # June" (11); c3: "Some residents believe it is a costly folly" (8); c4: "shows delays".
    assert profile.attributed_words == 11 + 8 + 2
    assert profile.outlet_voice_words == 3
    alone = sourcing_profile(TEXT, CLAIMS[:2])
    assert alone.attributed_words == 11  # not 5 + 4 + cue + source: "run daily" counts once
    assert alone.outlet_voice_words == 13
    assert alone.attributed_share == 0.4583 and alone.outlet_voice_share == 0.5417


def test_a_span_nested_inside_another_does_not_hide_the_words_after_it() -> None:
    outer = claim("c1", "person", "the ferry will run daily from June", "said")
    inner = claim("c2", "person", "ferry", "master")  # inside c1's content, and "master"
    profile = sourcing_profile(TEXT, [outer, inner])
    # "master said the ferry will run daily from June": 9 words, "June" included.
    assert profile.attributed_words == 9


def test_framing_words_are_counted_inside_the_outlet_voice_only() -> None:
    # Without c3, "it is a costly folly" is outlet voice: 5 words flagged (f1 inside f2).
    profile = sourcing_profile(TEXT, [CLAIMS[0], CLAIMS[3]], FRAMING)
    assert profile.framing_words == 5
    assert profile.framing_share == 0.2083
    # With c3 those words are attributed, so none of them is counted as framing.
    assert sourcing_profile(TEXT, CLAIMS, FRAMING).framing_words == 0


def test_an_article_without_claims_gives_zeros() -> None:
    profile = sourcing_profile(TEXT, [], [])
    assert profile.claims == 0 and profile.named_share == 0.0 and profile.relayed_share == 0.0
    assert profile.outlet_voice_words == profile.words == 24
    assert profile.outlet_voice_share == 1.0
    empty = sourcing_profile("", [], [])
    assert empty.words == 0 and empty.attributed_share == 0.0 and empty.outlet_voice_share == 0.0


def test_combine_sums_counts_before_taking_shares() -> None:
    one_named = sourcing_profile(TEXT, CLAIMS[:1])
    three = sourcing_profile(TEXT, CLAIMS[1:])  # 2 named, 1 vague
    both = combine([one_named, three])
    assert both.claims == 4 and both.named == 3
    # 3 of 4, not the mean of 1.0 and 0.6667.
    assert both.named_share == 0.75
    assert combine([]) == SourcingProfile()


def _briefing(profile: SourcingProfile | None = None) -> Briefing:
    return Briefing(
        article=Article(text=TEXT),
        bluf="b",
        claims=CLAIMS,
        framing=FRAMING,
        sources=[
            SourceEntry(name=c.source.name, kind=c.source.kind, claim_ids=[c.id]) for c in CLAIMS
        ],
        provenance=Provenance(engine="test", created_at="2026-01-01T00:00:00+00:00"),
        profile=profile,
    )


def test_profile_of_computes_a_missing_profile_and_keeps_a_present_one() -> None:
    assert profile_of(_briefing()) == sourcing_profile(TEXT, CLAIMS, FRAMING)
    # A stored profile is taken as it is, not recomputed (here: counted over no words).
    stored = sourcing_profile("", CLAIMS)
    assert profile_of(_briefing(stored)) is not None
    assert profile_of(_briefing(stored)).words == 0


class _Engine(Engine):
    name = "profiled"

    def analyze(self, article: Article) -> Draft:
        return Draft(
            bluf="b",
            claims=[
                DraftClaim(
                    statement="s",
                    source_name="The harbour master",
                    source_kind="official",
                    source=SpanRef(text="The harbour master"),
                    cue=SpanRef(text="said"),
                    content=SpanRef(text="the ferry will run daily from June"),
                ),
                DraftClaim(  # not in the text: dropped, so not profiled either
                    statement="s",
                    source_name="Nobody",
                    source_kind="anonymous",
                    cue=SpanRef(text="whispered"),
                    content=SpanRef(text="nothing at all here"),
                ),
            ],
            framing=[DraftFraming(span=SpanRef(text="costly folly"), device="other", note="n")],
        )


def test_brief_assembles_the_profile_of_the_grounded_claims() -> None:
    briefing = briefer.brief(TEXT, engine=_Engine())
    assert briefing.profile is not None
    assert briefing.profile.claims == len(briefing.claims) == 1
    assert briefing.profile.anonymous == 0
    assert briefing.profile.attributed_words == 11
    assert briefing.profile.framing_words == 2
    again = Briefing.model_validate_json(briefing.model_dump_json())
    assert again.profile == briefing.profile


def test_the_outlets_own_claims_are_outlet_voice() -> None:
    mine = claim("c9", "outlet", "delays", "shows", source="A leaked memo")
    theirs = claim("c9", "document", "delays", "shows", source="A leaked memo")
    as_outlet = sourcing_profile(TEXT, [mine])
    as_document = sourcing_profile(TEXT, [theirs])
    assert as_document.attributed_words == 5  # "A leaked memo shows delays"
    assert as_outlet.attributed_words == 0
    assert as_outlet.outlet_voice_words == as_outlet.words == 24
    assert as_outlet.organizations == 1  # the outlet is still counted as who the claim is from
