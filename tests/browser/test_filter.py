"""The source filter: a source (its name in the sources table, its heading, or a mention in the
article) shows only its claims and outlines its mentions; pressed again, or Escape, or "Show
all", it clears; keys work as clicks; without JavaScript the page reads as it always did."""

from __future__ import annotations

from pathlib import Path

from browser_support import Example, Opener, Tab

STATE = """() => ({
  claims: [...document.querySelectorAll("#sec-claims li.claim")]
    .filter((li) => li.getClientRects().length).map((li) => li.id),
  framing: [...document.querySelectorAll("#sec-framing li.item")]
    .filter((li) => li.getClientRects().length).length,
  picked: [...document.querySelectorAll("#article-text .picked")].map((e) => ({
    text: e.textContent, sources: e.getAttribute("data-source").split(" "),
    outline: getComputedStyle(e).outlineStyle })),
  status: document.getElementById("filter-status").getClientRects().length
    ? document.getElementById("filter-text").textContent : null,
  pressed: [...document.querySelectorAll("button.src-filter[aria-pressed=true]")]
    .map((b) => b.getAttribute("data-source")),
})"""
BUSIEST = "s3"  # Council leader Martin Hale: three claims, three mentions ("he", "He")


def opened(tab: Opener, example: Example, tmp_path: Path, **options: object) -> Tab:
    page = tab(**options)
    page.open(example.html, tmp_path / "briefing.html")
    return page


def assert_filtered(page: Tab, example: Example, source_id: str) -> None:
    entry = example.source(source_id)
    state = page.eval(STATE)
    assert state["claims"] == entry["claim_ids"]
    assert state["framing"] == 0
    assert state["pressed"] == [source_id, source_id]  # its table row and its heading
    assert f"the {len(entry['claim_ids'])} claim" in state["status"]
    assert entry["name"] in state["status"]
    assert state["picked"] and all(source_id in p["sources"] for p in state["picked"])
    assert {p["outline"] for p in state["picked"]} == {"solid"}
    # Every mention is outlined: each one's words are among the outlined pieces, in order.
    outlined = "|".join(p["text"] for p in state["picked"])
    for mention in entry["mentions"]:
        assert mention["text"] in outlined
    assert len(state["picked"]) >= len(entry["mentions"])


def assert_cleared(page: Tab, example: Example) -> None:
    state = page.eval(STATE)
    assert state["claims"] == [c["id"] for c in example.briefing["claims"]]
    assert state["framing"] == len(example.briefing["framing"])
    assert state["picked"] == [] and state["pressed"] == [] and state["status"] is None


def test_a_source_in_the_table_shows_only_its_claims_and_clears_on_a_second_click(
    tab: Opener, example: Example, tmp_path: Path
) -> None:
    page = opened(tab, example, tmp_path)
    assert_cleared(page, example)
    button = page.page.locator(f"#src-{BUSIEST} button.src-filter")
    button.click()
    assert_filtered(page, example, BUSIEST)
    button.click()
    assert_cleared(page, example)
    # Another source, then "Show all".
    page.page.locator("#src-s2 button.src-filter").click()
    assert_filtered(page, example, "s2")
    page.page.locator("#filter-clear").click()
    assert_cleared(page, example)
    assert page.errors == [] and not [line for line in page.console if "error" in line]


def test_a_mention_in_the_article_picks_its_source_and_escape_clears(
    tab: Opener, example: Example, tmp_path: Path
) -> None:
    page = opened(tab, example, tmp_path)
    mention = page.page.locator(f'#article-text a.hl.source[data-source="{BUSIEST}"]').last
    href = mention.get_attribute("href")
    mention.click()
    assert_filtered(page, example, BUSIEST)
    # The link still leads to the claim, which the filter keeps in view.
    assert page.eval("() => location.hash") == href
    assert href[1:] in example.source(BUSIEST)["claim_ids"]
    page.page.keyboard.press("Escape")
    assert_cleared(page, example)


def test_the_filter_works_from_the_keyboard(tab: Opener, example: Example, tmp_path: Path) -> None:
    page = opened(tab, example, tmp_path)
    # Tab reaches the buttons: every one is in the focus order.
    assert page.eval(
        "() => [...document.querySelectorAll('button.src-filter')]"
        ".every((b) => b.tabIndex === 0 && !b.disabled)"
    )
    heading = page.page.locator(f'h3[data-source="{BUSIEST}"] button.src-filter')
    heading.focus()
    page.page.keyboard.press("Enter")
    assert_filtered(page, example, BUSIEST)
    page.page.keyboard.press("Space")
    assert_cleared(page, example)
    page.page.locator("#src-s2 button.src-filter").focus()
    page.page.keyboard.press("Space")
    assert_filtered(page, example, "s2")
    page.page.keyboard.press("Escape")
    assert_cleared(page, example)


def test_without_javascript_the_page_reads_the_same(
    tab: Opener, example: Example, tmp_path: Path
) -> None:
    scripted = opened(tab, example, tmp_path)
    plain = tab(javascript=False)
    plain.open(example.html, tmp_path / "plain.html")
    read = "() => document.body.innerText"
    assert plain.eval(read) == scripted.eval(read)
    assert plain.page.locator("button:visible").count() == 0  # no control that does nothing
    assert plain.page.locator("#filter-status").is_hidden()
    assert plain.page.locator("#sec-claims li.claim:visible").count() == len(
        example.briefing["claims"]
    )
