"""The digest email's HTML in a browser: its in-page links land, hostile titles stay text, and
its text keeps a contrast of at least 4.5:1 (the width checks are in test_layout)."""

from __future__ import annotations

from pathlib import Path

from browser_support import COLOURS, Opener, contrast


def test_every_in_page_link_lands_on_a_story(tab: Opener, digest_html: str, tmp_path: Path) -> None:
    page = tab()
    page.open(digest_html, tmp_path / "digest.html")
    links = page.eval(
        """() => [...document.querySelectorAll("a[href^='#']")].map((a) => {
        const t = document.getElementById(a.getAttribute("href").slice(1));
        return t ? t.tagName.toLowerCase() : null; })"""
    )
    assert links and set(links) == {"h2"}


def test_hostile_titles_and_text_stay_text(tab: Opener, digest_html: str, tmp_path: Path) -> None:
    page = tab()
    page.open(digest_html, tmp_path / "digest.html")
    assert page.eval("() => window.__pwned") is None
    assert page.eval("() => document.querySelectorAll('script, img').length") == 0
    assert page.eval("() => document.body.innerText.includes('<script>window.__pwned')")
    assert page.errors == []


def test_digest_text_keeps_a_contrast_of_at_least_4_5(
    tab: Opener, digest_html: str, tmp_path: Path
) -> None:
    page = tab()
    page.open(digest_html, tmp_path / "digest.html")
    found = page.eval(COLOURS, "body *")
    assert len(found) > 50
    low = {
        f["what"]: round(r, 2) for f in found if (r := contrast(f["color"], f["background"])) < 4.5
    }
    assert low == {}
