"""What a reader sees of the page's shape: nothing wider than the window at desktop and phone
widths, a 10,000-character title and long words wrapped, headings in order."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from browser_support import LONG_TITLE, LONG_WORD, WIDTHS, Example, Opener

# Document width against window width, and the first elements that stick out past it.
OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll("body *")]
    .filter((e) => {
      const r = e.getBoundingClientRect();
      return r.width && r.right > root.clientWidth + 0.5;
    })
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className}#${e.id}`);
  return { scroll: root.scrollWidth, client: root.clientWidth, wide };
}"""
HEADINGS = """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
  .filter((h) => h.getClientRects().length)
  .map((h) => Number(h.tagName[1]))"""


def no_overflow(found: dict[str, object]) -> None:
    assert found["scroll"] <= found["client"], found  # type: ignore[operator]
    assert found["wide"] == [], found


@pytest.mark.parametrize("width", WIDTHS)
def test_the_example_briefing_fits_the_window(
    tab: Opener, example: Example, tmp_path: Path, width: int
) -> None:
    page = tab(width)
    page.open(example.html, tmp_path / "briefing.html")
    no_overflow(page.eval(OVERFLOW))


@pytest.mark.parametrize("width", WIDTHS)
def test_a_10000_character_title_and_long_words_wrap(
    tab: Opener, hostile_html: str, tmp_path: Path, width: int
) -> None:
    page = tab(width)
    page.open(hostile_html, tmp_path / "hostile.html")
    no_overflow(page.eval(OVERFLOW))
    heading = page.eval(
        """() => { const h = document.querySelector("h1"); const r = h.getBoundingClientRect();
        return { text: h.textContent, height: r.height, right: r.right,
                 line: parseFloat(getComputedStyle(h).lineHeight) }; }"""
    )
    assert heading["text"].startswith(LONG_TITLE)  # all of it shown, none cut off
    assert heading["height"] > 10 * heading["line"]  # wrapped onto many lines
    assert heading["right"] <= width
    word = page.eval(
        """(word) => [...document.querySelectorAll("#article-text p")]
        .filter((p) => p.textContent.includes(word))
        .map((p) => p.getBoundingClientRect().right)""",
        LONG_WORD,
    )
    assert word and max(word) <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_the_digest_fits_the_window(
    tab: Opener, digest_html: str, tmp_path: Path, width: int
) -> None:
    page = tab(width)
    page.open(digest_html, tmp_path / "digest.html")
    no_overflow(page.eval(OVERFLOW))


@pytest.mark.parametrize("which", ["briefing", "hostile", "digest"])
def test_headings_start_at_one_and_skip_no_level(
    tab: Opener, example: Example, hostile_html: str, digest_html: str, tmp_path: Path, which: str
) -> None:
    html = {"briefing": example.html, "hostile": hostile_html, "digest": digest_html}[which]
    page = tab()
    page.open(html, tmp_path / "page.html")
    levels = page.eval(HEADINGS)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert skips == [], levels
