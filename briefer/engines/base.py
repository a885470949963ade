"""The engine interface. Built-in engines implement it exactly as a third-party one would."""

from __future__ import annotations

import difflib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from briefer.contract import Article
from briefer.engines.drafts import Draft


class Engine(ABC):
    """Turns an Article into a Draft; grounding and validation happen after it.

    Register a third-party engine under the ``briefer.engines`` entry-point group, and name the
    keyword options it takes in ``option_names``: any other option is refused with a
    ``TypeError``, so a misspelt one fails loudly instead of being ignored.
    """

    name: ClassVar[str]
    # Higher wins when ``engine="auto"`` and several engines are configured.
    auto_priority: ClassVar[int] = 0
    option_names: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, **options: Any) -> None:
        self.check_options(options)
        self.options = options

    @classmethod
    def check_options(cls, options: Mapping[str, Any], *, ignored: Iterable[str] = ()) -> None:
        """Raise ``TypeError`` for an option this engine does not take.

        ``ignored`` names are not errors although this engine does not use them: the registry
        passes other engines' options, which the CLI sends whatever engine is chosen.
        """
        name = getattr(cls, "name", cls.__name__)
        refuse_unknown(options, cls.option_names, ignored=ignored, what=f"for the {name} engine")

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

    async def aclose(self) -> None:
        """Release what ``analyze_async`` opened on the running loop (e.g. an HTTP client).

        Batch runners call it once, on the loop their batch ran on; engines holding nothing
        keep this no-op.
        """
        return None


def refuse_unknown(
    options: Iterable[str],
    valid: frozenset[str],
    *,
    ignored: Iterable[str] = (),
    what: str = "",
) -> None:
    """Raise ``TypeError`` naming every option that is neither valid nor ignored, with the
    closest valid name for each and the list of valid ones."""
    allowed = valid | frozenset(ignored)
    unknown = sorted(name for name in options if name not in allowed)
    if not unknown:
        return
    named = []
    for name in unknown:
        close = difflib.get_close_matches(name, valid, n=1)
        named.append(f"{name!r} (did you mean {close[0]!r}?)" if close else repr(name))
    listed = f"valid options: {', '.join(sorted(valid))}" if valid else "it takes no options"
    plural = "s" if len(unknown) > 1 else ""
    where = f" {what}" if what else ""
    raise TypeError(f"unknown option{plural} {', '.join(named)}{where}; {listed}")
