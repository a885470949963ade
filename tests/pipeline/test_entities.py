"""Source entities: which mentions of a source are one entry, and which stay apart."""

from __future__ import annotations

import pytest

import briefer
from briefer.contract import Article, Briefing, Claim, ClaimSource, Provenance, Span
from briefer.pipeline.entities import display_name, is_description, source_entities


def _claim(text: str, number: int, name: str, kind: str, phrase: str, cue: str, **kw) -> Claim:
    """A claim whose source phrase, cue and content are found in ``text`` after ``after``."""
    after = kw.get("after", 0)
    start = text.index(phrase, after)
    cue_start = text.index(cue, start + len(phrase))
    content_start = cue_start + len(cue) + 1
    content_end = text.index(".", content_start)
    return Claim(
        id=f"c{number}",
        statement=text[content_start:content_end],
        source=ClaimSource(name=name, kind=kind, span=Span.of(text, start, start + len(phrase))),
        cue=Span.of(text, cue_start, cue_start + len(cue)),
        content=Span.of(text, content_start, content_end),
        quote="indirect",
        via=list(kw.get("via", [])),
    )


def _entities(text: str, claims: list[Claim]) -> list[tuple[str, list[str]]]:
    _, entries = source_entities(text, claims)
    return [(entry.name, entry.claim_ids) for entry in entries]


AUDIT = (
    "A new audit of the harbour authority found that repairs were two years late.\n\n"
    "The mayor said the delays were over.\n\n"
    "The audit which was ordered last spring said that costs had doubled."
)


def test_a_definite_description_joins_the_earlier_document() -> None:
    claims = [
        _claim(
            AUDIT, 1, "A new audit of the harbour authority", "document", "A new audit", "found"
        ),
        _claim(AUDIT, 2, "The mayor", "official", "The mayor", "said"),
        _claim(AUDIT, 3, "The audit", "document", "The audit which was ordered", "said"),
    ]
    linked, entries = source_entities(AUDIT, claims)
    assert [(e.id, e.claim_ids) for e in entries] == [("s1", ["c1", "c3"]), ("s2", ["c2"])]
    audit = entries[0]
    assert audit.name == "A new audit of the harbour authority"
    assert [m.text for m in audit.mentions] == ["A new audit", "The audit which was ordered"]
    assert [c.source_id for c in linked] == ["s1", "s2", "s1"]


INSPECTIONS = (
    "Shipping fell sharply, a port official said, according to federal inspection reports.\n\n"
    "The reports showed that three cranes had failed."
)


def test_the_reports_joins_an_earlier_plural_named_in_a_via_chain() -> None:
    claims = [
        _claim(
            INSPECTIONS,
            1,
            "a port official",
            "official",
            "a port official",
            "said",
            via=["federal inspection reports"],
        ),
        _claim(INSPECTIONS, 2, "The reports", "document", "The reports", "showed"),
    ]
    _, entries = source_entities(INSPECTIONS, claims)
    assert [(e.name, e.claim_ids, len(e.mentions)) for e in entries] == [
        ("a port official", ["c1"], 1),
        ("federal inspection reports", ["c2"], 1),
    ]


def test_a_plural_description_does_not_join_a_single_report() -> None:
    text = "A city report said rents rose.\n\nThe reports said rents fell."
    claims = [
        _claim(text, 1, "A city report", "document", "A city report", "said"),
        _claim(text, 2, "The reports", "document", "The reports", "said"),
    ]
    assert len(source_entities(text, claims)[1]) == 2


STUDY = "A study published in the Harbour Gazette by both writers Mira Holt and Jon Vasquez-Lee"
WRITERS = (
    "A study published in the Harbour Gazette by both writers Mira Holt and Jon Vasquez-Lee "
    "said that dredging harmed the reef.\n\n"
    "Myra Holt and Jon Vasquez-Lee wrote that divers saw it first.\n\n"
    "According to the Harbour Gazette, the port knew.\n\n"
    "Ann Vasquez said the reef was fine."
)


def test_writers_are_members_and_a_spelling_variant_joins() -> None:
    claims = [
        _claim(
            WRITERS,
            1,
            STUDY,
            "document",
            STUDY,
            "said",
        ),
        _claim(
            WRITERS,
            2,
            "Myra Holt and Jon Vasquez-Lee",
            "person",
            "Myra Holt and Jon Vasquez-Lee",
            "wrote",
        ),
        _claim(WRITERS, 3, "the Harbour Gazette", "media", "the Harbour Gazette", ",", after=200),
        _claim(WRITERS, 4, "Ann Vasquez", "person", "Ann Vasquez", "said"),
    ]
    _, entries = source_entities(WRITERS, claims)
    study = entries[0]
    # Rule 4: the outlet that published the study speaks for it later in the article.
    assert study.claim_ids == ["c1", "c2", "c3"]
    assert study.members == ["Mira Holt", "Jon Vasquez-Lee", "Myra Holt"]
    assert study.name == "A study published in the Harbour Gazette"
    assert study.kind == "document"
    assert len(study.mentions) == 3
    # A different surname (Vasquez is not Vasquez-Lee) stays apart.
    assert [(e.name, e.claim_ids, e.members) for e in entries[1:]] == [("Ann Vasquez", ["c4"], [])]


def test_two_different_named_reports_do_not_merge() -> None:
    text = (
        "The Ames report said the bridge was safe.\n\n"
        "The Baker report said the bridge was not safe.\n\n"
        "The report by the Carlow Institute said nobody knows."
    )
    claims = [
        _claim(text, 1, "The Ames report", "document", "The Ames report", "said"),
        _claim(text, 2, "The Baker report", "document", "The Baker report", "said"),
        _claim(text, 3, "The report by the Carlow Institute", "document", "The report by", "said"),
    ]
    assert _entities(text, claims) == [
        ("The Ames report", ["c1"]),
        ("The Baker report", ["c2"]),
        ("The report by the Carlow Institute", ["c3"]),
    ]


