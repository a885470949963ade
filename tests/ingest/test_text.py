"""Plain text and Markdown: headline, byline and date, outlet trailer, offsets kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefer.ingest import article_from_bytes, article_from_text, load_article


def test_title_stays_in_text_and_trailer_is_cut() -> None:
    raw = "Dam plan approved\n\nThe board approved it, officials said.\n\nSource » River News\n"
    article = article_from_text(raw)
    assert article.title == "Dam plan approved"
    assert article.outlet == "River News"
    assert article.text == "Dam plan approved\n\nThe board approved it, officials said."
    assert "River News" not in article.text


def test_markdown_heading_title_byline_and_date() -> None:
    raw = "# Dam plan approved\n*By Ana Lind, Staff Writer*\n2025-05-01\n\nBody text here.\n"
    article = article_from_text(raw)
    assert article.title == "Dam plan approved"
    assert article.author == "Ana Lind"
    assert article.published == "2025-05-01"
    # the text is kept as written: offsets are the file's
    assert article.text == raw


@pytest.mark.parametrize(
    ("trailer", "outlet"),
    [
        ("Source: Harbour Times", "Harbour Times"),
        ("Source » Harbour Times", "Harbour Times"),
        ("— Harbour Times", "Harbour Times"),
        ("Via: https://www.harbour.example/story/1", "harbour.example"),
    ],
)
def test_trailer_variants(trailer: str, outlet: str) -> None:
    article = article_from_text(f"Headline\n\nThe body.\n\n{trailer}\n")
    assert article.outlet == outlet
    assert article.text == "Headline\n\nThe body."


def test_dash_sentence_is_not_a_trailer() -> None:
    raw = "Headline\n\nThe body.\n\n— and then the mayor left the room without a word.\n"
    article = article_from_text(raw)
    assert article.outlet is None
    assert article.text == raw


@pytest.mark.parametrize(
    ("raw", "title", "author", "published"),
    [
        ("Headline\nMarch 3, 2026\n\nBody.", "Headline", None, "2026-03-03"),
        ("## Section one\n\nBody.", "Section one", None, None),
        ("Headline\nBy Jane Roe and Li Wei\n\nBody.", "Headline", "Jane Roe and Li Wei", None),
        ("Headline\n\nBy the time the vote came it was late\n\nBody.", "Headline", None, None),
    ],
)
def test_headline_block(raw: str, title: str, author: str | None, published: str | None) -> None:
    article = article_from_text(raw)
    assert (article.title, article.author, article.published) == (title, author, published)
    assert article.text == raw


def test_first_sentence_is_not_a_title() -> None:
    article = article_from_text("The board approved the plan on Monday.\n\nMore text.")
    assert article.title is None


def test_crlf_and_bom_are_normalised() -> None:
    data = "\ufeffHeadline\r\n\r\nLine one.\r\nLine two.\rLine three.\r\n".encode()
    article = article_from_bytes(data, name="a.txt", kind="text")
    assert article.text == "Headline\n\nLine one.\nLine two.\nLine three.\n"
    assert article.title == "Headline"


def test_offsets_point_into_the_file_text(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    body = "Headline\n\nThe mayor said “yes”.\n\nSource » X\n"
    path.write_text(body, encoding="utf-8")
    text = load_article(str(path)).text
    start = body.index("“yes”")
    assert text[start : start + 5] == "“yes”"
