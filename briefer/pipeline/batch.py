"""Briefing many articles with bounded concurrency: the one runner behind ``briefer brief``
with several articles and behind digests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from briefer.contract import Article, Briefing
from briefer.engines import Engine, strict_engine
from briefer.pipeline import brief_async

# An article, its text, or a loader that returns it (run in a thread: fetching a URL blocks).
ArticleSource = Article | str | Callable[[], Article]


@dataclass(frozen=True)
class Outcome:
    """One input's result: a briefing, or the error that stopped it (never both)."""

    index: int
    article: Article | None
    briefing: Briefing | None
    error: Exception | None

    @property
    def ok(self) -> bool:
        return self.briefing is not None


def brief_many(
    articles: Sequence[ArticleSource],
    *,
    engine: str | Engine = "auto",
    concurrency: int = 4,
    on_done: Callable[[Outcome], None] | None = None,
    **options: Any,
) -> list[Outcome]:
    """Brief every article, at most ``concurrency`` at a time; outcomes in input order.

    A failing article does not stop the others: its outcome holds the error. ``on_done`` is
    called as each one finishes (completion order); an exception it raises cancels the rest.
    """
    return asyncio.run(
        brief_many_async(
            articles, engine=engine, concurrency=concurrency, on_done=on_done, **options
        )
    )


async def brief_many_async(
    articles: Sequence[ArticleSource],
    *,
    engine: str | Engine = "auto",
    concurrency: int = 4,
    on_done: Callable[[Outcome], None] | None = None,
    **options: Any,
) -> list[Outcome]:
    """``brief_many`` on the running loop. The engine is closed on this loop at the end,
    because what it opened (an HTTP client) belongs to the loop."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if isinstance(engine, Engine):
        if options:
            raise TypeError(
                f"brief_many() got options {', '.join(sorted(options))} with an engine "
                "instance; pass them when creating the engine"
            )
        chosen = engine
    else:
        chosen = strict_engine(engine, **options)
    limit = asyncio.Semaphore(concurrency)

    async def one(index: int, source: ArticleSource) -> Outcome:
        article: Article | None = None
        async with limit:
            try:
                article = await _load(source)
                briefing = await brief_async(article, engine=chosen)
            except Exception as error:
                return Outcome(index, article, None, error)
            return Outcome(index, article, briefing, None)

    tasks = [asyncio.ensure_future(one(index, source)) for index, source in enumerate(articles)]
    outcomes: list[Outcome | None] = [None] * len(tasks)
    try:
        for finished in asyncio.as_completed(tasks):
            outcome = await finished
            outcomes[outcome.index] = outcome
            if on_done is not None:
                on_done(outcome)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await chosen.aclose()
    return [outcome for outcome in outcomes if outcome is not None]


async def _load(source: ArticleSource) -> Article:
    """The article itself; ``brief_async`` checks it (empty text, wrong type) once, after."""
    if isinstance(source, Article):
        return source
    if isinstance(source, str):
        return Article(text=source)
    if callable(source):
        return await asyncio.to_thread(source)
    raise TypeError(f"brief_many() takes articles, texts or loaders, not {type(source).__name__}")
