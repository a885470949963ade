"""Output file-name stems: safe, bounded, unique ignoring case."""

from __future__ import annotations

import pytest

from briefer.ingest import output_stem, unique_stems


@pytest.mark.parametrize(
    ("source", "stem"),
    [
        ("-", "stdin"),
        ("articles/harbor-report.txt", "harbor-report"),
        ("https://www.example.com/news/2026/port-audit.html", "example.com-news-2026-port-audit"),
        ("https://example.com/", "example.com"),
        ("https://example.com/story?id=42", "example.com-story-id-42"),
        ("../../etc/pass wd.txt", "pass-wd"),
        ("con.txt", "con-article"),
        ("..", "article"),
    ],
)
def test_output_stem(source: str, stem: str) -> None:
    assert output_stem(source) == stem


def test_output_stem_is_bounded() -> None:
    stem = output_stem("https://example.com/" + "a-very-long-slug/" * 20)
    assert len(stem) <= 80 and "/" not in stem


def test_unique_stems() -> None:
    sources = ["a/story.txt", "b/story.txt", "c/Story.html", "-", "https://x.example/story"]
    assert unique_stems(sources) == ["story", "story-2", "Story-3", "stdin", "x.example-story"]
