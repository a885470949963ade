"""Rendering a Digest as email HTML (CSS inlined, size-capped) and plain text.

The cap is measured on the *inlined* HTML, since that is what the mail client receives: when
over, per-article detail is dropped from the end (the least covered stories come last) and the
dropped articles are summarised by counts, until the HTML fits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefer._version import __version__
from briefer.console import plain
from briefer.deliver.mail import MAX_HTML_BYTES, inline_css
from briefer.digest.model import Digest, Omitted, Story
from briefer.render import DEVICE_LABELS, KIND_LABELS, profile_view, render_template

HTML_TEMPLATE = "digest.html.j2"
TEXT_TEMPLATE = "digest.txt.j2"
MAX_INVENTORY = 25
MAX_SOURCING = 25  # outlets with a sourcing line; the rest are counted
MAX_FAILURES = 40
MAX_CORROBORATED = 8


@dataclass
class Rendered:
    html: str  # inlined
    text: str
    html_bytes: int
    detailed_articles: int
    total_articles: int


def window_label(digest: Digest) -> str:
    end = digest.window_end.strftime("%Y-%m-%d %H:%M UTC")
    if digest.window_start is None:
        return f"All unsent items up to {end}"
    start = digest.window_start.strftime("%Y-%m-%d %H:%M UTC")
    return f"{start} to {end}"


def _context(digest: Digest) -> dict[str, Any]:
    return {
        "d": digest,
        "stories": digest.stories,
        "window": window_label(digest),
        "devices": DEVICE_LABELS,
        "kinds": KIND_LABELS,
        "inventory": digest.inventory[:MAX_INVENTORY],
        "inventory_more": max(len(digest.inventory) - MAX_INVENTORY, 0),
        "failures": digest.failures[:MAX_FAILURES],
        "failures_more": max(len(digest.failures) - MAX_FAILURES, 0),
        # Per outlet: (outlet, articles, the profile's percentages) for the sourcing lines.
        "sourcing": [
            (s.outlet, s.articles, profile_view(s.profile)) for s in digest.sourcing[:MAX_SOURCING]
        ],
        "sourcing_more": max(len(digest.sourcing) - MAX_SOURCING, 0),
        "max_corroborated": MAX_CORROBORATED,
        "limit_kb": MAX_HTML_BYTES // 1000,
        "version": __version__,
    }


def truncated(digest: Digest, keep: int) -> Digest:
    """A copy showing only the first ``keep`` articles (in reading order) in detail."""
    stories: list[Story] = []
    dropped = []
    shown = 0
    for story in digest.stories:
        room = max(keep - shown, 0)
        kept, cut = story.articles[:room], story.articles[room:]
        dropped.extend(cut)
        shown += len(kept)
        if kept:
            names = {a.outlet for a in kept}
            stories.append(
                story.model_copy(
                    update={
                        "articles": kept,
                        "framing_by_outlet": [
                            side for side in story.framing_by_outlet if side.outlet in names
                        ]
                        if len(kept) > 1
                        else [],
                    }
                )
            )
    if not dropped:
        return digest
    by_outlet = Counter(a.outlet for a in dropped)
    for article in dropped:
        by_outlet.update(s.outlet for s in article.also_in)
    omitted = Omitted(
        articles=len(dropped) + sum(len(a.also_in) for a in dropped),
        outlets=len(by_outlet),
        claims=sum(a.claim_count for a in dropped),
        framing=sum(a.framing_count for a in dropped),
        by_outlet=sorted(by_outlet.items(), key=lambda pair: (-pair[1], pair[0]))[:30],
    )
    return digest.model_copy(update={"stories": stories, "omitted": omitted})


def render_text(digest: Digest, *, templates_dir: Path | None = None) -> str:
    # Plain text goes to a terminal (stdout mode) and to mail clients: feed titles with
    # "\x1b]0;...\x07" must not reach either as live control sequences.
    return plain(render_template(TEXT_TEMPLATE, templates_dir=templates_dir, **_context(digest)))


def render_html(digest: Digest, *, templates_dir: Path | None = None) -> str:
    """The HTML with CSS inlined (what goes into the email)."""
    raw = render_template(HTML_TEMPLATE, templates_dir=templates_dir, **_context(digest))
    return inline_css(raw)


def render_digest(
    digest: Digest, *, max_bytes: int = MAX_HTML_BYTES, templates_dir: Path | None = None
) -> Rendered:
    """HTML (inlined, at most ``max_bytes`` UTF-8 bytes when at all possible) and text.

    The text part follows the HTML's cut so both parts tell the same story.
    """
    total = sum(len(story.articles) for story in digest.stories)
    html = render_html(digest, templates_dir=templates_dir)
    size = len(html.encode("utf-8"))
    chosen, keep = digest, total
    if size > max_bytes:
        # Binary search for the most articles that fit; each probe renders and inlines.
        low, high = 0, total - 1
        best: tuple[Digest, str, int, int] | None = None
        while low <= high:
            middle = (low + high) // 2
            candidate = truncated(digest, middle)
            probe = render_html(candidate, templates_dir=templates_dir)
            probe_size = len(probe.encode("utf-8"))
            if probe_size <= max_bytes:
                best = (candidate, probe, probe_size, middle)
                low = middle + 1
            else:
                high = middle - 1
        if best is None:
            # Even without any article detail it is too big (huge appendix): send the smallest.
            chosen = truncated(digest, 0)
            html = render_html(chosen, templates_dir=templates_dir)
            size, keep = len(html.encode("utf-8")), 0
        else:
            chosen, html, size, keep = best
    text = render_text(chosen, templates_dir=templates_dir)
    return Rendered(
        html=html, text=text, html_bytes=size, detailed_articles=keep, total_articles=total
    )
