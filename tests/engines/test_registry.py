"""The engine registry and options: a misspelt option is a TypeError naming it and the valid
ones; every option the CLI passes is accepted by whichever engine runs, while a library caller
who names an engine gets a TypeError for an option it does not take."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field

import briefer
from briefer.cli import build_parser
from briefer.cli.brief import engine_options
from briefer.config import EngineSettings
from briefer.contract import Article
from briefer.engines import _BUILTIN, Engine, get_engine, resolve_engine_name
from briefer.engines.drafts import Draft
from briefer.engines.openai import OpenAIEngine
from briefer.engines.rules import RulesEngine

TEXT = "The mayor said the bridge would reopen on Monday."


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No config file, key or base URL: ``auto`` means the rules engine here."""
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("BRIEFER_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("BRIEFER_BASE_URL", "BRIEFER_API_KEY", "OPENAI_API_KEY", "BRIEFER_ENGINE"):
        monkeypatch.delenv(name, raising=False)


def test_misspelt_option_for_the_openai_engine() -> None:
    with pytest.raises(TypeError) as info:
        briefer.brief(TEXT, engine="openai", modle="x")
    message = str(info.value)
    assert message.startswith(
        "unknown option 'modle' (did you mean 'model'?) for the openai engine; valid options: "
    )
    listed = message.split("valid options: ")[1].split(", ")
    assert listed == sorted(OpenAIEngine.option_names)
    assert {"model", "base_url", "settings", "cache_path", "concurrency"} <= set(listed)


def test_misspelt_option_with_the_default_engine() -> None:
    with pytest.raises(TypeError, match=r"unknown option 'modle' \(did you mean 'model'\?\)"):
        briefer.brief(TEXT, modle="x")
    with pytest.raises(TypeError, match="'modle'"):
        resolve_engine_name("auto", modle="x")


def test_misspelt_option_for_the_rules_engine() -> None:
    with pytest.raises(TypeError) as info:
        briefer.brief(TEXT, engine="rules", modle="x")
    assert str(info.value) == "unknown option 'modle' for the rules engine; it takes no options"


def test_every_unknown_option_is_named() -> None:
    with pytest.raises(TypeError, match=r"unknown options 'colour', 'tiemout' \(did you mean"):
        get_engine("openai", tiemout=3, colour="red")


def test_constructing_an_engine_directly_checks_too() -> None:
    with pytest.raises(TypeError, match="'modle'"):
        OpenAIEngine(settings=EngineSettings(), modle="x")
    with pytest.raises(TypeError, match="'strict'"):
        RulesEngine(strict=True)


def test_what_the_cli_passes_is_accepted_by_every_engine(tmp_path: Path) -> None:
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    args = build_parser().parse_args(
        [
            "brief", "a.txt", "--model", "m", "--base-url", "http://127.0.0.1:9/v1",
            "--prompts", str(prompts), "--no-cache", "--timeout", "3",
        ]
    )  # fmt: skip
    options = engine_options(args)
    assert set(options) == {"model", "base_url", "prompts", "no_cache", "timeout"}
    # ``auto`` with a base URL picks openai; ``rules`` ignores the model flags.
    assert isinstance(get_engine("auto", **options), OpenAIEngine)
    assert isinstance(get_engine("openai", **options), OpenAIEngine)
    rules = get_engine("rules", **options)
    assert isinstance(rules, RulesEngine) and rules.options.model_dump() == {}
    # ``briefer brief --engine rules --timeout 3`` (the fetch timeout) relies on this.
    assert get_engine("rules", timeout=3, no_cache=True).name == "rules"


def test_a_named_engine_refuses_another_engines_options_from_the_library() -> None:
    with pytest.raises(TypeError) as info:
        briefer.brief(TEXT, engine="rules", timeout=3, no_cache=True)
    assert str(info.value) == (
        "unknown options 'no_cache' (an option of the openai engine), 'timeout' (an option of "
        "the openai engine) for the rules engine; it takes no options"
    )
    with pytest.raises(TypeError, match=r"'model' .* for the rules engine"):
        briefer.brief(TEXT, engine="rules", model="x")
    # ``auto`` chose the engine, not the caller: the options of the others are dropped.
    assert briefer.brief(TEXT, model="x").provenance.engine == "rules"


def test_what_the_library_and_tests_pass_is_accepted(tmp_path: Path) -> None:
    engine = get_engine(
        "openai",
        settings=EngineSettings(),
        base_url="http://127.0.0.1:9/v1",
        api_key="sk-test",
        cache_path=tmp_path / "drafts.sqlite3",
        concurrency=2,
        retries=2,
        backoff=0.1,
        deadline=30.0,
        json_mode="json_object",
        chunk_tokens=4000,
        max_output_tokens=500,
        temperature=0.0,
        crosscheck=False,
    )
    assert isinstance(engine, OpenAIEngine) and engine.concurrency == 2
    # ``auto`` falls back to rules, which gets none of the openai options.
    assert briefer.brief(TEXT, crosscheck=False, settings=EngineSettings()).claims


class EchoEngine(Engine):
    """A third-party engine with one option of its own."""

    name = "echo"

    class Options(Engine.Options):
        prefix: str = Field("", description="text put before the BLUF")

    options: Options

    def analyze(self, article: Article) -> Draft:
        return Draft(bluf=f"{self.options.prefix}{article.text[:20]}")


def test_a_plugin_gets_its_own_options_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(_BUILTIN, "echo", f"{__name__}:EchoEngine")
    engine = get_engine("echo", prefix=">> ", model="m")
    assert engine.options == EchoEngine.Options(prefix=">> ")  # --model: another engine's
    assert briefer.brief(TEXT, engine="echo", prefix="> ").bluf.startswith("> The mayor")
    with pytest.raises(TypeError) as info:
        get_engine("echo", prefx=">> ")
    message = str(info.value)
    assert message == (
        "unknown option 'prefx' (did you mean 'prefix'?) for the echo engine; valid options: prefix"
    )


def test_auto_lists_the_options_of_every_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(_BUILTIN, "echo", f"{__name__}:EchoEngine")
    with pytest.raises(TypeError) as info:
        get_engine("auto", nope=1)
    listed = str(info.value).split("valid options: ")[1].split(", ")
    assert listed == sorted(OpenAIEngine.option_names | {"prefix"})


def test_the_error_names_options_never_their_values() -> None:
    secret = "sk-typo-must-not-leak-7"
    with pytest.raises(TypeError) as info:
        get_engine("openai", api_kee=secret)
    assert "'api_kee' (did you mean 'api_key'?)" in str(info.value)
    assert secret not in str(info.value)
