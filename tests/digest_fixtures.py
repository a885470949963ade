"""Invented articles and feeds for the digest tests, served by a real loopback HTTP server.

Three outlets publish feeds: Harbor Gazette (RSS 2.0), Valley Courier (Atom) and Coastal Wire
(RSS 2.0). The Riverton desalination vote is covered by two outlets with different framing
(the mayor's pledge appears in both: a corroborated claim); a Coastal Wire story about an
airline is syndicated word for word by the other two (a near-duplicate to merge).

Also how tests read the state database back (``problems``, ``digests``, ``sent_item_ids``):
straight from its tables, which is what the on-disk schema promises; a run never needs these.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import ClassVar

from briefer.contract import Article
from briefer.digest.state import DigestRecord, State
from briefer.engines.base import Engine
from briefer.engines.drafts import Draft, DraftClaim, DraftFraming, SpanRef

WIRE_AIRLINE = (
    "Northwind Airlines grounded its fleet of 38 regional jets on Tuesday after a software "
    "fault disabled cockpit displays on two flights, the company said in a statement.\n\n"
    '"We will not fly a single aircraft until engineers have traced the fault," chief '
    "executive Marta Lindqvist told reporters at the airline's base in Eastport.\n\n"
    "According to the National Transport Safety Office, both crews landed safely and no "
    "passengers were hurt. The office said it had opened an inquiry into the update that "
    "the manufacturer installed last week.\n\n"
    "About 9,000 passengers a day are affected, according to airport operator Eastport "
    "Aviation. The airline said it would refund tickets or rebook travellers on partner "
    "carriers while the jets remain on the ground.\n\n"
    "Union representative Pavel Okafor said pilots had raised concerns about the display "
    "software in September and that management had ignored them."
)

DESAL_GAZETTE = (
    "Riverton's city council on Monday approved a long-delayed desalination plant, ending "
    "years of bitter wrangling over the town's shrinking reservoirs.\n\n"
    "Mayor Elena Ruiz said the plant would supply drinking water to 40,000 homes by 2028. "
    '"This is the day Riverton stopped praying for rain," Ruiz told the packed chamber.\n\n'
    "The vote was 7 to 2. Councillor James Whitfield, who voted against, said the plant's "
    "energy bill would fall on ratepayers.\n\n"
    "Environmental group Blue Estuary warned that brine discharged into the bay could harm "
    "oyster beds, according to a letter the group sent to the council.\n\n"
    "Critics of the scheme have long been a noisy minority clinging to outdated fears."
)

DESAL_COURIER = (
    "A controversial desalination plant for Riverton won council approval on Monday despite "
    "warnings that it could devastate the bay's fragile oyster beds.\n\n"
    "Mayor Elena Ruiz said the plant would supply drinking water to 40,000 homes by 2028, "
    "a promise critics call wildly optimistic.\n\n"
    "Blue Estuary, an environmental group, said in a letter to the council that brine "
    "discharged into the bay could harm oyster beds and the fishing jobs that depend on "
    "them.\n\n"
    "Councillor James Whitfield said the plant's energy bill would fall on ratepayers, and "
    "that the council had rushed the vote.\n\n"
    "Once again, the city has put a vanity project ahead of the people who live on the bay."
)

QUOTA = (
    "Dozens of fishing boats blockaded Port Mallow harbour on Wednesday in protest at cuts "
    "to cod quotas announced by the Fisheries Authority.\n\n"
    '"They are cutting our catch in half and calling it science," said skipper Aoife '
    "Brennan, who has fished out of Port Mallow for thirty years.\n\n"
    "The Fisheries Authority said in a statement that stocks had fallen below the level "
    "needed to recover and that the cuts would be reviewed next spring."
)

LIBRARY = (
    "Valley Central Library will open until 9 p.m. on weekdays from January, the library "
    "board announced on Thursday.\n\n"
    "Board chair Hannah Osei said the longer hours were paid for by a grant from the "
    "Meridian Foundation and would help students who work during the day.\n\n"
    "Staff union steward Tom Reyes said the union had agreed to the new rota after the "
    "board promised two additional posts."
)

ORCHARD = (
    "The Kestrel Hill orchard festival drew a record 52,000 visitors over the weekend, "
    "organisers said on Sunday.\n\n"
    "Festival director Ines Moreau said cider sales had doubled compared with last year. "
    "Police said the event passed without serious incident.\n\n"
    "Local growers told the Coastal Wire that the early frost had cut apple yields, yet "
    "demand for heritage varieties kept prices high."
)

MALICIOUS_TITLE = 'Mayor\'s <script>alert(1)</script> pledge & "water" promise'


@dataclass
class Story:
    slug: str
    title: str
    outlet: str
    text: str
    hours_ago: float

    def published(self, now: datetime) -> datetime:
        return now - timedelta(hours=self.hours_ago)


def page(story: Story, now: datetime) -> str:
    """An article page with the metadata trafilatura reads (site name, date, title)."""
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in story.text.split("\n\n"))
    when = story.published(now).isoformat(timespec="seconds")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(story.title)} | {html.escape(story.outlet)}</title>
<meta property="og:title" content="{html.escape(story.title)}">
<meta property="og:site_name" content="{html.escape(story.outlet)}">
<meta property="article:published_time" content="{when}">
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<article><h1>{html.escape(story.title)}</h1>
{paragraphs}
</article>
<footer><p>Copyright {html.escape(story.outlet)}. All rights reserved.</p></footer>
</body></html>"""


