"""One-line articles of any length: linear work and bounded memory, and the same claims.

Nothing here reads a clock. Work is counted as Python function calls (``sys.setprofile``),
memory as traced allocations; both are the same on an idle machine and a busy one. The
figures in time and RSS for 1 MB and 5 MB lines are in ``bench/bench_long_lines.py``.
"""

from __future__ import annotations

import random
import re
import sys
import tracemalloc
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from briefer.contract import Article
from briefer.engines.rules import RulesEngine
from briefer.engines.rules.content import _sentence_end_at
from briefer.engines.rules.quotes import Quoted
from briefer.engines.rules.text_ranges import RangeIndex, overlaps
from briefer.segment import MAX_SENTENCE, Unit, paragraphs, sentences

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def one_line(repeats: int, *, punctuation: bool = True) -> str:
    """The bundled examples as one line (paragraphs joined by spaces), ``repeats`` times."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    line = " ".join(" ".join(text.split()) for text in texts)
    if not punctuation:
        line = re.sub(r"[.!?]", "", line)
    return " ".join([line] * repeats)


def python_calls(text: str) -> int:
    """How many Python function calls (generator steps included) the rules engine makes."""
    calls = 0

    def count(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    engine = RulesEngine()
    sys.setprofile(count)
    try:
        engine.analyze(Article(text=text))
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("punctuation", [True, False], ids=["sentences", "no-punctuation"])
def test_engine_work_grows_linearly_on_one_line(punctuation: bool) -> None:
    # Before: every cue was checked against every quotation of the (one) paragraph and every
    # claim so far, so four times the text cost eight times the calls.
    small = python_calls(one_line(4, punctuation=punctuation))
    large = python_calls(one_line(16, punctuation=punctuation))
    assert large / small < 4.6


def _traced(step: Any) -> tuple[Any, int, int]:
    tracemalloc.start()
    try:
        result = step()
        retained, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, retained, peak


def test_splitting_one_line_needs_little_memory() -> None:
    # Before: deciding whether the one-line paragraph was a heading split all of it into
    # words first, ten times the text's size.
    text = one_line(40)
    units, _, peak = _traced(lambda: sentences(text))
    assert peak < 3 * len(text)
    assert units and all(unit.end - unit.start <= MAX_SENTENCE for unit in units)


@pytest.mark.parametrize("punctuation", [True, False], ids=["sentences", "no-punctuation"])
def test_engine_working_memory_is_a_few_times_the_text(punctuation: bool) -> None:
    text = one_line(40, punctuation=punctuation)
    engine = RulesEngine()
    engine.analyze(Article(text="Warm-up. The council said so."))  # lexicons, regex caches
    article = Article(text=text)
    draft, retained, peak = _traced(lambda: engine.analyze(article))
    assert draft.claims
    # What is still allocated at the end is the draft itself; the rest was working memory.
    assert peak - retained < 6 * len(text)


def test_one_line_gives_the_claims_of_the_same_paragraphs_on_lines() -> None:
    text = (EXAMPLES / "harbor-report.txt").read_text(encoding="utf-8")
    body = [text[u.start : u.end] for u in paragraphs(text) if u.kind == "paragraph"] * 20
    engine = RulesEngine()

    def claims(article: str) -> list[tuple[str | None, str, str, str]]:
        draft = engine.analyze(Article(text=article))
        return [
            (c.source.text if c.source else None, c.cue.text, c.content.text, c.source_name)
            for c in draft.claims
        ]

    on_lines = claims("\n\n".join(body))
    assert len(on_lines) > 400  # 20 copies of the example's 22 claims
    assert claims(" ".join(body)) == on_lines


# ---- the lookups that replaced linear scans give the same answers --------------------------


def _random_disjoint(rng: random.Random, count: int) -> list[tuple[int, int]]:
    spans, position = [], 0
    for _ in range(count):
        start = position + rng.randint(0, 5)
        end = start + rng.randint(1, 8)
        spans.append((start, end))
        position = end
    return spans


def test_quoted_lookup_matches_a_scan() -> None:
    rng = random.Random(8)
    for _ in range(200):
        spans = _random_disjoint(rng, rng.randint(0, 12))
        quoted = Quoted(spans)
        for _ in range(30):
            a = rng.randint(0, 80)
            span = (a, a + rng.randint(1, 6))
            scan = any(start < span[0] and span[1] < end for start, end in spans)
            assert quoted.encloses(span) == scan
        assert quoted.end_at == dict(spans)


def test_range_index_matches_a_scan() -> None:
    rng = random.Random(11)
    for _ in range(200):
        ranges = []
        for _ in range(rng.randint(0, 10)):  # overlapping and nested, in any order
            start = rng.randint(0, 60)
            ranges.append((start, start + rng.randint(0, 15)))
        index = RangeIndex(ranges)
        for _ in range(30):
            a = rng.randint(0, 80)
            span = (a, a + rng.randint(1, 10))
            assert index.overlaps(span) == any(overlaps(span, other) for other in ranges)


def test_sentence_end_lookup_matches_a_scan() -> None:
    def scan(units: list[Unit], offset: int) -> int:
        for unit in units:
            if unit.start <= offset <= unit.end:
                return unit.end
        return offset

    rng = random.Random(5)
    for _ in range(200):
        spans = _random_disjoint(rng, rng.randint(0, 10))
        if spans and rng.random() < 0.5:  # touching units: an offset can be in two
            spans = [
                (start, spans[i + 1][0] if i + 1 < len(spans) else end)
                for i, (start, end) in enumerate(spans)
            ]
        units = [Unit(start, end, "sentence") for start, end in spans]
        for offset in range(0, 90):
            assert _sentence_end_at(units, offset) == scan(units, offset)
