"""Settings: a TOML file in the user config dir, overridden by ``BRIEFER_*`` environment variables.

Precedence (highest first): command-line flags, environment, config file, defaults. Secrets are
``SecretStr`` so they never print by accident.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_cache_dir, user_config_dir
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from briefer.errors import ConfigError, InputError

APP = "briefer"
# Inputs larger than this are refused (``--max-bytes`` or ``BRIEFER_MAX_BYTES`` change it).
DEFAULT_MAX_BYTES = 10_000_000
# Newest entries a digest reads per feed; the rest are counted and reported, not read. A feed
# that dumps its archive (10,000 entries) must not turn a morning digest into an hours-long run.
DEFAULT_MAX_ENTRIES = 200


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EngineSettings(_Section):
    name: str = "auto"
    model: str | None = None
    base_url: str | None = None
    api_key: SecretStr | None = None
    prompts: Path | None = None
    timeout: float = 60.0
    deadline: float = 300.0
    concurrency: int = 4
    cache: bool = True
    # json_object_schema: json_object plus the schema as a grammar (llama-cpp-python's server).
    json_mode: Literal["auto", "json_schema", "json_object", "json_object_schema"] = "auto"
    prices: dict[str, tuple[float, float]] = Field(default_factory=dict)
    # openai engine: retries, caching, chunking, sampling, cross-check (see docs/models.md).
    retries: int = Field(default=4, ge=1)
    backoff: float = Field(default=0.5, ge=0)
    cache_dir: Path | None = None
    chunk_tokens: int = Field(default=12000, ge=200)
    max_output_tokens: int | None = None
    temperature: float | None = 0.0
    crosscheck: bool = True
    # free: the model extracts from the bare text; seeded: it reviews the rules engine's items;
    # checked: it answers one yes/no question per rules claim (docs/models.md).
    extraction: Literal["free", "seeded", "checked"] = "checked"
    # checked: a claim whose P(yes) is below this is dropped. Chosen on PolNeAR dev articles
    # 5-15 with Qwen2.5-Coder-1.5B, which answers "Yes" with about 0.9 to real cues; a
    # stronger model answers nearer 0 or 1 (docs/models.md, "Rules-checked extraction").
    check_threshold: float = Field(default=0.8, ge=0, le=1)

    def cache_dir_path(self) -> Path | None:
        """The draft cache file when ``cache_dir`` is set, else None (the default location)."""
        return self.cache_dir / "drafts.sqlite3" if self.cache_dir is not None else None


class SmtpSettings(_Section):
    host: str | None = None
    # None: the usual port for ``security`` (465 ssl, 587 starttls, 25 none).
    port: int | None = Field(default=None, ge=1, le=65535)
    security: Literal["ssl", "starttls", "none"] = "starttls"
    user: str | None = None
    password: SecretStr | None = None
    sender: str | None = None
    timeout: float = Field(default=30.0, gt=0)


class DigestSettings(_Section):
    to: list[str] = Field(default_factory=list)
    feeds: list[str] = Field(default_factory=list)
    subject: str = "Morning briefing digest"
    since: str = "24h"
    state: Path | None = None
    max_entries: int = Field(default=DEFAULT_MAX_ENTRIES, ge=1)


class Settings(_Section):
    engine: EngineSettings = Field(default_factory=EngineSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)


# environment variable -> (section, field); list fields take comma-separated values.
ENVIRONMENT: dict[str, tuple[str, str]] = {
    "BRIEFER_ENGINE": ("engine", "name"),
    "BRIEFER_MODEL": ("engine", "model"),
    "BRIEFER_BASE_URL": ("engine", "base_url"),
    "BRIEFER_API_KEY": ("engine", "api_key"),
    "BRIEFER_PROMPTS": ("engine", "prompts"),
    "BRIEFER_TIMEOUT": ("engine", "timeout"),
    "BRIEFER_CONCURRENCY": ("engine", "concurrency"),
    "BRIEFER_DEADLINE": ("engine", "deadline"),
    "BRIEFER_JSON_MODE": ("engine", "json_mode"),
    "BRIEFER_MAX_OUTPUT_TOKENS": ("engine", "max_output_tokens"),
    "BRIEFER_EXTRACTION": ("engine", "extraction"),
    "BRIEFER_SMTP_HOST": ("smtp", "host"),
    "BRIEFER_SMTP_PORT": ("smtp", "port"),
    "BRIEFER_SMTP_SECURITY": ("smtp", "security"),
    "BRIEFER_SMTP_USER": ("smtp", "user"),
    "BRIEFER_SMTP_PASSWORD": ("smtp", "password"),
    "BRIEFER_SMTP_FROM": ("smtp", "sender"),
    "BRIEFER_SMTP_TIMEOUT": ("smtp", "timeout"),
    "BRIEFER_DIGEST_TO": ("digest", "to"),
    "BRIEFER_DIGEST_FEEDS": ("digest", "feeds"),
    "BRIEFER_DIGEST_SUBJECT": ("digest", "subject"),
    "BRIEFER_STATE": ("digest", "state"),
    "BRIEFER_DIGEST_MAX_ENTRIES": ("digest", "max_entries"),
}
# The OpenAI SDK's own variables, used when no BRIEFER_* one is set.
FALLBACKS: dict[str, tuple[str, str]] = {
    "OPENAI_API_KEY": ("engine", "api_key"),
    "OPENAI_BASE_URL": ("engine", "base_url"),
}
_LIST_FIELDS = {("digest", "to"), ("digest", "feeds")}


# Variables read outside the settings file: they locate or bound things before settings load
# (the config file itself, the cache, templates, the input size limit).
PROCESS_VARIABLES = (
    "BRIEFER_CONFIG",
    "BRIEFER_CACHE_DIR",
    "BRIEFER_TEMPLATES",
    "BRIEFER_MAX_BYTES",
)


def max_bytes_from_env(environ: Mapping[str, str] | None = None) -> int:
    """The input size limit: ``BRIEFER_MAX_BYTES`` if set, else ``DEFAULT_MAX_BYTES``."""
    environ = os.environ if environ is None else environ
    raw = environ.get("BRIEFER_MAX_BYTES", "").strip().replace("_", "").replace(",", "")
    if not raw:
        return DEFAULT_MAX_BYTES
    if not raw.isdigit() or int(raw) <= 0:
        raise InputError(
            f"BRIEFER_MAX_BYTES={environ['BRIEFER_MAX_BYTES']!r} is not a positive number of "
            "bytes; set it to e.g. 20000000"
        )
    return int(raw)


def cache_root(environ: Mapping[str, str] | None = None) -> Path:
    """briefer's cache folder (drafts, tiktoken encodings): ``BRIEFER_CACHE_DIR``, else the
    platform's user cache folder."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("BRIEFER_CACHE_DIR") or user_cache_dir(APP))


