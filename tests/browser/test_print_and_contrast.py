"""Print (one column, no navigation or controls, items kept whole, layers told apart in
greyscale) and contrast (every highlight's text against its background at least 4.5:1, the
legend not relying on colour)."""

from __future__ import annotations

import itertools
from pathlib import Path

from browser_support import COLOURS, Example, Opener, Tab, contrast

LAYERS = ("content", "cue", "source", "framing")
# How a highlight of one layer alone differs from plain text without colour.
LOOK = """(layer) => {
  const look = (e) => { const s = getComputedStyle(e);
    return [s.fontWeight, s.fontStyle, s.textDecorationLine, s.textDecorationStyle,
            s.borderBottomStyle, s.boxShadow === "none" ? "none" : "shadow"].join(" "); };
  const alone = [...document.querySelectorAll("#article-text a.hl." + layer)]
    .find((e) => [...e.classList].filter((c) => !/^sk\\d$/.test(c)).length === 2);
  return { mark: alone && look(alone), plain: look(document.querySelector("#article-text p")) };
}"""
TEXT = "body *"


def ratios(page: Tab, selector: str) -> dict[str, float]:
    """The lowest contrast ratio per kind of element."""
    worst: dict[str, float] = {}
    for found in page.eval(COLOURS, selector):
        ratio = contrast(found["color"], found["background"])
        worst[found["what"]] = min(ratio, worst.get(found["what"], 21.0))
    return worst


def test_print_is_one_column_without_navigation_and_keeps_items_whole(
    tab: Opener, example: Example, tmp_path: Path
) -> None:
    page = tab(794)  # A4 at 96 dpi
    page.open(example.html, tmp_path / "briefing.html")
    page.page.emulate_media(media="print")
    layout = page.eval(
        """() => ({
      hidden: ["nav", "#filter-status", "a.back"].map((s) =>
        [...document.querySelectorAll(s)].every((e) => !e.getClientRects().length)),
      columns: [...document.querySelectorAll("main > section, header")].map((e) => {
        const r = e.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.width)]; }),
      body: Math.round(document.body.getBoundingClientRect().width),
      breaks: [...new Set([...document.querySelectorAll("li.item")]
        .map((e) => getComputedStyle(e).breakInside))],
      legend: getComputedStyle(document.querySelector(".legend")).display,
    })"""
    )
    assert layout["hidden"] == [True, True, True]
    assert {tuple(c) for c in layout["columns"]} == {(0, layout["body"])}
    assert layout["breaks"] == ["avoid"]
    assert layout["legend"] == "block"


def test_print_tells_the_layers_apart_without_colour(
    tab: Opener, example: Example, tmp_path: Path
) -> None:
    for media in ("print", "screen"):
        page = tab()
        page.open(example.html, tmp_path / f"{media}.html")
        page.page.emulate_media(media=media)
        looks = {layer: page.eval(LOOK, layer) for layer in LAYERS}
        plain = looks["content"]["plain"]
        marks = {layer: look["mark"] for layer, look in looks.items()}
        assert None not in marks.values(), marks
        assert plain not in marks.values(), (media, marks)
        for (a, look_a), (b, look_b) in itertools.combinations(marks.items(), 2):
            assert look_a != look_b, (media, a, b, look_a)


def test_highlights_and_text_keep_a_contrast_of_at_least_4_5(
    tab: Opener, example: Example, tmp_path: Path
) -> None:
    page = tab()
    page.open(example.html, tmp_path / "briefing.html")
    highlights = ratios(page, ".hl")
    assert {"a.hl.content", "a.hl.cue", "a.hl.framing", "span.hl.source.key.sk0"} <= set(highlights)
    everything = ratios(page, TEXT)
    page.page.locator("#src-s3 button.src-filter").click()  # the status bar and outlines
    everything.update({f"filtering {k}": v for k, v in ratios(page, TEXT).items()})
    low = {what: round(ratio, 2) for what, ratio in everything.items() if ratio < 4.5}
    assert low == {}
    assert min(highlights.values()) >= 4.5


def test_the_legend_names_each_mark_in_words_not_colour_alone(
    tab: Opener, example: Example, tmp_path: Path
) -> None:
    page = tab()
    page.open(example.html, tmp_path / "briefing.html")
    entries = page.eval(
        """() => [...document.querySelectorAll(".legend li")].map((li) => li.textContent)"""
    )
    words = {
        "claim content": "thin rule",
        "attribution cue": "bold",
        "source phrase": "italic",
        "outlet framing": "underlined",
    }
    for label, mark in words.items():
        assert any(label in entry and mark in entry for entry in entries), (label, entries)
