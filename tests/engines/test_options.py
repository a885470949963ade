"""Typed engine options: a pydantic model per engine, every field described, values checked,
secrets never shown."""

from __future__ import annotations

import pytest

import briefer
from briefer.config import EngineSettings
from briefer.engines import Engine, OptionError, engine_classes
from briefer.engines.openai import OpenAIEngine
from briefer.errors import ConfigError

TEXT = "Officials said the bridge would reopen."


def test_every_option_of_every_engine_is_described() -> None:
    for name, cls in engine_classes().items():
        assert issubclass(cls.Options, Engine.Options), name
        assert cls.option_names == frozenset(cls.Options.model_fields), name
        for option, field in cls.Options.model_fields.items():
            assert field.description, f"{name}.{option} has no description"


def test_option_names_come_from_the_options_model() -> None:
    with pytest.raises(TypeError, match="declare its options as the fields of a nested Options"):

        class Old(Engine):  # the pre-Options way of naming options
            name = "old"
            option_names = frozenset({"x"})

            def analyze(self, article: briefer.Article) -> briefer.Briefing:
                raise NotImplementedError


def test_a_bad_value_names_the_option() -> None:
    with pytest.raises(OptionError) as info:
        briefer.brief(TEXT, engine="openai", timeout="soon", settings=EngineSettings())
    assert str(info.value).startswith(
        "bad option value for the openai engine: timeout: Input should be a valid number"
    )
    assert isinstance(info.value, ConfigError) and isinstance(info.value, ValueError)
    with pytest.raises(OptionError, match=r"values .*: retries: .*; json_mode: Input should be"):
        OpenAIEngine(settings=EngineSettings(), retries=0, json_mode="yaml")


def test_secrets_never_show() -> None:
    secret = "sk-never-print-me-42"
    engine = OpenAIEngine(settings=EngineSettings(), api_key=secret, no_cache=True)
    assert secret not in repr(engine.options) and secret not in repr(engine.settings)
    assert secret not in str(vars(engine))
    with pytest.raises(OptionError) as info:
        OpenAIEngine(settings=EngineSettings(), api_key=secret, timeout=-1)
    assert secret not in str(info.value)
    with pytest.raises(OptionError) as info:
        OpenAIEngine(settings=EngineSettings(), api_key=[secret])
    assert "api_key" in str(info.value) and secret not in str(info.value)


def test_options_are_fixed_once_the_engine_is_built() -> None:
    engine = OpenAIEngine(settings=EngineSettings(), model="m", no_cache=True)
    with pytest.raises(ValueError, match="frozen"):
        engine.options.model = "other"  # type: ignore[misc]
