"""Rendering: every format, escaping, highlight segmentation, template overrides."""

from __future__ import annotations

import html.parser
from pathlib import Path

import pytest

from briefer.contract import (
    Article,
    Briefing,
    Claim,
    ClaimSource,
    Flag,
    Framing,
    Provenance,
    SourceEntry,
    Span,
)
from briefer.errors import BrieferError
from briefer.render import EXTENSIONS, FORMATS, environment, render, segment, templates_folder

# An invented article: nested spans (a cue inside claim content inside a framing passage), a
# multi-line paragraph, markup that must stay inert, and Markdown-hostile characters.
TEXT = (
    "LANTERN BRIDGE WILL COLLAPSE, TOWN IS TOLD\n"
    "\n"
    'Engineers from the Vell Institute said on Tuesday that the bridge "cannot carry buses" '
    "after the spring floods.\n"
    "According to a letter seen by the Courier, the mayor had ignored the warning, a reckless "
    "gamble, critics say the engineers warned | twice.\n"
    "\n"
    "# Some residents believe the repairs will never come. <script>alert(1)</script> "
    '"><img src=x onerror=alert(2)>\n'
)


def at(needle: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(needle, start + 1)
    return Span.of(TEXT, start, start + len(needle))


def make_briefing(**overrides: object) -> Briefing:
    claims = [
        Claim(
            id="c1",
            statement="The bridge cannot carry buses after the floods.",
            source=ClaimSource(
                name="Vell Institute",
                kind="institution",
                span=at("Engineers from the Vell Institute"),
            ),
            cue=at("said"),
            content=at('the bridge "cannot carry buses" after the spring floods'),
            quote="mixed",
        ),
        Claim(
            id="c2",
            statement="The mayor ignored the engineers' warning.",
            source=ClaimSource(name="letter", kind="document", span=at("a letter")),
            cue=at("According to"),
            content=at(
                "the mayor had ignored the warning, a reckless gamble, critics say the engineers"
            ),
            quote="indirect",
            via=["Courier"],
        ),
        Claim(
            id="c3",
            statement="The engineers warned twice.",
            source=ClaimSource(name="Vell Institute", kind="institution"),
            cue=at("warned"),
            content=at("warned | twice"),
            quote="indirect",
            alignment="fuzzy",
            match="fuzzy",
        ),
    ]
    framing = [
        Framing(
            id="f1",
            span=at("LANTERN BRIDGE WILL COLLAPSE, TOWN IS TOLD"),
            device="assertive_heading",
            note="Headline states the collapse as certain.",
        ),
        Framing(
            id="f2",
            span=at("ignored the warning, a reckless gamble, critics say"),
            device="loaded_language",
            note="Evaluative <script>alert(3)</script> wording in the outlet's voice.",
        ),
        Framing(
            id="f3",
            span=at("# Some residents believe the repairs will never come."),
            device="vague_attribution",
            note="Unnamed residents | no source.",
        ),
    ]
    values: dict[str, object] = {
        "article": Article(
            text=TEXT,
            title="Bridge <script>alert(4)</script> | report",
            outlet="The Courier",
            url="https://courier.example/bridge",
            published="2026-03-03",
        ),
        "bluf": "Engineers say the Lantern bridge cannot carry buses; the outlet calls it doomed.",
        "claims": claims,
        "framing": framing,
        "sources": [
            SourceEntry(name="Vell Institute", kind="institution", claim_ids=["c1", "c3"]),
            SourceEntry(name="letter", kind="document", claim_ids=["c2"]),
        ],
        "flags": [
            Flag(code="vague_source", message="Residents are not named.", span=at("Some residents"))
        ],
        "provenance": Provenance(
            engine="rules", created_at="2026-03-03T08:00:00Z", warnings=["one span was fuzzy"]
        ),
    }
    values.update(overrides)
    return Briefing.model_validate(values)


@pytest.fixture(autouse=True)
def _no_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFER_TEMPLATES", raising=False)


class ArticleText(html.parser.HTMLParser):
    """Collects the article text of a rendered page, minus the item refs, and its anchors."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.segments: list[tuple[str, set[str]]] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self._depth = 0  # > 0 inside the article container
        self._skip = 0
        self._classes: list[set[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")
        if attributes.get("href"):
            self.hrefs.append(attributes["href"] or "")
        if tag == "br":
            return
        classes = set((attributes.get("class") or "").split())
        if attributes.get("id") == "article-text":
            self._depth = 1
        elif self._depth:
            self._depth += 1
        if self._depth:
            self._skip += "ref" in classes
            self._classes.append(classes)

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag != "br":
            classes = self._classes.pop()
            self._skip -= "ref" in classes
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth and not self._skip:
            self.text.append(data)
            layers = set().union(*self._classes) & {"content", "cue", "source", "framing"}
            self.segments.append((data, layers))


def parse(page: str) -> ArticleText:
    parser = ArticleText()
    parser.feed(page)
    parser.close()
    return parser


# ---- every format ----------------------------------------------------------------------------


def test_formats_and_extensions_agree() -> None:
    assert set(FORMATS) == set(EXTENSIONS) == {"md", "html", "text", "json"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders(fmt: str) -> None:
    output = render(make_briefing(), fmt)
    assert "Vell Institute" in output
    assert "cannot carry buses" in output


@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_empty_briefing_renders(fmt: str) -> None:
    briefing = make_briefing(claims=[], framing=[], sources=[], flags=[])
    output = render(briefing, fmt)
    assert "No attributed claims" in output or "None found" in output


def test_unknown_format_is_a_briefer_error() -> None:
    with pytest.raises(BrieferError, match="unknown format 'pdf'"):
        render(make_briefing(), "pdf")


def test_json_round_trips_to_an_equal_briefing() -> None:
    briefing = make_briefing()
    output = render(briefing, "json")
    assert output.lstrip().startswith("{")
    assert Briefing.model_validate_json(output) == briefing


# ---- Markdown --------------------------------------------------------------------------------


def test_markdown_groups_claims_by_source_with_evidence() -> None:
    output = render(make_briefing(), "md")
    vell = output.index("### Vell Institute (institution)")
    letter = output.index("### letter (document)")
    c1, c2, c3 = (output.index(f"**c{n}.**") for n in (1, 2, 3))
    # c1 and c3 share a source, so both sit under it, before the letter's group.
    assert vell < c1 < c3 < letter < c2
    assert '> the bridge "cannot carry buses" after the spring floods' in output
    assert "`[99–154]`" in output
    assert "*via Courier*" in output
    assert "Mixed (partial quote)" in output
    assert "cue: “said” [78–82]" in output


def test_markdown_marks_fuzzy_claims_and_labels_devices() -> None:
    output = render(make_briefing(), "md")
    c3 = output[output.index("**c3.**") :]
    assert "fuzzy match" in c3.split("\n\n")[0]
    assert "**f2. Loaded language**" in output
    assert "BLUF" in output or "Bottom line up front" in output
    assert "*Extractive" in output


def test_markdown_escapes_article_text() -> None:
    output = render(make_briefing(), "md")
    assert "<script>" not in output
    assert "> \\# Some residents" in output  # not a heading inside the quote
    assert "| Vell Institute | institution | 2 (c1, c3) |" in output
    briefing = make_briefing(
        sources=[
            SourceEntry(name="Vell | Institute", kind="institution", claim_ids=["c1", "c3"]),
            SourceEntry(name="letter", kind="document", claim_ids=["c2"]),
        ]
    )
    table_row = next(
        line for line in render(briefing, "md").splitlines() if line.startswith("| Vell")
    )
    assert table_row.count("|") - table_row.count("\\|") == 4


def test_markdown_links_only_web_urls() -> None:
    article = Article(text=TEXT, title="T", url="javascript:alert(1)")
    output = render(make_briefing(article=article), "md")
    assert "<javascript:" not in output
    assert "](javascript" not in output


def test_provenance_and_flags_are_shown() -> None:
    for fmt in ("md", "text", "html"):
        output = render(make_briefing(), fmt)
        assert "vague_source" in output or "vague\\_source" in output
        assert "one span was fuzzy" in output
        assert "2026-03-03T08:00:00Z" in output
        assert "rules" in output


# ---- plain text ------------------------------------------------------------------------------


def test_text_is_wrapped_and_free_of_markup() -> None:
    briefing = make_briefing(bluf="word " * 60)
    output = render(briefing, "text")
    assert max(len(line) for line in output.splitlines()) <= 88
    assert "**" not in output and "<p>" not in output and "###" not in output
    assert "ATTRIBUTED CLAIMS" in output and "OUTLET FRAMING" in output


def test_text_neutralises_terminal_control_characters() -> None:
    briefing = make_briefing(bluf="Red \x1b[31malert\x1b[0m text.")
    for fmt in ("text", "md"):
        assert "\x1b" not in render(briefing, fmt)


# ---- HTML ------------------------------------------------------------------------------------


def test_html_escapes_markup_from_article_and_briefing() -> None:
    output = render(make_briefing(), "html")
    assert "<script>alert" not in output
    assert "<img src=x" not in output
    assert "&lt;script&gt;alert(1)" in output  # the article's markup, shown as text
    assert "&lt;script&gt;alert(3)" in output  # a framing note
    assert "&lt;script&gt;alert(4)" in output  # the title
    assert "<script" not in output.lower()


def test_html_links_only_web_urls() -> None:
    article = Article(text=TEXT, title="T", url="javascript:alert(1)")
    output = render(make_briefing(article=article), "html")
    assert 'href="javascript' not in output


def test_html_is_self_contained() -> None:
    output = render(make_briefing(), "html")
    assert output.startswith("<!DOCTYPE html>")
    assert "<style>" in output and "stylesheet" not in output
    for external in ('src="http', "src='http", "@import", "url(http"):
        assert external not in output
    assert "Content-Security-Policy" in output


def test_html_segments_tile_the_article_text() -> None:
    page = parse(render(make_briefing(), "html"))
    assert "".join(page.text) == TEXT


def test_html_overlapping_spans_keep_every_layer() -> None:
    page = parse(render(make_briefing(), "html"))
    layers = {text: found for text, found in page.segments}
    # framing f2 lies inside claim c2's content: both layers on the same words.
    assert layers["ignored the warning, a reckless gamble, critics say"] == {"content", "framing"}
    # c3's cue "warned" is inside its own content.
    assert layers["warned"] == {"content", "cue"}
    assert layers[" | twice"] == {"content"}
    assert layers["the mayor had "] == {"content"}
    assert layers["a letter"] == {"source"}
    assert layers["LANTERN BRIDGE WILL COLLAPSE, TOWN IS TOLD"] == {"framing"}


def test_html_paragraphs_are_preserved() -> None:
    output = render(make_briefing(), "html")
    body = output[output.index('id="article-text"') :]
    assert body.count("<p>") == 3
    assert "<br>" in body  # the lone newline inside the second paragraph


def test_html_anchors_link_items_and_highlights_both_ways() -> None:
    briefing = make_briefing()
    page = parse(render(briefing, "html"))
    for item in [*briefing.claims, *briefing.framing]:
        assert item.id in page.ids
        assert f"text-{item.id}" in page.ids
        assert f"#{item.id}" in page.hrefs
        assert f"#text-{item.id}" in page.hrefs
    targets = {href[1:] for href in page.hrefs if href.startswith("#")}
    assert targets <= page.ids


def test_html_has_legend_and_text_labels() -> None:
    output = render(make_briefing(), "html")
    legend = output[output.index('class="legend"') :]
    for label in ("claim content", "attribution cue", "source phrase", "outlet framing"):
        assert label in legend
    assert 'title="f2: outlet framing, loaded language; c2: letter (claim content)"' in output


def test_html_marks_fuzzy_claims() -> None:
    output = render(make_briefing(), "html")
    c3 = output[output.index('id="c3"') : output.index("</li>", output.index('id="c3"'))]
    assert "fuzzy match" in c3


def test_segment_tiles_nested_spans() -> None:
    from briefer.render import Mark

    text = "abcdefghij"
    marks = [
        Mark("framing", "f1", "", 0, 10),
        Mark("content", "c1", "", 2, 8),
        Mark("cue", "c1", "", 4, 6),
    ]
    pieces = segment(text, marks)
    assert [(s, e) for s, e, _ in pieces] == [(0, 2), (2, 4), (4, 6), (6, 8), (8, 10)]
    assert [[m.layer for m in covering] for _, _, covering in pieces] == [
        ["framing"],
        ["content", "framing"],
        ["cue", "content", "framing"],
        ["content", "framing"],
        ["framing"],
    ]


def test_html_span_crossing_a_paragraph_break_is_split() -> None:
    text = "First part of it.\n\nSecond part follows."
    claim = Claim(
        id="c1",
        statement="Two parts.",
        source=ClaimSource(name="Someone", kind="person"),
        cue=Span.of(text, 0, 5),
        content=Span.of(text, 6, 30),
        quote="indirect",
    )
    briefing = Briefing(
        article=Article(text=text),
        bluf="Two parts.",
        claims=[claim],
        sources=[SourceEntry(name="Someone", kind="person", claim_ids=["c1"])],
        provenance=Provenance(engine="rules", created_at="2026-01-01T00:00:00Z"),
    )
    page = parse(render(briefing, "html"))
    assert "".join(page.text) == text
    assert ("part of it.", {"content"}) in page.segments
    assert ("Second part", {"content"}) in page.segments


# ---- template overrides ----------------------------------------------------------------------


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


def test_a_span_that_does_not_slice_the_text_is_never_evidence() -> None:
    good = make_briefing()
    # Built without validation, as a buggy stage upstream might: the offsets point elsewhere.
    stray = Span.model_construct(start=0, end=7, text="invented words")
    claim = good.claims[0].model_copy(update={"content": stray})
    briefing = Briefing.model_construct(**{**dict(good), "claims": [claim, *good.claims[1:]]})
    for fmt in ("md", "text", "html"):
        output = render(briefing, fmt)
        assert "invented words" not in output
        assert "no evidence" in output.lower()
    assert "".join(parse(render(briefing, "html")).text) == TEXT


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


def test_text_shows_claims_under_their_source_with_evidence() -> None:
    output = render(make_briefing(), "text")
    vell = output.index("Vell Institute (institution)")
    assert vell < output.index("c1  The bridge") < output.index("letter (document), via Courier")
    assert '| the bridge "cannot carry buses" after the spring floods' in output
    assert "[99–154]" in output


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
