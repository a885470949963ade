"""The openai engine's options, and the settings in effect once they are laid over ``[engine]``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr

from briefer.config import EngineSettings, load_settings
from briefer.engines.base import EngineOptions

DEFAULT_MODEL = "gpt-4o-mini"
OPENAI_URL = "https://api.openai.com/v1"
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class OpenAIOptions(EngineOptions):
    """What ``OpenAIEngine(**options)`` takes. Each option left out, or passed as None,
    keeps its ``[engine]`` setting (``settings``, else the config file and environment)."""

    settings: EngineSettings | None = Field(
        None, description="settings to start from (default: the config file and BRIEFER_*)"
    )
    model: str | None = Field(None, description="model name (default: gpt-4o-mini)")
    base_url: str | None = Field(
        None, description="OpenAI-compatible base URL, usually ending in /v1 (default: OpenAI)"
    )
    api_key: SecretStr | None = Field(None, description="API key; never printed")
    prompts: Path | None = Field(None, description="folder of prompt template overrides")
    timeout: float | None = Field(None, gt=0, description="seconds allowed per request")
    retries: int | None = Field(None, ge=1, description="attempts per request, the first included")
    backoff: float | None = Field(
        None, ge=0, description="first retry wait in seconds, doubling per retry, plus jitter"
    )
    deadline: float | None = Field(
        None, gt=0, description="total seconds for one article, retries included"
    )
    no_cache: bool = Field(False, description="neither read nor write the draft cache")
    cache_path: Path | None = Field(None, description="draft cache file (default: cache folder)")
    json_mode: Literal["auto", "json_schema", "json_object", "json_object_schema"] | None = Field(
        None, description="structured-output mode; auto falls back from json_schema"
    )
    chunk_tokens: int | None = Field(
        None, ge=200, description="article tokens per request; longer articles are chunked"
    )
    max_output_tokens: int | None = Field(
        None, ge=1, description="cap on each answer's tokens, in place of the derived caps"
    )
    temperature: float | None = Field(
        None, description="sampling temperature; an explicit None sends none"
    )
    crosscheck: bool | None = Field(
        None, description="have the pipeline check the items against the rules engine"
    )
    extraction: Literal["free", "seeded", "checked"] | None = Field(
        None,
        description="free: extract from the text; seeded: review the rules engine's items by "
        "id and add what they missed; checked: one yes/no question per rules claim",
    )
    check_threshold: float | None = Field(
        None, ge=0, le=1, description="checked: drop a claim whose P(yes) is below this (0.8)"
    )
    concurrency: int | None = Field(
        None, ge=1, description="requests in flight at once for the chunks of one article"
    )
    clock: Clock | None = Field(
        None, description="monotonic clock the deadline is measured on (tests pass a fake)"
    )
    sleep: Sleep | None = Field(None, description="async sleep for retry waits (tests: a fake)")


# Options that are also [engine] settings, under the same name.
_SETTINGS = frozenset(OpenAIOptions.model_fields) & frozenset(EngineSettings.model_fields)
# Passed explicitly as None, these mean "send none" rather than "keep the setting": a config
# file (TOML) cannot say None, and some models refuse a temperature.
_NONE_IS_A_VALUE = frozenset({"temperature"})


def effective_settings(options: OpenAIOptions) -> EngineSettings:
    """The ``[engine]`` settings with the options that were given laid over them."""
    base = options.settings or load_settings().engine
    given = {name: getattr(options, name) for name in options.model_fields_set & _SETTINGS}
    update = {
        name: value
        for name, value in given.items()
        if value is not None or name in _NONE_IS_A_VALUE
    }
    # No re-validation needed: each option was validated with the setting's own constraints.
    return base.model_copy(update=update)
