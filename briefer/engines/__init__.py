"""Engine registry: built-in and third-party engines, found through entry points."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from briefer.engines.base import Engine, EngineOptions, OptionError, refuse_unknown
from briefer.errors import ConfigError

ENTRY_POINT_GROUP = "briefer.engines"
# Used when the package metadata is unavailable (e.g. running from a source tree).
_BUILTIN = {
    "rules": "briefer.engines.rules:RulesEngine",
    "openai": "briefer.engines.openai:OpenAIEngine",
}


def _load(target: str) -> type[Engine]:
    module_name, _, attribute = target.partition(":")
    module = __import__(module_name, fromlist=[attribute])
    return getattr(module, attribute)


@functools.cache
def _entry_points() -> tuple[EntryPoint, ...]:
    """The installed engine plugins, scanned once per process: scanning every distribution's
    metadata took a quarter of a rules briefing when it ran on each ``brief()`` call."""
    return tuple(entry_points(group=ENTRY_POINT_GROUP))


def _loaders() -> dict[str, list[Callable[[], type[Engine]]]]:
    """Per engine name, the ways to load it, preferred first: the last entry point registered
    under the name, then earlier ones, then the built-in module."""
    loaders: dict[str, list[Callable[[], type[Engine]]]] = {}
    for point in _entry_points():
        loaders.setdefault(point.name, []).insert(0, point.load)
    for name, target in _BUILTIN.items():
        loaders.setdefault(name, []).append(functools.partial(_load, target))
    return loaders


def _first_loadable(ways: list[Callable[[], type[Engine]]]) -> type[Engine] | None:
    for load in ways:
        try:
            return load()
        except ImportError:
            continue
    return None


def engine_classes() -> dict[str, type[Engine]]:
    """Every available engine by name."""
    found = {name: _first_loadable(ways) for name, ways in _loaders().items()}
    return {name: cls for name, cls in found.items() if cls is not None}


def _engine_class(name: str, options: dict[str, Any]) -> tuple[str, type[Engine]]:
    """The registry name ``name`` resolves to, and its class."""
    # A named engine loads only its own module (the OpenAI SDK is slow to import); "auto" and
    # unknown names need every engine, to ask each one or to list them.
    if name != "auto":
        cls = _first_loadable(_loaders().get(name, []))
        if cls is not None:
            return name, cls
    classes = engine_classes()
    resolved = _resolve(classes, name, options)
    return resolved, classes[resolved]


def resolve_engine_name(name: str, **options: Any) -> str:
    """The engine ``name`` stands for; a misspelt option is a ``TypeError`` here already."""
    return _checked(name, options)[0]


def _resolve(classes: dict[str, type[Engine]], name: str, options: dict[str, Any]) -> str:
    if name == "auto":
        configured = [
            cls
            for cls in classes.values()
            if cls.auto_priority > 0 and cls.is_configured(**options)
        ]
        if configured:
            return max(configured, key=lambda cls: cls.auto_priority).name
        return "rules"
    if name not in classes:
        known = ", ".join(sorted([*classes, "auto"]))
        raise ConfigError(f"unknown engine {name!r}; choose one of: {known}")
    return name


def get_engine(name: str = "auto", **options: Any) -> Engine:
    """An engine instance; ``auto`` picks a configured model engine, else ``rules``.

    An option no engine takes is a ``TypeError``. An option of another engine is not passed on:
    ``auto`` and the CLI hand one set of options to whichever engine is chosen (``briefer brief
    --engine rules --timeout 3`` sends the fetch timeout to every engine).
    """
    _, cls, own = _checked(name, options)
    return cls(**own)


def strict_engine(name: str = "auto", **options: Any) -> Engine:
    """Like ``get_engine``, but a named engine refuses every option it does not take.

    For library callers, who name the engine and its options together, so that
    ``brief(text, engine="rules", model="x")`` is a mistake reported rather than ignored. With
    ``auto`` the caller did not choose the engine, so another engine's options are still
    dropped there.
    """
    if name == "auto":
        return get_engine(name, **options)
    resolved, cls = _engine_class(name, options)
    if any(key not in cls.option_names for key in options):
        # Only on this error path are the other engines loaded, to say whose option it is.
        owners = _owners(engine_classes())
        refuse_unknown(options, cls.option_names, what=f"for the {resolved} engine", owners=owners)
    return cls(**options)


def _checked(name: str, options: dict[str, Any]) -> tuple[str, type[Engine], dict[str, Any]]:
    """The resolved name, its class and the options it takes, after refusing unknown ones."""
    if name == "auto" and options:
        # Checked before resolving: which engine "auto" picks must not decide whether a typo
        # is noticed.
        refuse_unknown(options, _all_option_names(engine_classes().values()), what="for any engine")
    resolved, cls = _engine_class(name, options)
    own = {key: value for key, value in options.items() if key in cls.option_names}
    if len(own) < len(options):
        # Only here are the other engines loaded (the OpenAI SDK is slow to import).
        cls.check_options(options, ignored=_all_option_names(engine_classes().values()))
    return resolved, cls, own


def _owners(classes: dict[str, type[Engine]]) -> dict[str, str]:
    """Option name -> the engine that takes it (the first by name, when several do)."""
    owners: dict[str, str] = {}
    for engine_name, cls in sorted(classes.items()):
        for option in cls.option_names:
            owners.setdefault(option, engine_name)
    return owners


def _all_option_names(classes: Iterable[type[Engine]]) -> frozenset[str]:
    return frozenset().union(*(cls.option_names for cls in classes))


__all__ = [
    "Engine",
    "EngineOptions",
    "OptionError",
    "engine_classes",
    "get_engine",
    "resolve_engine_name",
    "strict_engine",
]
