from briefer.ground import NormalizedText, align, normalize
from briefer.models import SpanRef

TEXT = (
    "The harbour board met on Tuesday.\n\n"
    "“We will not raise the fees this year,” the chair said, adding that  the review\n"
    "would end in March.\n"
)


def test_engine_offsets_are_trusted_when_they_slice_the_text() -> None:
    start = TEXT.index("harbour board")
    found = align(TEXT, SpanRef(text="harbour board", start=start, end=start + 13))
    assert found is not None and (found.start, found.end, found.match) == (
        start,
        start + 13,
        "exact",
    )


def test_wrong_offsets_fall_back_to_search() -> None:
    found = align(TEXT, SpanRef(text="the chair said", start=0, end=14))
    assert found is not None
    assert TEXT[found.start : found.end] == "the chair said"
    assert found.match == "exact"


def test_nearest_occurrence_to_the_hint_wins() -> None:
    text = "said one. said two. said three."
    found = align(text, SpanRef(text="said", start=21, end=25))
    assert found is not None and found.start == text.index("said three")


def test_quotes_whitespace_and_case_are_normalised() -> None:
    found = align(TEXT, SpanRef(text='"we will not raise the fees this year,"'))
    assert found is not None and found.match == "normalized"
    assert TEXT[found.start : found.end] == "“We will not raise the fees this year,”"

    found = align(TEXT, SpanRef(text="adding that the review would end in March"))
    assert found is not None and found.match == "normalized"
    assert TEXT[found.start : found.end] == "adding that  the review\nwould end in March"


def test_fuzzy_match_tolerates_small_copying_errors() -> None:
    found = align(TEXT, SpanRef(text="We will not rase the fee this year"))
    assert found is not None and found.match == "fuzzy"
    assert "raise the fees" in TEXT[found.start : found.end]


def test_invented_text_is_not_aligned() -> None:
    assert align(TEXT, SpanRef(text="The minister resigned after the vote on the budget")) is None
    assert align(TEXT, SpanRef(text="   ")) is None
    # short strings must match exactly or normalised, never fuzzily
    assert align(TEXT, SpanRef(text="the chaor")) is None


def test_region_limits_the_search() -> None:
    second = TEXT.index("“We")
    assert align(TEXT, SpanRef(text="harbour", region=(second, len(TEXT)))) is None
    found = align(TEXT, SpanRef(text="fees", region=(second, len(TEXT))))
    assert found is not None and found.start > second


def test_normalized_text_maps_back_to_original_offsets() -> None:
    text = "  A\u00a0“quoted”\n\n  word "
    folded = NormalizedText.build(text)
    assert folded.folded == normalize(text) == 'a "quoted" word'
    start, end = folded.original_range(2, 10)
    assert text[start:end] == "“quoted”"
