"""The engine interface. Built-in engines implement it exactly as a third-party one would."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from briefer.models import Article, Draft


class Engine(ABC):
    """Turns an Article into a Draft; grounding and validation happen after it.

    Register a third-party engine under the ``briefer.engines`` entry-point group.
    """

    name: ClassVar[str]
    # Higher wins when ``engine="auto"`` and several engines are configured.
    auto_priority: ClassVar[int] = 0

    def __init__(self, **options: Any) -> None:
        self.options = options

    @classmethod
    def is_configured(cls, **options: Any) -> bool:
        """Whether ``auto`` may pick this engine (e.g. a key or base URL is set)."""
        return True

    @abstractmethod
    def analyze(self, article: Article) -> Draft:
        """Claims, framing and a BLUF for ``article``; spans may be approximate."""

    async def analyze_async(self, article: Article) -> Draft:
        """Async variant for bounded-concurrency batches; engines doing I/O override it."""
        return self.analyze(article)
