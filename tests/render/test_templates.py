"""Templates: every format, the override folder, one-line template errors, labels, versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_fixtures import at, make_briefing

from briefer.contract import Briefing, Flag, Provenance
from briefer.errors import BrieferError
from briefer.render import EXTENSIONS, FORMATS, environment, render, templates_folder


def test_formats_and_extensions_agree() -> None:
    assert set(FORMATS) == set(EXTENSIONS) == {"md", "html", "text", "json"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders(fmt: str) -> None:
    output = render(make_briefing(), fmt)
    assert "Vell Institute" in output
    assert "cannot carry buses" in output


# Each format's section headings, with what an empty section says under them.
EMPTY_SECTIONS = {
    "md": [
        "## Attributed claims\n\nNo attributed claims found.\n",
        "## Outlet framing\n\nNo outlet framing found.\n",
        "## Sources\n\nNo sources.\n",
        "## Flags\n\nNone.\n",
    ],
    "html": [
        '<h2>Attributed claims</h2>\n<p class="empty">No attributed claims found.</p>',
        '<h2>Outlet framing</h2>\n<p class="empty">No outlet framing found.</p>',
        '<h2>Sources</h2>\n<p class="empty">No sources.</p>',
        '<h2>Flags</h2>\n<p class="empty">None.</p>',
    ],
    "text": [
        "\nATTRIBUTED CLAIMS\n  None found.\n",
        "\nOUTLET FRAMING\n  None found.\n",
        "\nSOURCES\n  None.\n",
        "\nFLAGS\n  None.\n",
    ],
}


@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_empty_briefing_renders(fmt: str) -> None:
    briefing = make_briefing(claims=[], framing=[], sources=[], flags=[])
    output = render(briefing, fmt)
    for section in EMPTY_SECTIONS[fmt]:
        assert section in output


def test_unknown_format_is_a_briefer_error() -> None:
    with pytest.raises(BrieferError, match="unknown format 'pdf'"):
        render(make_briefing(), "pdf")


def test_json_round_trips_to_an_equal_briefing() -> None:
    briefing = make_briefing()
    output = render(briefing, "json")
    assert output.lstrip().startswith("{")
    assert Briefing.model_validate_json(output) == briefing


def _fully_recorded() -> Briefing:
    """A briefing whose provenance sets every field, with one flag on a span and one without."""
    return make_briefing(
        flags=[
            Flag(
                code="vague_source", message="Residents are not named.", span=at("Some residents")
            ),
            Flag(code="long_article", message="Only the first part was read."),
        ],
        provenance=Provenance(
            engine="openai",
            model="gpt-4o-mini",
            prompt_version="3",
            input_tokens=1200,
            output_tokens=340,
            cached=True,
            cost_usd=0.0021,
            created_at="2026-03-03T08:00:00Z",
            warnings=["one span was fuzzy", "paragraph 9 does not exist"],
            bluf_method="abstractive",
            briefer_version="0.9.0",
        ),
    )


def _shown(sha: str) -> dict[str, list[str]]:
    """What each format shows of ``_fully_recorded()``'s flags and provenance, in order."""
    return {
        "md": [
            "*Abstractive: written by the model (gpt-4o-mini), not by the outlet.*\n",
            "## Flags\n\n"
            "- **vague\\_source**: Residents are not named. — “Some residents” [298–312]\n"
            "- **long\\_article**: Only the first part was read.\n",
            "## Provenance\n\n"
            "- Engine: openai, model gpt-4o-mini\n"
            "- Prompt version: 3\n"
            "- Tokens: 1200 in, 340 out (≈ $0.0021)\n"
            "- Cached: yes\n"
            "- Created: 2026-03-03T08:00:00Z\n"
            "- BLUF: abstractive\n"
            "- briefer 0.9.0\n"
            f"- Article SHA-256: `{sha}`\n"
            "- Warnings:\n"
            "  - one span was fuzzy\n"
            "  - paragraph 9 does not exist\n",
        ],
        "text": [
            "  (abstractive: written by the model, not by the outlet)\n",
            "FLAGS\n"
            '  - vague_source: Residents are not named. "Some residents" [298–312]\n'
            "  - long_article: Only the first part was read.\n",
            # The text format leaves out briefer's version; the other two show it.
            "PROVENANCE\n"
            "  Engine:          openai (gpt-4o-mini)\n"
            "  Prompt version:  3\n"
            "  Tokens:          1200 in, 340 out (~ $0.0021)\n"
            "  Cached:          yes\n"
            "  Created:         2026-03-03T08:00:00Z\n"
            "  BLUF:            abstractive\n"
            f"  Article SHA-256: {sha}\n"
            "  Warning:         one span was fuzzy\n"
            "                   paragraph 9 does not exist\n",
        ],
        "html": [
            '<p class="note">Abstractive: written by the model (gpt-4o-mini), '
            "not by the outlet.</p>",
            "<h2>Flags</h2>\n<ul>\n"
            "<li><code>vague_source</code>: Residents are not named. — “Some residents” "
            '<span class="offsets">[298–312]</span></li>\n'
            "<li><code>long_article</code>: Only the first part was read.</li>\n</ul>",
            "<h2>Provenance</h2>\n<dl>\n"
            "<dt>Engine</dt><dd>openai (gpt-4o-mini)</dd>\n"
            "<dt>Prompt version</dt><dd>3</dd>\n"
            "<dt>Tokens</dt><dd>1200 in, 340 out (≈ $0.0021)</dd>\n"
            "<dt>Cached</dt><dd>yes</dd>\n"
            "<dt>Created</dt><dd>2026-03-03T08:00:00Z</dd>\n"
            "<dt>BLUF</dt><dd>abstractive</dd>\n"
            "<dt>briefer</dt><dd>0.9.0</dd>\n"
            f"<dt>Article SHA-256</dt><dd><code>{sha}</code></dd>\n"
            "<dt>Warnings</dt><dd>one span was fuzzy</dd>\n"
            "<dt></dt><dd>paragraph 9 does not exist</dd>\n</dl>",
        ],
    }


