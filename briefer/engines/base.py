"""The engine interface. Built-in engines implement it exactly as a third-party one would."""

from __future__ import annotations

import difflib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from briefer.contract import Article
from briefer.engines.drafts import Draft
from briefer.errors import ConfigError


class OptionError(ConfigError, ValueError):
    """An engine option of the wrong type or out of range (the message names the option)."""


class EngineOptions(BaseModel):
    """The options an engine takes: none here; an engine subclasses this with its own fields,
    each with a ``description`` (``briefer`` lists them in its errors)."""

    # frozen: an engine's options are fixed once it is built; arbitrary types: callables, paths.
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Engine(ABC):
    """Turns an Article into a Draft; grounding and validation happen after it.

    Register a third-party engine under the ``briefer.engines`` entry-point group and declare
    the keyword options it takes as the fields of a nested ``Options`` model (a subclass of
    ``Engine.Options``). Any other option is refused with a ``TypeError`` and a bad value with
    an ``OptionError``, so a mistake fails loudly instead of being ignored; the engine reads
    its validated options from ``self.options``.
    """

    Options: ClassVar[type[EngineOptions]] = EngineOptions
    name: ClassVar[str]
    # Higher wins when ``engine="auto"`` and several engines are configured.
    auto_priority: ClassVar[int] = 0
    # Derived from ``Options`` for every subclass (see ``__init_subclass__``).
    option_names: ClassVar[frozenset[str]] = frozenset()
    # Whether the pipeline should check this engine's items against the rules engine's
    # attribution cues: a model may invent an attribution, the rules engine cannot.
    crosscheck: bool = False
    # Whether the engine reviews the rules engine's draft (``analyze_seeded``) instead of
    # starting from the bare text; the pipeline runs the rules engine and hands its draft in.
    seeded: bool = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "option_names" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__} sets option_names; declare its options as the fields of a "
                "nested Options model (a subclass of Engine.Options) instead"
            )
        cls.option_names = frozenset(cls.Options.model_fields)

    def __init__(self, **options: Any) -> None:
        self.options = self.parse_options(options)

    @classmethod
    def parse_options(cls, options: Mapping[str, Any]) -> EngineOptions:
        """The validated options; ``TypeError`` for an unknown name, ``OptionError`` for a
        bad value."""
        cls.check_options(options)
        try:
            return cls.Options.model_validate(dict(options))
        except ValidationError as error:
            raise OptionError(_bad_values(error, _label(cls))) from None

    @classmethod
    def check_options(cls, options: Iterable[str], *, ignored: Iterable[str] = ()) -> None:
        """Raise ``TypeError`` for an option this engine does not take.

        ``ignored`` names are not errors although this engine does not use them: the registry
        passes other engines' options, which the CLI sends whatever engine is chosen.
        """
        refuse_unknown(options, cls.option_names, ignored=ignored, what=_label(cls))

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

    def analyze_seeded(self, article: Article, seed: Draft) -> Draft:
        """``analyze`` given the rules engine's draft of the same article, for an engine that
        sets ``seeded``; others ignore the seed."""
        return self.analyze(article)

    async def analyze_seeded_async(self, article: Article, seed: Draft) -> Draft:
        return await self.analyze_async(article)

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
    owners: Mapping[str, str] | None = None,
) -> None:
    """Raise ``TypeError`` naming every option that is neither valid nor ignored, with the
    closest valid name for each (or, from ``owners``, the engine that does take it) and the
    list of valid ones."""
    allowed = valid | frozenset(ignored)
    unknown = sorted(name for name in options if name not in allowed)
    if not unknown:
        return
    named = []
    for name in unknown:
        close = difflib.get_close_matches(name, valid, n=1)
        if close:
            named.append(f"{name!r} (did you mean {close[0]!r}?)")
        elif owners and name in owners:
            named.append(f"{name!r} (an option of the {owners[name]} engine)")
        else:
            named.append(repr(name))
    listed = f"valid options: {', '.join(sorted(valid))}" if valid else "it takes no options"
    plural = "s" if len(unknown) > 1 else ""
    where = f" {what}" if what else ""
    raise TypeError(f"unknown option{plural} {', '.join(named)}{where}; {listed}")


def _label(cls: type[Engine]) -> str:
    return f"for the {getattr(cls, 'name', cls.__name__)} engine"


def _bad_values(error: ValidationError, what: str) -> str:
    """One line per bad option, naming it and what is wrong, never its value (it may be a
    key)."""
    problems = []
    for problem in error.errors(include_input=False, include_url=False):
        where = ".".join(str(part) for part in problem["loc"])
        problems.append(f"{where}: {problem['msg']}")
    plural = "s" if len(problems) > 1 else ""
    return f"bad option value{plural} {what}: {'; '.join(problems)}"
