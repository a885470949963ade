"""Benchmark: a digest of 500 generated articles with the rules engine.

Prints the time to brief, build and render (target: <= 10 s in total) and the size of the
inlined HTML (capped at 100 KB). Run: ``python bench/bench_digest.py [--articles N]``.

``--feed-entries 10000`` instead times a whole ``run_digest`` on one local feed of that many
entries (article text embedded): the per-feed cap (``--max-entries``, default 200) bounds it.
"""

from __future__ import annotations

import argparse
import html
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from briefer.contract import Article
from briefer.digest.build import build_digest
from briefer.digest.model import DigestItem
from briefer.digest.render import render_digest
from briefer.engines import get_engine
from briefer.pipeline import brief

SYLLABLES = [
    "ash",
    "brack",
    "glen",
    "kes",
    "mill",
    "north",
    "oak",
    "salt",
    "wren",
    "low",
    "har",
    "east",
    "riv",
    "stan",
    "thorn",
    "bry",
    "cal",
    "dun",
    "fen",
    "hol",
]
ENDINGS = ["ford", "mere", "ton", "by", "field", "haven", "brook", "wick", "moor", "port"]
FIRST = [
    "Elena",
    "James",
    "Hannah",
    "Marta",
    "Pavel",
    "Ines",
    "Ruth",
    "Tom",
    "Aoife",
    "Samir",
    "Lena",
    "Kofi",
    "Mira",
    "Owen",
    "Priya",
    "Jonas",
    "Nadia",
    "Felix",
    "Rosa",
    "Yusuf",
]
LAST = [
    "Ruiz",
    "Whitfield",
    "Osei",
    "Lindqvist",
    "Okafor",
    "Moreau",
    "Adeyemi",
    "Reyes",
    "Brennan",
    "Haddad",
    "Novak",
    "Mensah",
    "Kaur",
    "Berg",
    "Silva",
    "Tanaka",
    "Duarte",
]
THINGS = [
    "desalination plant",
    "bus depot",
    "wind farm",
    "ferry terminal",
    "school expansion",
    "rail link",
    "housing scheme",
    "bridge repair",
    "water works",
    "fishing quota",
    "solar park",
    "tram line",
    "port dredging",
    "library annex",
    "recycling plant",
    "hospital wing",
    "flood barrier",
    "cycle lane",
    "market hall",
    "airport runway",
]
VERBS = [
    ("approves", "approved"),
    ("rejects", "rejected"),
    ("delays", "delayed"),
    ("suspends", "suspended"),
    ("funds", "funded"),
]
BODIES = ["council", "court", "regional assembly", "planning board", "ministry"]
OUTLETS = [
    "Harbor Gazette",
    "Valley Courier",
    "Summit Times",
    "Lowmere Ledger",
    "The Northfield Post",
    "Glenmoor Herald",
    "Bay Observer",
    "Eastport Echo",
    "Ashgrove Bulletin",
    "Coastal Wire",
]
SLANTS = [
    "Critics have long dismissed the scheme as a reckless vanity project.",
    "Supporters say the decision is a triumph of common sense over fearmongering.",
    "The move is certain to deepen the bitter divide in the town.",
    "It remains unclear whether anyone will be held accountable.",
    "Few believe the promised savings will ever materialise.",
]


@dataclass
class Event:
    place: str
    thing: str
    verb: tuple[str, str]
    body: str
    official: str
    resident: str
    number: int
    cost: int


def make_event(rng: random.Random) -> Event:
    place = (rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(ENDINGS)).capitalize()
    return Event(
        place=place,
        thing=rng.choice(THINGS),
        verb=rng.choice(VERBS),
        body=rng.choice(BODIES),
        official=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        resident=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        number=rng.randint(800, 90000),
        cost=rng.randint(2, 40),
    )


def event_text(rng: random.Random, ev: Event, outlet: str) -> tuple[str, str]:
    """One outlet's own write-up of an event: same facts, its own words and slant."""
    present, past = ev.verb
    titles = [
        f"{ev.place} {ev.body} {present} {ev.thing}",
        f"{ev.thing.capitalize()} {past} by {ev.place} {ev.body}",
        f"{ev.place} {ev.thing} {past} after long dispute",
    ]
    openers = [
        f"The {ev.body} in {ev.place} {past} the {ev.thing} on Monday, officials said.",
        f"{ev.place}'s {ev.body} has {past} plans for a {ev.thing}, according to a statement "
        f"released on Monday.",
        f"Plans for a {ev.thing} in {ev.place} were {past} by the {ev.body} this week, "
        f"a spokesperson said.",
    ]
    quotes = [
        f'"We have waited long enough for this," {ev.resident} told reporters.',
        f'"This matters to every family here," said {ev.resident}, a local resident.',
        f'{ev.resident} said residents had "waited long enough" for a decision.',
    ]
    paragraphs = [
        rng.choice(openers),
        f"{ev.official} said the decision would affect {ev.number:,} residents.",
        rng.choice(quotes),
        f"According to a report by the {ev.place} Planning Office, the cost could reach "
        f"{ev.cost} million pounds over five years.",
        rng.choice(SLANTS),
        f"Residents interviewed by {outlet} were divided about the {ev.thing}.",
    ]
    body = paragraphs[:1] + rng.sample(paragraphs[1:4], 3) + paragraphs[4:]
    return rng.choice(titles), "\n\n".join(body)


