"""Highlights link to items and back, the legend shows the colours the highlights use, every
mention of a source wears its source's key, and the page's CSP lets only its own script run."""

from __future__ import annotations

from pathlib import Path

from browser_support import Example, Opener

# Every link in the article text, with what its target is.
ARTICLE_LINKS = """() => [...document.querySelectorAll("#article-text a[href]")].map((a) => {
  const target = document.getElementById(a.getAttribute("href").slice(1));
  return { href: a.getAttribute("href"), ref: a.classList.contains("ref"),
           target: target ? target.tagName.toLowerCase() + "." + target.className : null };
})"""
# Every claim and framing item, and where its "show in article" link lands.
ITEM_LINKS = """() => [...document.querySelectorAll("li.item")].map((li) => {
  const back = li.querySelector("a.back");
  const target = back && document.getElementById(back.getAttribute("href").slice(1));
  return { id: li.id, back: back && back.getAttribute("href"),
           inArticle: !!target && !!target.closest("#article-text"),
           linksHere: !!target && target.getAttribute("href") === "#" + li.id };
})"""
BACKGROUNDS = """(selector) => [...document.querySelectorAll(selector)].map((e) => ({
  classes: [...e.classList].sort().join(" "),
  source: (e.closest("[data-source]") || e).getAttribute("data-source"),
  background: getComputedStyle(e).backgroundColor }))"""


def test_every_highlight_links_to_an_item_that_links_back(
    tab: Opener, example: Example, tmp_path: Path
) -> None:
    page = tab()
    page.open(example.html, tmp_path / "briefing.html")
    links = page.eval(ARTICLE_LINKS)
    assert len(links) > 40
    broken = [link for link in links if link["target"] is None]
    assert broken == []
    assert {link["target"].split(" ")[0] for link in links} == {"li.item"}
    items = page.eval(ITEM_LINKS)
    expected = [c["id"] for c in example.briefing["claims"] + example.briefing["framing"]]
    assert sorted(item["id"] for item in items) == sorted(expected)
    assert [i for i in items if not (i["back"] and i["inArticle"] and i["linksHere"])] == []
    # And following them works: a highlight lands on its item, the item's link back on its ref.
    first = page.page.locator("#article-text a.hl.content").first
    href = first.get_attribute("href")
    first.click()
    assert page.eval("() => document.querySelector(':target').id") == href[1:]
    page.page.locator(f"{href} a.back").click()
    assert page.eval("() => document.querySelector(':target').id") == f"text-{href[1:]}"


def test_the_legend_shows_the_colours_the_highlights_use(
    tab: Opener, example: Example, tmp_path: Path
) -> None:
    page = tab()
    page.open(example.html, tmp_path / "briefing.html")
    legend = page.eval(BACKGROUNDS, ".legend .hl")
    used: dict[str, set[str]] = {}
    for mark in page.eval(BACKGROUNDS, "#article-text a.hl"):
        used.setdefault(mark["classes"], set()).add(mark["background"])
    assert len(legend) == 4
    for swatch in legend:
        # Highlights of that layer (and key), alone or over the content layer beneath it (a
        # quotation's speaker tag inside its content), exist, all in the legend's colour.
        layer = set(swatch["classes"].split())
        seen = [
            colours
            for classes, colours in used.items()
            if layer <= set(classes.split()) <= layer | {"content"}
        ]
        assert seen, swatch
        assert set().union(*seen) == {swatch["background"]}, swatch


def test_every_mention_of_a_source_wears_its_sources_key(
    tab: Opener, example: Example, tmp_path: Path
) -> None:
    page = tab()
    page.open(example.html, tmp_path / "briefing.html")
    keys = {
        row["source"]: row["background"]
        for row in page.eval(BACKGROUNDS, "#sec-sources td[data-source] .key")
    }
    assert set(keys) == {s["id"] for s in example.briefing["sources"]}
    mentions = [
        m
        for m in page.eval(BACKGROUNDS, "#article-text a.hl.source")
        if m["classes"].count(" ") == 2
    ]
    assert mentions and all(m["source"] for m in mentions)
    # (Words two sources share are tinted by the first; the filter picks either.)
    assert [m for m in mentions if m["background"] != keys[m["source"].split()[0]]] == []
    # Mentions of one source, and only they, share a colour with its key in the table.
    assert len(set(keys.values())) == min(len(keys), 8)


def test_the_csp_blocks_a_script_that_escaped_escaping(
    tab: Opener, hostile_html: str, tmp_path: Path
) -> None:
    # Article markup is escaped, so none of it ran and none of it is an element ...
    page = tab()
    page.open(hostile_html, tmp_path / "hostile.html")
    assert page.eval("() => window.__pwned") is None
    assert page.eval("() => document.scripts.length") == 1  # the page's own filter
    assert page.eval("() => document.querySelectorAll('#article-text img, h1 img').length") == 0
    assert page.eval("() => document.querySelectorAll('button.src-filter').length") > 0
    assert page.errors == []
    # ... and had a template slip let it through as markup, the CSP would still stop it.
    spliced = hostile_html.replace(
        '<div class="article-text" id="article-text">',
        '<div class="article-text" id="article-text"><script>window.__pwned = "script"</script>'
        "<img src=x onerror=\"window.__pwned = 'onerror'\">",
        1,
    )
    assert spliced != hostile_html
    page = tab()
    page.page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(e.effectiveDirective));"
    )
    page.open(spliced, tmp_path / "spliced.html")
    assert page.eval("() => window.__pwned") is None
    page.page.wait_for_function("() => window.__violations.length >= 3", timeout=10_000)
    violated = set(page.eval("() => window.__violations"))
    assert {"script-src-elem", "script-src-attr", "img-src"} <= violated
    assert any("Content Security Policy" in line for line in page.console)
    # The page's own script still ran: its hash, not 'unsafe-inline', let it in.
    assert page.eval("() => document.querySelectorAll('button.src-filter').length") > 0
