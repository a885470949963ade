"""``briefer config`` show/path/init, and loading settings from file and environment."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from briefer.cli import main
from briefer.cli.config import template_text
from briefer.config import ENVIRONMENT, FALLBACKS, Settings, config_path, load_settings
from briefer.errors import ConfigError

SECRET = "sk-do-not-print-7Hq2"
PASSWORD = "smtp-pass-Xy81"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No BRIEFER_*/OPENAI_* variables from the developer's shell; the user config folder is
    redirected into tmp_path. Returns the (not yet existing) default config file path."""
    for name in [*ENVIRONMENT, *FALLBACKS, "BRIEFER_CONFIG"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("briefer.config.user_config_dir", lambda app: str(tmp_path / app))
    return tmp_path / "briefer" / "config.toml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["config", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_path_prints_the_config_location(
    capsys: pytest.CaptureFixture[str], clean_environment: Path
) -> None:
    assert run(capsys, "path") == (0, f"{clean_environment}\n", "")


def test_briefer_config_names_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BRIEFER_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert config_path() == tmp_path / "elsewhere.toml"


def test_empty_briefer_config_means_the_default_location(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "absent.toml", {"BRIEFER_CONFIG": ""}) == Settings()


def test_show_masks_secrets_and_names_sources(
    capsys: pytest.CaptureFixture[str], clean_environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean_environment.parent.mkdir()
    clean_environment.write_text(
        f'[smtp]\nhost = "smtp.example.org"\nuser = "me"\npassword = "{PASSWORD}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("BRIEFER_SMTP_PORT", "2525")
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    code, out, err = run(capsys, "show")
    assert code == 0 and err == ""
    assert SECRET not in out and PASSWORD not in out
    assert f"# config file: {clean_environment} (found)" in out
    assert "# environment: BRIEFER_SMTP_PORT, OPENAI_API_KEY" in out
    assert 'host = "smtp.example.org"\n' in out
    assert "port = 2525  # from BRIEFER_SMTP_PORT" in out
    assert 'password = "********"\n' in out
    assert 'api_key = "********"  # from OPENAI_API_KEY' in out


def test_show_output_is_toml_that_matches_the_settings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFER_DIGEST_TO", "a@example.org, b@example.org")
    monkeypatch.setenv("BRIEFER_SMTP_PASSWORD", PASSWORD)
    _, out, _ = run(capsys, "show")
    shown = tomllib.loads(out)
    assert shown["digest"]["to"] == ["a@example.org", "b@example.org"]
    assert shown["smtp"]["password"] == "********"
    assert shown["smtp"]["security"] == "starttls"
    assert "host" not in shown["smtp"]


def test_show_json(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFER_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("BRIEFER_SMTP_HOST", "smtp.example.org")
    code, out, _ = run(capsys, "show", "--format", "json")
    report = json.loads(out)
    assert code == 0 and PASSWORD not in out
    assert report["config_file_exists"] is False
    assert report["environment"] == ["BRIEFER_SMTP_HOST", "BRIEFER_SMTP_PASSWORD"]
    assert report["settings"]["smtp"]["host"] == "smtp.example.org"
    assert report["settings"]["smtp"]["password"] == "********"
    assert report["settings"]["engine"]["api_key"] is None


def test_briefer_variables_beat_the_openai_ones(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://openai.invalid/v1")
    monkeypatch.setenv("BRIEFER_BASE_URL", "http://localhost:11434/v1")
    _, out, _ = run(capsys, "show")
    assert 'base_url = "http://localhost:11434/v1"  # from BRIEFER_BASE_URL' in out
    assert "OPENAI_BASE_URL" not in out


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_show_warns_about_a_readable_file_with_a_secret(
    capsys: pytest.CaptureFixture[str], clean_environment: Path
) -> None:
    clean_environment.parent.mkdir()
    clean_environment.write_text(f'[smtp]\npassword = "{PASSWORD}"\n', encoding="utf-8")
    clean_environment.chmod(0o644)
    assert "chmod 600" in run(capsys, "show")[1]
    clean_environment.chmod(0o600)
    assert "chmod 600" not in run(capsys, "show")[1]


def test_show_with_a_bad_config_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], clean_environment: Path
) -> None:
    clean_environment.parent.mkdir()
    clean_environment.write_text('[smtp]\nport = "many"\n', encoding="utf-8")
    code, out, err = run(capsys, "show")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "smtp.port" in err


def test_init_writes_the_template_privately(
    capsys: pytest.CaptureFixture[str], clean_environment: Path
) -> None:
    code, _, err = run(capsys, "init")
    assert code == 0 and str(clean_environment) in err
    assert clean_environment.read_text(encoding="utf-8") == template_text()
    if os.name == "posix":
        assert stat.S_IMODE(clean_environment.stat().st_mode) == 0o600
    # Everything is commented out: the fresh file changes nothing.
    assert load_settings(clean_environment, {}) == Settings()


def test_init_refuses_to_overwrite_without_force(
    capsys: pytest.CaptureFixture[str], clean_environment: Path
) -> None:
    clean_environment.parent.mkdir()
    clean_environment.write_text("# mine\n", encoding="utf-8")
    code, _, err = run(capsys, "init")
    assert code == 2 and "already exists" in err and "--force" in err
    assert clean_environment.read_text(encoding="utf-8") == "# mine\n"
    assert run(capsys, "init", "--force")[0] == 0
    assert clean_environment.read_text(encoding="utf-8") == template_text()


def test_init_to_another_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "nested" / "briefer.toml"
    assert run(capsys, "init", "--path", str(target))[0] == 0
    assert target.is_file()


def test_template_covers_every_setting_and_every_example_is_valid() -> None:
    text = template_text()
    uncommented: list[str] = []
    for line in text.splitlines():
        if line.startswith("["):
            uncommented.append(line)
        elif match := re.fullmatch(r"# (\w+) = (.+)", line):
            uncommented.append(f"{match[1]} = {match[2]}")
    # A key shown twice (with alternatives) keeps its last example.
    data: dict[str, dict[str, object]] = {}
    section = ""
    for line in uncommented:
        if line.startswith("["):
            section = line.strip("[]")
            data[section] = {}
        else:
            data[section].update(tomllib.loads(line))
    settings = Settings.model_validate(data)
    for name, field in Settings.model_fields.items():
        model = field.annotation
        missing = set(model.model_fields) - set(data[name])  # type: ignore[union-attr]
        assert not missing, f"add [{name}] {sorted(missing)} to templates/config.toml"
    assert settings.smtp.host == "smtp.example.org"


def test_smtp_settings_from_the_environment(tmp_path: Path) -> None:
    environ = {
        "BRIEFER_SMTP_HOST": "smtp.example.org",
        "BRIEFER_SMTP_PORT": "465",
        "BRIEFER_SMTP_SECURITY": "ssl",
        "BRIEFER_SMTP_USER": "me",
        "BRIEFER_SMTP_PASSWORD": PASSWORD,
        "BRIEFER_SMTP_FROM": "Briefer <b@example.org>",
        "BRIEFER_SMTP_TIMEOUT": "12.5",
    }
    smtp = load_settings(tmp_path / "absent.toml", environ).smtp
    assert (smtp.host, smtp.port, smtp.security, smtp.user) == (
        "smtp.example.org",
        465,
        "ssl",
        "me",
    )
    assert smtp.password is not None and smtp.password.get_secret_value() == PASSWORD
    assert (smtp.sender, smtp.timeout) == ("Briefer <b@example.org>", 12.5)


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[smtp]\nhost = "file.example.org"\nport = 25\n', encoding="utf-8")
    smtp = load_settings(path, {"BRIEFER_SMTP_HOST": "env.example.org"}).smtp
    assert (smtp.host, smtp.port) == ("env.example.org", 25)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[smtp]\nport = 0\n", "smtp.port"),
        ("[smtp]\nport = 70000\n", "smtp.port"),
        ("[smtp]\ntimeout = 0\n", "smtp.timeout"),
        ('[smtp]\nsecurity = "tls"\n', "smtp.security"),
        ('[smtp]\nhots = "x"\n', "smtp.hots"),
        ('smtp = "smtp.example.org"\n', "must be a table"),
        ("[smtp\n", "not valid TOML"),
    ],
)
def test_bad_smtp_settings_are_config_errors(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_settings(path, {})


def test_a_password_in_a_bad_setting_is_not_echoed(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'[smtp]\npassword = "{PASSWORD}"\nport = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, {})
    assert PASSWORD not in str(caught.value)


def test_config_path_that_is_a_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a file"):
        load_settings(tmp_path, {"BRIEFER_CONFIG": str(tmp_path)})


def test_missing_briefer_config_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(missing, {"BRIEFER_CONFIG": str(missing)})


@pytest.mark.parametrize("argv", [[], ["show"], ["path"], ["init"]])
def test_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["config", *argv, "--help"])
    assert exited.value.code == 0
    assert "usage: briefer config" in capsys.readouterr().out


def test_config_without_action_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2 and "show" in err and "init" in err


def test_through_the_installed_entry_point(clean_environment: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefer", "config", "path"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "BRIEFER_CONFIG": str(clean_environment)},
    )
    assert (result.returncode, result.stdout.strip()) == (0, str(clean_environment))


def test_documentation_names_every_setting_and_variable() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "configuration.md").read_text(encoding="utf-8")
    for variable in [*ENVIRONMENT, *FALLBACKS, "BRIEFER_CONFIG"]:
        assert f"`{variable}`" in docs, f"document {variable} in docs/configuration.md"
    for name, field in Settings.model_fields.items():
        section = docs.split(f"## `[{name}]`", 1)[1].split("\n## ", 1)[0]
        for key in field.annotation.model_fields:  # type: ignore[union-attr]
            assert f"| `{key}` |" in section, f"document {name}.{key} in docs/configuration.md"


def test_show_lists_the_process_variables(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BRIEFER_MAX_BYTES", "20000000")
    monkeypatch.setenv("BRIEFER_CACHE_DIR", str(tmp_path))
    code, out, _ = run(capsys, "show", "--format", "json")
    assert code == 0
    assert {"BRIEFER_MAX_BYTES", "BRIEFER_CACHE_DIR"} <= set(json.loads(out)["environment"])


def test_only_config_reads_briefer_variables() -> None:
    # One module owns every BRIEFER_* variable, so `briefer config show` can list them all.
    package = Path(__file__).resolve().parent.parent / "briefer"
    pattern = re.compile(r"""(environ(\.get)?\s*[\[(]|getenv\()\s*["']BRIEFER_""")
    readers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if pattern.search(path.read_text()) and path.name != "config.py"
    )
    assert readers == []
