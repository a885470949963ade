import pytest
from pydantic import ValidationError

from briefer.contract import (
    Article,
    Briefing,
    Claim,
    ClaimSource,
    Provenance,
    SourceEntry,
    SourcingProfile,
    Span,
)

TEXT = "Officials said the bridge will reopen in May. The plan is a disaster."


def _claim(claim_id: str = "c1", **changes: object) -> dict:
    claim = Claim(
        id=claim_id,
        statement="Officials said the bridge will reopen in May.",
        source=ClaimSource(name="Officials", kind="official", span=Span.of(TEXT, 0, 9)),
        cue=Span.of(TEXT, 10, 14),
        content=Span.of(TEXT, 15, 44),
        quote="indirect",
    ).model_dump()
    claim.update(changes)
    return claim


def _briefing(**changes: object) -> dict:
    data = {
        "article": Article(text=TEXT).model_dump(),
        "bluf": "Officials expect the bridge to reopen in May.",
        "claims": [_claim()],
        "framing": [],
        "sources": [SourceEntry(name="Officials", kind="official", claim_ids=["c1"]).model_dump()],
        "flags": [],
        "provenance": Provenance(engine="rules", created_at="2026-01-01T00:00:00+00:00"),
    }
    data.update(changes)
    return data


def test_valid_briefing_passes() -> None:
    briefing = Briefing.model_validate(_briefing())
    assert briefing.schema_version == "1"
    assert briefing.article.sha256 and len(briefing.article.sha256) == 64


def test_span_that_does_not_slice_the_text_is_rejected() -> None:
    bad = _claim(content={"start": 15, "end": 44, "text": "the bridge will reopen in June"})
    with pytest.raises(ValidationError, match="does not slice"):
        Briefing.model_validate(_briefing(claims=[bad]))


def test_span_past_the_end_is_rejected() -> None:
    bad = _claim(cue={"start": 60, "end": 200, "text": TEXT[60:200]})
    with pytest.raises(ValidationError, match="past the end"):
        Briefing.model_validate(_briefing(claims=[bad]))


def test_duplicate_ids_are_rejected() -> None:
    sources = [{"name": "Officials", "kind": "official", "claim_ids": ["c1"]}]
    with pytest.raises(ValidationError, match="more than once"):
        Briefing.model_validate(_briefing(claims=[_claim(), _claim()], sources=sources))


def test_sources_must_list_existing_claims_and_every_claim() -> None:
    with pytest.raises(ValidationError, match="unknown claim"):
        Briefing.model_validate(
            _briefing(
                sources=[{"name": "Officials", "kind": "official", "claim_ids": ["c1", "c9"]}]
            )
        )
    with pytest.raises(ValidationError, match="not listed under any source"):
        Briefing.model_validate(_briefing(sources=[]))


def test_claim_without_source_name_is_rejected() -> None:
    bad = _claim(source={"name": " ", "kind": "vague", "span": None})
    with pytest.raises(ValidationError, match="has no source"):
        Briefing.model_validate(_briefing(claims=[bad]))


def test_unknown_fields_and_kinds_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Briefing.model_validate(_briefing(surprise=True))
    bad = _claim(source={"name": "X", "kind": "blogger", "span": None})
    with pytest.raises(ValidationError):
        Briefing.model_validate(_briefing(claims=[bad]))


def test_article_hash_must_match_text() -> None:
    with pytest.raises(ValidationError, match="sha256"):
        Article(text="abc", sha256="0" * 64)


def _profile(**changes: object) -> dict:
    # The profile of _briefing(): one named, first-hand, indirect claim by officials;
    # 13 words, of which "Officials said the bridge will reopen in May" (8) are attributed.
    profile = {
        "claims": 1,
        "named": 1,
        "first_hand": 1,
        "indirect": 1,
        "people": 1,
        "words": 13,
        "attributed_words": 8,
        "outlet_voice_words": 5,
        "named_share": 1.0,
        "first_hand_share": 1.0,
        "indirect_share": 1.0,
        "people_share": 1.0,
        "attributed_share": 0.6154,
        "outlet_voice_share": 0.3846,
    }
    profile.update(changes)
    return profile


def test_a_briefing_without_a_profile_still_validates() -> None:
    # JSON written before the profile existed has no "profile" key.
    data = Briefing.model_validate(_briefing()).model_dump(mode="json")
    del data["profile"]
    assert Briefing.model_validate(data).profile is None
    with_profile = Briefing.model_validate(_briefing(profile=_profile()))
    assert with_profile.profile == SourcingProfile(**_profile())
    assert with_profile.schema_version == "1"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"named": 2}, "named \\+ anonymous \\+ vague is not claims"),
        ({"relayed": 1}, "first_hand \\+ relayed is not claims"),
        ({"attributed_words": 9}, "attributed_words \\+ outlet_voice_words is not words"),
        ({"framing_words": 6}, "framing_words exceed outlet_voice_words"),
        ({"named_share": 0.5}, "named_share is not named / claims"),
        ({"outlet_voice_share": 0.38}, "outlet_voice_share is not outlet_voice_words / words"),
    ],
)
def test_a_profile_that_does_not_add_up_is_refused(changes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        SourcingProfile(**_profile(**changes))


def test_a_profile_of_other_claims_is_refused() -> None:
    two = _profile(claims=2, named=2, first_hand=2, indirect=2, people=2)
    with pytest.raises(ValidationError, match="profile counts 2 claims, the briefing has 1"):
        Briefing.model_validate(_briefing(profile=two))


def _entity(**changes: object) -> dict:
    entry = {
        "id": "s1",
        "name": "Officials",
        "kind": "official",
        "claim_ids": ["c1"],
        "mentions": [Span.of(TEXT, 0, 9).model_dump()],
        "members": [],
    }
    entry.update(changes)
    return entry


def test_source_entities_and_source_ids_validate_and_old_entries_still_do() -> None:
    briefing = Briefing.model_validate(
        _briefing(claims=[_claim(source_id="s1")], sources=[_entity()])
    )
    assert briefing.claims[0].source_id == "s1"
    assert briefing.sources[0].mentions[0].text == "Officials"
    # Written before entities: no id, no mentions, no source_id.
    old = Briefing.model_validate_json(Briefing.model_validate(_briefing()).model_dump_json())
    assert old.sources[0].id == "" and old.claims[0].source_id is None


@pytest.mark.parametrize(
    ("claim", "sources", "message"),
    [
        ({"source_id": "s9"}, [_entity()], "names unknown source 's9'"),
        ({"source_id": ""}, [_entity()], "names unknown source ''"),
        (
            {"source_id": "s2"},
            [_entity(), _entity(id="s2", name="Others", claim_ids=[])],
            "source 's2' does not list it",
        ),
        ({}, [_entity(), _entity(claim_ids=[])], "source id 's1' is used more than once"),
        (
            {},
            [_entity(mentions=[{"start": 0, "end": 9, "text": "Ministers"}])],
            "source 's1' mention: span \\[0, 9\\) does not slice",
        ),
    ],
)
def test_dangling_source_ids_and_bad_mentions_are_refused(
    claim: dict, sources: list, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Briefing.model_validate(_briefing(claims=[_claim(**claim)], sources=sources))