@pytest.mark.parametrize("fmt", ["md", "text", "html"])
def test_provenance_and_flags_are_shown(fmt: str) -> None:
    briefing = _fully_recorded()
    output = render(briefing, fmt)
    position = 0
    for block in _shown(briefing.article.sha256)[fmt]:
        assert block in output[position:]
        position = output.index(block, position) + len(block)


@pytest.mark.parametrize(
    ("fmt", "lines"),
    [
        ("md", "- Engine: rules\n- Prompt version: —\n- Tokens: 0 in, 0 out\n- Cached: no\n"),
        (
            "text",
            "  Engine:          rules\n  Prompt version:  -\n  Tokens:          0 in, 0 out\n",
        ),
        ("html", "<dt>Engine</dt><dd>rules</dd>\n<dt>Prompt version</dt><dd>—</dd>\n"),
    ],
)
def test_provenance_without_a_model_shows_placeholders(fmt: str, lines: str) -> None:
    output = render(make_briefing(), fmt)
    assert lines in output


def test_override_folder_wins_and_falls_back(tmp_path: Path) -> None:
    (tmp_path / "briefing.md.j2").write_text(
        "CUSTOM {{ view.briefing.article.title }} {{ view.groups | length }}\n", encoding="utf-8"
    )
    assert render(make_briefing(), "md", templates_dir=tmp_path).startswith("CUSTOM Bridge")
    # Formats without an override still use the shipped templates.
    assert "ATTRIBUTED CLAIMS" in render(make_briefing(), "text", templates_dir=tmp_path)


def test_override_partial_is_used_by_the_shipped_page(tmp_path: Path) -> None:
    (tmp_path / "briefing.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    output = render(make_briefing(), "html", templates_dir=tmp_path)
    assert "#123456" in output and "--framing" not in output


def test_override_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "briefing.txt.j2").write_text("FROM ENV\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFER_TEMPLATES", str(tmp_path))
    assert render(make_briefing(), "text") == "FROM ENV\n"
    assert templates_folder() == tmp_path.resolve()


def test_missing_override_folder_is_a_briefer_error(tmp_path: Path) -> None:
    with pytest.raises(BrieferError, match="not a folder"):
        render(make_briefing(), "md", templates_dir=tmp_path / "nope")


def test_override_templates_are_autoescaped_in_html(tmp_path: Path) -> None:
    (tmp_path / "briefing.html.j2").write_text("<p>{{ view.briefing.article.title }}</p>")
    output = render(make_briefing(), "html", templates_dir=tmp_path)
    assert output == "<p>Bridge &lt;script&gt;alert(4)&lt;/script&gt; | report</p>"


def test_broken_override_syntax_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "briefing.md.j2").write_text("line one\n{% if %}\n", encoding="utf-8")
    with pytest.raises(BrieferError) as caught:
        render(make_briefing(), "md", templates_dir=tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert "briefing.md.j2" in message and "line 2" in message


def test_broken_override_at_render_time_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "briefing.txt.j2").write_text(
        "ok\nok\n{{ view.briefing.no_such_field }}\n", encoding="utf-8"
    )
    with pytest.raises(BrieferError) as caught:
        render(make_briefing(), "text", templates_dir=tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert "briefing.txt.j2" in message and "line 3" in message
    assert "no_such_field" in message


def test_environment_is_cached() -> None:
    assert environment(None) is environment(None)


def test_every_device_and_kind_has_a_label() -> None:
    from briefer.contract import DEVICES, SOURCE_KINDS
    from briefer.render import DEVICE_LABELS, KIND_LABELS

    assert set(DEVICE_LABELS) == set(DEVICES)
    assert set(KIND_LABELS) == set(SOURCE_KINDS)


def test_cli_rejects_a_missing_templates_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from briefer.cli import main

    article = tmp_path / "a.txt"
    article.write_text("Officials said the road is closed.\n", encoding="utf-8")
    code = main(["brief", str(article), "--templates", str(tmp_path / "missing")])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--templates" in err and "not a folder" in err


def test_shipped_templates_carry_a_version_comment() -> None:
    from briefer.resources import resource_dir

    folder = resource_dir("templates")
    shipped = [p for p in folder.rglob("*") if p.suffix in {".j2", ".css"}]
    assert {p.name for p in shipped} >= {"briefing.md.j2", "briefing.txt.j2", "briefing.html.j2"}
    for path in shipped:
        if path.name.startswith("digest"):
            continue  # owned by the digest templates
        head = path.read_text(encoding="utf-8")[:200]
        assert "briefer template" in head and "version" in head, path.name