def rss(title: str, link: str, entries: list[tuple[Story, str]], now: datetime) -> str:
    items = "\n".join(
        f"""<item><title>{html.escape(story.title)}</title><link>{html.escape(url)}</link>
<guid>{html.escape(url)}</guid><pubDate>{format_datetime(story.published(now))}</pubDate>
<description>{html.escape(story.text[:120])}</description></item>"""
        for story, url in entries
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{html.escape(title)}</title><link>{html.escape(link)}</link>
<description>News</description>
{items}
</channel></rss>"""


def atom(title: str, link: str, entries: list[tuple[Story, str]], now: datetime) -> str:
    items = "\n".join(
        f"""<entry><title>{html.escape(story.title)}</title><link href="{html.escape(url)}"/>
<id>{html.escape(url)}</id><updated>{story.published(now).isoformat(timespec="seconds")}</updated>
<summary>{html.escape(story.text[:120])}</summary></entry>"""
        for story, url in entries
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{html.escape(title)}</title>
<link href="{html.escape(link)}"/><id>{html.escape(link)}</id>
<updated>{now.isoformat(timespec="seconds")}</updated>
{items}
</feed>"""


GAZETTE = "Harbor Gazette"
COURIER = "Valley Courier"
WIRE = "Coastal Wire"

STORIES: dict[str, Story] = {
    "gazette-desal": Story(
        "gazette-desal", "Riverton approves desalination plant", GAZETTE, DESAL_GAZETTE, 3
    ),
    "gazette-airline": Story(
        "gazette-airline",
        "Northwind Airlines grounds fleet after software fault",
        GAZETTE,
        WIRE_AIRLINE,
        5,
    ),
    "gazette-quota": Story(
        "gazette-quota", "Fishing boats blockade Port Mallow over quota cuts", GAZETTE, QUOTA, 6
    ),
    "courier-desal": Story("courier-desal", MALICIOUS_TITLE, COURIER, DESAL_COURIER, 2),
    "courier-airline": Story(
        "courier-airline",
        "Northwind grounds regional jets after cockpit display fault",
        COURIER,
        WIRE_AIRLINE,
        4.5,
    ),
    "courier-library": Story(
        "courier-library", "Valley Central Library extends weekday hours", COURIER, LIBRARY, 7
    ),
    "wire-airline": Story(
        "wire-airline",
        "Northwind Airlines grounds fleet after software fault",
        WIRE,
        WIRE_AIRLINE,
        6,
    ),
    "wire-orchard": Story(
        "wire-orchard", "Kestrel Hill orchard festival draws record crowd", WIRE, ORCHARD, 8
    ),
}

FEEDS: dict[str, tuple[str, str, list[str]]] = {
    # path: (format, outlet, story slugs)
    "/gazette/rss.xml": ("rss", GAZETTE, ["gazette-desal", "gazette-airline", "gazette-quota"]),
    "/courier/atom.xml": ("atom", COURIER, ["courier-desal", "courier-airline", "courier-library"]),
    "/wire/rss.xml": ("rss", WIRE, ["wire-airline", "wire-orchard"]),
}

LATE_STORY = Story(
    "wire-bridge",
    "Eastport bridge reopens after repairs",
    WIRE,
    "The Eastport swing bridge reopened to traffic on Friday after six weeks of repairs, the "
    'county highways department said.\n\n"The bridge is safe and open," county engineer '
    "Ruth Adeyemi told reporters, adding that the repairs came in under budget.",
    1,
)


def install(
    server: object,
    now: datetime,
    *,
    extra: dict[str, list[Story]] | None = None,
    etags: bool = False,
) -> dict[str, str]:
    """Serve every page and the three feeds; returns feed path -> URL."""
    urls: dict[str, str] = {}
    extra = extra or {}
    for path, (kind, outlet, slugs) in FEEDS.items():
        stories = [STORIES[slug] for slug in slugs] + extra.get(path, [])
        entries = []
        for story in stories:
            url = server.add(  # type: ignore[attr-defined]
                f"/{story.slug}.html", page(story, now), content_type="text/html; charset=utf-8"
            )
            entries.append((story, url))
        home = server.url("/")  # type: ignore[attr-defined]
        body = (
            rss(outlet, home, entries, now) if kind == "rss" else atom(outlet, home, entries, now)
        )
        content_type = "application/rss+xml" if kind == "rss" else "application/atom+xml"
        etag = f'"{len(entries)}"' if etags else None
        urls[path] = server.add(path, body, content_type=content_type, etag=etag)  # type: ignore[attr-defined]
    return urls


class SaidEngine(Engine):
    """A tiny deterministic engine for digest tests: "X said Y." claims and a few loaded words,
    so the digest's own logic is tested independently of the rules engine's evolution."""

    name: ClassVar[str] = "said"
    _CLAIM = re.compile(
        r"(?m)(?<![\w,])([A-Z][^.\n\"]*?),? (said|told reporters|warned)(?: that)? ([^.\n\"]+)\."
    )
    _LOADED = ("bitter", "vanity project", "controversial", "noisy minority", "devastate")

    def analyze(self, article: Article) -> Draft:
        text = article.text
        claims = [
            DraftClaim(
                statement=f"{m.group(1)} {m.group(2)} {m.group(3)}",
                source_name=m.group(1),
                source_kind="person",
                source=SpanRef(text=m.group(1), start=m.start(1), end=m.end(1)),
                cue=SpanRef(text=m.group(2), start=m.start(2), end=m.end(2)),
                content=SpanRef(text=m.group(3), start=m.start(3), end=m.end(3)),
            )
            for m in self._CLAIM.finditer(text)
        ]
        framing = [
            DraftFraming(
                span=SpanRef(text=word, start=at, end=at + len(word)),
                device="loaded_language",
                note="evaluative word in the outlet's voice",
            )
            for word in self._LOADED
            if (at := text.find(word)) >= 0
        ]
        first = text.split("\n\n")[1] if "\n\n" in text else text
        return Draft(bluf=first.split(". ")[0].rstrip(".") + ".", claims=claims, framing=framing)


# ---- reading the state back -------------------------------------------------------------------


def problems(state: State) -> list[str]:
    """The state's consistency problems: empty when the delivery protocol was kept."""
    found: list[str] = []
    for (item_id,) in state.db.execute(
        "SELECT item_id FROM digest_items GROUP BY item_id HAVING COUNT(*) > 1 AND "
        "SUM(digest_id IN (SELECT digest_id FROM digests WHERE status='pending')) > 0"
    ):
        found.append(f"item {item_id} is in a pending digest and in another digest")
    for (digest_id,) in state.db.execute(
        "SELECT digest_id FROM digests WHERE status='pending' AND message IS NULL AND mode='smtp'"
    ):
        found.append(f"pending digest {digest_id} has no stored message")
    for (item_id,) in state.db.execute(
        "SELECT item_id FROM items WHERE error IS NULL AND article_sha256 IS NOT NULL AND "
        "NOT EXISTS (SELECT 1 FROM briefings b WHERE b.article_sha256=items.article_sha256 "
        "AND b.engine=items.engine)"
    ):
        found.append(f"item {item_id} has no stored briefing")
    for (item_id,) in state.db.execute(
        "SELECT item_id FROM digest_items WHERE item_id NOT IN (SELECT item_id FROM items)"
    ):
        found.append(f"digest item {item_id} is unknown")
    return found


def digests(state: State) -> list[DigestRecord]:
    """Every digest recorded, pending or sent, oldest first, with its item ids (read the way
    the state reads pending ones; runs only ever need those)."""
    rows = state.db.execute(
        "SELECT digest_id, message_id, mode, recipients, subject, status, message, "
        "created_at, sent_at, attempts FROM digests ORDER BY digest_id"
    ).fetchall()
    return [state._record(row) for row in rows]


def sent_item_ids(state: State) -> set[str]:
    """Items of digests that were sent (not those only reserved by a pending one)."""
    rows = state.db.execute(
        "SELECT di.item_id FROM digest_items di JOIN digests d USING (digest_id) "
        "WHERE d.status='sent'"
    )
    return {row[0] for row in rows}