def test_a_description_naming_the_same_body_by_initials_joins() -> None:
    text = (
        "A Harbour Safety Board report said the crane failed.\n\n"
        "The report by HSB staff said the crane was old."
    )
    claims = [
        _claim(
            text,
            1,
            "A Harbour Safety Board report",
            "document",
            "A Harbour Safety Board report",
            "said",
        ),
        _claim(text, 2, "The report by HSB staff", "document", "The report by HSB staff", "said"),
    ]
    assert _entities(text, claims) == [("A Harbour Safety Board report", ["c1", "c2"])]


def test_unresolved_pronouns_stay_apart_and_people_are_not_antecedents() -> None:
    text = (
        "The inspector said the crane was old.\n\n"
        "He said the crane was new.\n\n"
        "He said the crane was gone.\n\n"
        "The inspector said it was sold."
    )
    pronoun = 'unidentified speaker ("He")'
    claims = [
        _claim(text, 1, "The inspector", "official", "The inspector", "said"),
        _claim(text, 2, pronoun, "person", "He", "said", after=text.index("He said")),
        _claim(
            text, 3, pronoun, "person", "He", "said", after=text.index("He said the crane was g")
        ),
        _claim(text, 4, "The inspector", "official", "The inspector", "said", after=20),
    ]
    assert _entities(text, claims) == [
        ("The inspector", ["c1", "c4"]),
        (pronoun, ["c2"]),
        (pronoun, ["c3"]),
    ]


def test_briefing_checks_source_ids() -> None:
    claims = [
        _claim(AUDIT, 1, "A new audit", "document", "A new audit", "found"),
        _claim(AUDIT, 2, "The audit", "document", "The audit which", "said"),
    ]
    linked, entries = source_entities(AUDIT, claims)
    base = {
        "article": Article(text=AUDIT),
        "bluf": "b",
        "provenance": Provenance(engine="test", created_at="2026-01-01T00:00:00+00:00"),
    }
    Briefing(claims=linked, sources=entries, **base)
    dangling = [linked[0].model_copy(update={"source_id": "s9"}), linked[1]]
    with pytest.raises(ValueError, match="names unknown source 's9'"):
        Briefing(claims=dangling, sources=entries, **base)
    moved = [linked[0], linked[1]]
    other = entries[0].model_copy(update={"id": "s2", "claim_ids": []})
    first = entries[0].model_copy(update={"claim_ids": ["c1", "c2"]})
    with pytest.raises(ValueError, match="does not list it"):
        Briefing(
            claims=[moved[0].model_copy(update={"source_id": "s2"}), moved[1]],
            sources=[first, other],
            **base,
        )
    bad_mention = entries[0].model_copy(update={"mentions": [Span(start=0, end=5, text="Wrong")]})
    with pytest.raises(ValueError, match="mention: span"):
        Briefing(claims=linked, sources=[bad_mention], **base)


def test_descriptions_and_display_names() -> None:
    assert is_description("the report which was prepared")
    assert is_description("These studies")
    assert not is_description("the Ames report")
    assert not is_description("another document")
    assert display_name(["the audit", "A county audit"]) == "A county audit"
    long = "A report published in the Gazette on Friday by the reporters Ann Lee and Bo Chan"
    assert display_name([long, "the report"]) == "A report published in the Gazette on Friday"
    assert display_name([long]) == long


HARBOUR = (
    "Harbour audit finds delays\n\n"
    "A new audit of the harbour authority found that crane repairs were two years late.\n\n"
    "The mayor said the delays were over. The audit said that costs had doubled.\n\n"
    "A study published in the Harbour Gazette by both writers Mira Holt and Jon Vasquez-Lee "
    "said that dredging had harmed the reef. Myra Holt and Jon Vasquez-Lee wrote that divers "
    "saw the damage first. According to the Harbour Gazette, the port knew for months.\n\n"
    "He said that the port would appeal.\n"
)


def test_brief_links_every_claim_to_its_entity() -> None:
    briefing = briefer.brief(HARBOUR, engine="rules")
    by_id = {entry.id: entry for entry in briefing.sources}
    assert [entry.id for entry in briefing.sources] == [f"s{n}" for n in range(1, 5)]
    for claim in briefing.claims:
        assert claim.source_id is not None and claim.id in by_id[claim.source_id].claim_ids
        assert claim.source.span in by_id[claim.source_id].mentions
    rows = [(e.name, e.kind, len(e.mentions), e.members) for e in briefing.sources]
    assert rows == [
        ("A new audit of the harbour authority", "document", 2, []),
        ("The mayor", "official", 1, []),
        (
            "A study published in the Harbour Gazette",
            "document",
            3,
            ["Mira Holt", "Jon Vasquez-Lee", "Myra Holt"],
        ),
        ('unidentified speaker ("He")', "person", 1, []),
    ]


def test_a_description_never_points_at_a_person() -> None:
    text = "Agency spokesman Ann Lee said the port was closed.\n\nThe agency said it was open."
    claims = [
        _claim(text, 1, "Agency spokesman Ann Lee", "official", "Agency spokesman Ann Lee", "said"),
        _claim(text, 2, "The agency", "institution", "The agency", "said"),
    ]
    assert _entities(text, claims) == [
        ("Agency spokesman Ann Lee", ["c1"]),
        ("The agency", ["c2"]),
    ]