def generate(count: int, seed: int = 7) -> list[DigestItem]:
    """``count`` articles: 1-5 outlets per event, one in eight a syndicated wire copy."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    articles: list[tuple[str, Article, datetime]] = []
    number = 0
    while len(articles) < count:
        ev = make_event(rng)
        wire_title, wire_text = event_text(rng, ev, "Coastal Wire")
        for outlet in rng.sample(OUTLETS, k=rng.randint(1, 5)):
            if len(articles) >= count:
                break
            if rng.random() < 0.125:
                title, text = wire_title, wire_text  # syndicated copy
            else:
                title, text = event_text(rng, ev, outlet)
            article = Article(text=f"{title}\n\n{text}", title=title, outlet=outlet)
            key = f"e{number}-{outlet.replace(' ', '-').lower()}"
            articles.append((key, article, now - timedelta(minutes=len(articles))))
        number += 1
    engine = get_engine("rules")
    return [
        DigestItem(
            item_id=key,
            briefing=brief(article, engine=engine),
            url=f"https://news.example/{key}",
            outlet=article.outlet,
            title=article.title,
            published=published,
        )
        for key, article, published in articles
    ]


def big_feed(count: int, seed: int = 7) -> str:
    """An RSS document of ``count`` entries, newest first, each carrying its article text."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    items = []
    for n in range(count):
        title, text = event_text(rng, make_event(rng), "Harbor Gazette")
        body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
        items.append(
            f"<item><title>{html.escape(title)}</title><guid>e{n}</guid>"
            f"<pubDate>{format_datetime(now - timedelta(minutes=n))}</pubDate>"
            f"<description>{html.escape(body)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Harbor Gazette</title>{''.join(items)}</channel></rss>"
    )


def bench_feed(entries: int, max_entries: int) -> int:
    from briefer.digest.request import DigestRequest
    from briefer.digest.run import run_digest

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "big.xml"
        source.write_text(big_feed(entries), encoding="utf-8")
        request = DigestRequest(
            sources=[str(source)],
            since=None,
            subject="Benchmark digest",
            engine="rules",
            mode="output",
            output=Path(folder) / "d.html",
            max_entries=max_entries,
        )
        started = time.perf_counter()
        report = run_digest(request, state_path=Path(folder) / "s.db")
        took = time.perf_counter() - started
    print(
        f"feed of {entries:,} entries, --max-entries {max_entries}: {report.articles} briefed, "
        f"{report.over_cap:,} left out and reported; whole run {took:.2f} s"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--feed-entries", type=int, default=0)
    parser.add_argument("--max-entries", type=int, default=200)
    args = parser.parse_args(argv)
    if args.feed_entries:
        return bench_feed(args.feed_entries, args.max_entries)
    started = time.perf_counter()
    items = generate(args.articles)
    briefed = time.perf_counter()
    digest = build_digest(items, title="Benchmark digest", window_start=None)
    built = time.perf_counter()
    rendered = render_digest(digest)
    done = time.perf_counter()
    total = done - started
    print(
        f"articles: {len(items)} ({digest.counts.stories} stories, "
        f"{digest.counts.duplicates_merged} duplicates merged, "
        f"{digest.counts.corroborated} corroborated claims)"
    )
    events = {item.item_id.split("-")[0] for item in items}
    pure = sum(
        1 for story in digest.stories if len({a.item_id.split("-")[0] for a in story.articles}) == 1
    )
    print(
        f"grouping: {len(events)} generated events -> {len(digest.stories)} stories, "
        f"{pure} of them pure (one event only)"
    )
    print(f"brief (rules engine): {briefed - started:.2f} s")
    print(f"build digest: {built - briefed:.2f} s")
    print(f"render + inline (size-capped): {done - built:.2f} s")
    print(f"total: {total:.2f} s (target <= 10 s)")
    print(
        f"HTML: {rendered.html_bytes:,} bytes inlined; {rendered.detailed_articles} of "
        f"{rendered.total_articles} articles in detail; text part: "
        f"{len(rendered.text.encode('utf-8')):,} bytes"
    )
    return 0 if total <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