def templates_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """The template override folder named by ``BRIEFER_TEMPLATES``, if any."""
    environ = os.environ if environ is None else environ
    return environ.get("BRIEFER_TEMPLATES") or None


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    explicit = environ.get("BRIEFER_CONFIG")
    if explicit:
        return Path(explicit)
    return Path(user_config_dir(APP)) / "config.toml"


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the config file (if any) with the environment on top."""
    environ = os.environ if environ is None else environ
    path = path or config_path(environ)
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
        except OSError as exc:
            raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    elif environ.get("BRIEFER_CONFIG") and not path.exists():
        raise ConfigError(f"BRIEFER_CONFIG names {path}, which does not exist")
    elif path.exists():
        raise ConfigError(f"config path {path} is not a file (check BRIEFER_CONFIG)")
    for section, value in data.items():
        if section in Settings.model_fields and not isinstance(value, dict):
            raise ConfigError(f"{section} in {path} must be a table, e.g. [{section}]")

    for (section, field), variable in environment_sources(environ).items():
        value: Any = environ[variable]
        if (section, field) in _LIST_FIELDS:
            value = [item.strip() for item in value.split(",") if item.strip()]
        data.setdefault(section, {})[field] = value
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise ConfigError(
            f"bad setting {where}: {problem['msg']} (check {path} and BRIEFER_* variables)"
        ) from None


def environment_sources(environ: Mapping[str, str]) -> dict[tuple[str, str], str]:
    """(section, field) -> the environment variable whose value is in effect for it."""
    sources: dict[tuple[str, str], str] = {}
    # BRIEFER_* variables come second so they win over the fallbacks; empty ones count as unset.
    for variable, target in [*FALLBACKS.items(), *ENVIRONMENT.items()]:
        if environ.get(variable):
            sources[target] = variable
    return sources


def masked(settings: Settings) -> dict[str, Any]:
    """Settings as plain data with every secret replaced by asterisks (for ``config show``)."""
    data = settings.model_dump(mode="json")
    for section, field in (("engine", "api_key"), ("smtp", "password")):
        secret = getattr(getattr(settings, section), field)
        data[section][field] = "********" if secret is not None else None
    return data
