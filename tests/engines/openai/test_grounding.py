"""Grounding a model's answer: what it cites is found in the paragraph it names, and items whose
roles make no sense (a sentence as the cue, the cue as the content) are refused with a reason."""

from __future__ import annotations

from typing import Any

import pytest

from briefer.engines.openai.grounding import MAX_CUE_WORDS, ground_claim
from briefer.engines.openai.prompting import number_paragraphs
from briefer.engines.openai.schema import LLMClaim

TEXT = (
    "Bridge reopens after repairs\n\n"
    "The harbour authority said on Monday that the bridge is safe and will reopen next week.\n\n"
    "According to the engineers, the cables were replaced in March."
)
PARAGRAPHS = number_paragraphs(TEXT)
BY_NUMBER = {p.number: p for p in PARAGRAPHS}
WHOLE = (PARAGRAPHS[0].start, PARAGRAPHS[-1].end)


def claim(**changes: Any) -> LLMClaim:
    fields: dict[str, Any] = {
        "para": 2,
        "source": "The harbour authority",
        "kind": "institution",
        "cue": "said",
        "first": "the bridge is safe",
        "last": "will reopen next week",
        "quote": "indirect",
        "statement": "The harbour authority says the bridge is safe.",
        "via": [],
    }
    fields.update(changes)
    return LLMClaim(**fields)


def ground(item: LLMClaim) -> Any:
    return ground_claim(TEXT, item, BY_NUMBER, WHOLE)


def content_of(result: Any) -> str:
    assert not isinstance(result, str), result
    return result[0].content.text


def test_a_sensible_claim_is_grounded_to_its_words() -> None:
    draft, (start, end) = ground(claim())
    assert TEXT[start:end] == "the bridge is safe and will reopen next week"
    assert draft.cue.region is not None and TEXT[slice(*draft.cue.region)] == "said"
    assert draft.source_name == "The harbour authority"


def test_a_sentence_as_the_cue_is_refused() -> None:
    long_cue = "The harbour authority said on Monday that the bridge"
    assert len(long_cue.split()) > MAX_CUE_WORDS
    assert ground(claim(cue=long_cue)) == (
        f"cue {long_cue!r} is 9 words; a cue is the attribution words alone "
        f"(at most {MAX_CUE_WORDS}), such as 'said' or 'according to'"
    )


def test_a_set_phrase_cue_of_a_few_words_is_kept() -> None:
    result = ground(
        claim(
            para=3,
            source="the engineers",
            cue="According to",
            first="the cables were replaced",
            last="in March",
        )
    )
    assert content_of(result) == "the cables were replaced in March"


def test_the_cue_as_the_content_is_refused() -> None:
    why = ground(claim(first="said", last=""))
    assert isinstance(why, str) and "is the cue itself" in why


@pytest.mark.parametrize(
    ("last", "content"),
    [
        # The model's "last" starts inside "first": the end still follows the start.
        ("safe and will reopen next week", "the bridge is safe and will reopen next week"),
        # It repeats words from before "first" began: the end is still found in the paragraph.
        ("that the bridge is safe and will reopen", "the bridge is safe and will reopen"),
    ],
)
def test_a_last_that_overlaps_first_still_ends_the_content(last: str, content: str) -> None:
    assert content_of(ground(claim(last=last))) == content


def test_a_last_that_ends_before_first_does_is_refused() -> None:
    why = ground(claim(first="the bridge is safe and will reopen", last="said on Monday"))
    assert isinstance(why, str) and why.startswith("content end")


@pytest.mark.parametrize("placeholder", ["unnamed source", "Unknown", "anonymous", "N/A"])
def test_a_placeholder_for_a_source_is_refused(placeholder: str) -> None:
    why = ground(claim(source=placeholder))
    assert why == (
        f"source {placeholder!r} is a placeholder: give the source as written, or '' if none"
    )


def test_a_named_kind_without_its_name_is_refused() -> None:
    # "Brazile" turned into no source at all, while the kind still says a person spoke.
    assert ground(claim(source="", kind="person")) == (
        "source is '' but kind is 'person': give the person as written, or kind 'anonymous' "
        "if the text names no one"
    )
    draft, _ = ground(claim(source="", kind="anonymous"))
    assert draft.source is None and draft.source_name == "unnamed source"


def test_a_source_only_after_the_content_far_away_is_refused() -> None:
    # A source stands next to its content or before it: "the engineers" (P3, the paragraph
    # after the content's) is found; "The council" stands only in P5 and is refused.
    text = TEXT + "\n\nLater, the city council met.\n\nThe council said nothing."
    paragraphs = number_paragraphs(text)
    by_number = {p.number: p for p in paragraphs}
    whole = (paragraphs[0].start, paragraphs[-1].end)
    why = ground_claim(text, claim(source="The council"), by_number, whole)
    assert why == "source 'The council' is not next to the content or before it"
    draft, _ = ground_claim(text, claim(source="the engineers"), by_number, whole)
    assert draft.source is not None


def test_first_and_last_are_bounded_in_the_schema() -> None:
    schema = LLMClaim.model_json_schema()
    assert schema["properties"]["first"]["maxLength"] == 80
    assert schema["properties"]["last"]["maxLength"] == 80
    with pytest.raises(ValueError, match="at most 80 characters"):
        claim(first="word " * 30)
