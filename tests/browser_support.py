"""For the browser tests (tests/browser): Chromium's flags, a page with what it reported, the
pages under test, and WCAG contrast from computed colours.

The browser is Debian's Chromium (``apt-get install chromium``; ``.ci/run`` installs it), never
one that ``playwright install`` downloads. The flags stop Chromium's own background requests
(updates, sync, field trials): the tests need no network and make none.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import digest_fixtures as fx

from briefer.cli import main
from briefer.contract import Article
from briefer.digest.build import build_digest
from briefer.digest.model import DigestItem
from briefer.digest.render import render_digest
from briefer.pipeline import brief
from briefer.render import render

if TYPE_CHECKING:
    from playwright.sync_api import Page

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = (1280, 390)
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "council-vote.html"
LONG_TITLE = "Harbour" + "x" * 9_993  # 10,000 characters and not one place to break
LONG_WORD = "Containerterminalbetriebsgesellschaft" * 8
# Invented, hostile: markup that must stay text, a word and a URL longer than a phone is wide.
HOSTILE_TEXT = (
    "Port officials said on Monday that the new crane would arrive in May. "
    "<script>window.__pwned = 'text'</script>\n\n"
    'A spokesperson for the harbour board said the delay "<img src=x '
    'onerror="window.__pwned = \'img\'">" had cost nothing so far.\n\n'
    f"The filing names the {LONG_WORD} as the operator, the auditor said.\n\n"
    f"The plan is published at https://harbour.example/{'plans/' * 60}crane.pdf for anyone."
)


def chromium_path() -> tuple[str | None, str]:
    """Debian's Chromium, or the binary ``BRIEFER_CHROMIUM`` names, and where it was looked for."""
    named = os.environ.get("BRIEFER_CHROMIUM")
    if named:
        return (named if Path(named).is_file() else None), f"BRIEFER_CHROMIUM={named}"
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and Path(candidate).is_file():
            return candidate, candidate
    return None, "/usr/bin/chromium (apt-get install chromium)"


@dataclass
class Tab:
    """A page plus what it reported: console messages and uncaught errors."""

    page: Page
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, html: str, path: Path) -> Page:
        """Write ``html`` to ``path`` and load it as a file:// page."""
        path.write_text(html, encoding="utf-8")
        self.page.goto(path.as_uri())
        return self.page

    def eval(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)


Opener = Callable[..., Tab]


@dataclass(frozen=True)
class Example:
    """The bundled example briefed by the CLI: the HTML page and the JSON it came from."""

    html: str
    briefing: dict[str, Any]

    def source(self, source_id: str) -> dict[str, Any]:
        return next(s for s in self.briefing["sources"] if s["id"] == source_id)


def example_page(folder: Path) -> Example:
    """``briefer brief examples/council-vote.html --format html`` (and ``json``), in-process,
    with no BRIEFER_* setting but a cache folder of its own (callers isolate the environment)."""
    for fmt in ("html", "json"):
        code = main(["brief", str(EXAMPLE), "--format", fmt, "-o", str(folder / fmt)])
        assert code == 0, f"briefer brief --format {fmt} exited {code}"
    html = (folder / "html").read_text(encoding="utf-8")
    return Example(html, json.loads((folder / "json").read_text(encoding="utf-8")))


def hostile_page() -> str:
    """A briefing (rules engine, Python render API) of hostile text with a 10,000-char title."""
    article = Article(
        text=HOSTILE_TEXT,
        title=f"{LONG_TITLE} <script>window.__pwned = 'title'</script>",
        outlet=f"Outlet <img src=x onerror=\"window.__pwned = 'outlet'\"> {LONG_WORD}",
        url=f"https://harbour.example/{'a' * 300}",
    )
    return render(brief(article, engine="rules"), "html")


def digest_page() -> str:
    """The digest email's HTML (CSS inlined) of the digest test stories plus a hostile one."""
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    stories = [(s.slug, s.title, s.outlet, s.text) for s in fx.STORIES.values()]
    hostile_title = f"{LONG_TITLE} <script>window.__pwned = 'digest'</script>"
    stories.append(("hostile", hostile_title, LONG_WORD, HOSTILE_TEXT))
    items = [
        DigestItem(
            item_id=slug,
            briefing=brief(
                Article(text=f"{title}\n\n{text}", title=title, outlet=outlet),
                engine=fx.SaidEngine(),
            ),
            url=f"https://news.example/{slug}",
            outlet=outlet,
            title=title,
            published=now,
        )
        for slug, title, outlet, text in stories
    ]
    digest = build_digest(items, title=f"Morning digest {LONG_WORD}", window_start=None, now=now)
    return render_digest(digest).html


# ---- contrast (WCAG 2.x) ------------------------------------------------------------------------


# Text colour and the first opaque background behind it, for every element with own text.
COLOURS = """(selector) => {
  const behind = (e) => {
    for (; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c !== "rgba(0, 0, 0, 0)" && c !== "transparent") return c;
    }
    return "rgb(255, 255, 255)";
  };
  return [...document.querySelectorAll(selector)]
    .filter((e) => e.getClientRects().length && [...e.childNodes].some(
      (n) => n.nodeType === 3 && n.textContent.trim()))
    .map((e) => ({ what: e.tagName.toLowerCase() + "." + [...e.classList].join("."),
                   color: getComputedStyle(e).color, background: behind(e) }));
}"""


def rgb(css: str) -> tuple[float, float, float]:
    """``rgb(r, g, b)`` or ``rgba(...)`` as computed styles write it (alpha must be 1)."""
    parts = [float(p) for p in re.findall(r"[\d.]+", css)]
    if len(parts) == 4 and parts[3] != 1:
        raise ValueError(f"translucent colour {css}: contrast needs the colour beneath")
    return parts[0], parts[1], parts[2]


def luminance(css: str) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
