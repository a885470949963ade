"""Engine registry: built-in and third-party engines, found through entry points."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from briefer.engines.base import Engine
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


def engine_classes() -> dict[str, type[Engine]]:
    """Every available engine by name."""
    found: dict[str, type[Engine]] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            found[point.name] = point.load()
        except ImportError:
            continue
    for name, target in _BUILTIN.items():
        if name not in found:
            try:
                found[name] = _load(target)
            except ImportError:
                continue
    return found


def resolve_engine_name(name: str, **options: Any) -> str:
    classes = engine_classes()
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
    """An engine instance; ``auto`` picks a configured model engine, else ``rules``."""
    resolved = resolve_engine_name(name, **options)
    return engine_classes()[resolved](**options)


__all__ = ["Engine", "engine_classes", "get_engine", "resolve_engine_name"]
