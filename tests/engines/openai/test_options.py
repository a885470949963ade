"""The openai engine's options laid over the ``[engine]`` settings: one merge."""

from __future__ import annotations

from pathlib import Path

from briefer.config import EngineSettings
from briefer.engines.openai import OpenAIEngine, OpenAIOptions
from briefer.engines.openai.client import request_arguments
from briefer.engines.openai.options import DEFAULT_MODEL, OPENAI_URL, effective_settings
from briefer.engines.openai.schema import LLMBriefing


def test_given_options_win_over_settings_the_rest_keep_them(tmp_path: Path) -> None:
    base = EngineSettings(model="from-config", timeout=5.0, retries=2, chunk_tokens=3000)
    engine = OpenAIEngine(
        settings=base, model="given", base_url="http://127.0.0.1:9/v1/", no_cache=True
    )
    assert (engine.model, engine.base_url) == ("given", "http://127.0.0.1:9/v1")
    assert (engine.settings.timeout, engine.settings.chunk_tokens) == (5.0, 3000)
    assert engine.policy.attempts == 2 and engine.policy.deadline == base.deadline
    assert base.model == "from-config"  # the settings passed in are not changed


def test_none_keeps_the_setting_except_for_temperature() -> None:
    base = EngineSettings(model="from-config", temperature=0.7)
    settings = effective_settings(OpenAIOptions(settings=base, model=None, timeout=None))
    assert settings.model == "from-config" and settings.timeout == base.timeout
    assert settings.temperature == 0.7
    # An explicit None sends no temperature (some models refuse one).
    unset = effective_settings(OpenAIOptions(settings=base, temperature=None))
    assert unset.temperature is None
    arguments = request_arguments(
        LLMBriefing, json_mode="json_schema", temperature=None, max_output_tokens=None
    )
    assert "temperature" not in arguments


def test_defaults() -> None:
    engine = OpenAIEngine(settings=EngineSettings(), no_cache=True)
    assert (engine.model, engine.base_url) == (DEFAULT_MODEL, OPENAI_URL)
    assert engine.crosscheck and engine.concurrency == 4
