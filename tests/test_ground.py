import random
import tracemalloc

import pytest

from briefer.engines.drafts import SpanRef
from briefer.ground import NormalizedText, _nearest, align, normalize

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


def _per_character(text: str) -> tuple[str, list[int]]:
    """The folding spelled out one character at a time, with each folded character's origin."""
    chars: list[str] = []
    origin: list[int] = []
    previous_space = True
    for offset, char in enumerate(normalize_marks(text)):
        if char.isspace():
            if previous_space:
                continue
            char, previous_space = " ", True
        else:
            previous_space = False
        for lower in char.lower():
            chars.append(lower)
            origin.append(offset)
    while chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), origin


def normalize_marks(text: str) -> str:
    return text.translate(str.maketrans("\u201c\u201d\u2019\u2014\u00a0", '""\'- '))


def test_folded_offsets_match_a_per_character_fold() -> None:
    rng = random.Random(8)
    alphabet = [*"abXY  \n\t.,'\"", "\u00a0", "\u201c", "\u201d", "\u2019", "\u2014", "\u0130"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
        folded, origin = _per_character(text)
        region = NormalizedText.build(text, base=7)
        assert region.folded == folded
        for start in range(len(folded)):
            end = rng.randint(start + 1, len(folded))
            assert region.original_range(start, end) == (7 + origin[start], 8 + origin[end - 1])


def test_a_letter_whose_lower_case_is_longer_keeps_later_offsets_right() -> None:
    # Before: "\u0130" folded to two characters with one origin, so everything after it mapped
    # one character off (and the last one past the end).
    text = "\u0130zmir port  said the fees would rise"
    found = align(text, SpanRef(text="PORT SAID the fees"))
    assert found is not None and text[found.start : found.end] == "port  said the fees"


def test_folding_a_long_one_line_region_needs_little_memory() -> None:
    # Before: a list of characters and a list of int offsets, ~45 bytes per character.
    text = "The harbour board said the fees would rise again, " * 4000
    tracemalloc.start()
    try:
        region = NormalizedText.build(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert region.folded == normalize(text)
    assert peak < 5 * len(text)


def test_one_article_region_is_folded_once_for_all_its_spans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = " ".join(f"Speaker {n} said  the “levy {n}” was fair." for n in range(300))
    builds = []
    real = NormalizedText.build.__func__  # type: ignore[attr-defined]

    def counting(cls: type[NormalizedText], source: str, base: int = 0) -> NormalizedText:
        builds.append(len(source))
        return real(cls, source, base)

    monkeypatch.setattr(NormalizedText, "build", classmethod(counting))
    for n in range(0, 300, 10):
        found = align(text, SpanRef(text=f'said the "levy {n}" was fair'))
        assert found is not None and found.match == "normalized"
        assert text[found.start : found.end] == f"said  the “levy {n}” was fair"
    assert builds == [len(text)]


def test_nearest_occurrence_matches_a_scan() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice("ab ") for _ in range(rng.randint(1, 40)))
        needle = "".join(rng.choice("ab") for _ in range(rng.randint(1, 3)))
        lo = rng.randint(0, len(text) - 1)
        hi = rng.randint(lo + 1, len(text))
        hint = rng.randint(-5, len(text) + 5)
        positions = [p for p in range(lo, hi - len(needle) + 1) if text.startswith(needle, p)]
        expected = min(positions, key=lambda p: (abs(p - hint), p), default=-1)
        assert _nearest(text, needle, lo, hi, hint) == expected
