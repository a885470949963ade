"""The sourcing profile in every format: whole percentages, one line, a small table."""

from __future__ import annotations

import json

import pytest
from render_fixtures import TEXT, make_briefing

from briefer.contract import Article
from briefer.pipeline.profile import sourcing_profile
from briefer.render import percents, profile_view, render
from briefer.render.templates import inline_script

# make_briefing(): c1 institution (mixed), c2 document via the Courier, c3 institution.
CLAIMS_PART = (
    "Sourcing: 3 claims — 100% named, 0% anonymous, 0% vague; 33% relayed; "
    "0% direct quotes, 33% partial quotes; 1 from documents, 0 from people, "
    "2 from organizations."
)
WORDS_PART = "52% of the words are attributed, 48% outlet voice (23% flagged as framing)."


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([1, 1, 1], [34, 33, 33]),  # 33.3 each: the first tie gets the lost point
        ([2, 1], [67, 33]),
        ([1, 0, 6], [14, 0, 86]),
        ([0, 0], [0, 0]),  # nothing to share: no division by zero
    ],
)
def test_percents_add_up_to_100(counts: list[int], expected: list[int]) -> None:
    assert percents(counts) == expected


def test_profile_view_rows_hold_counts_and_percents() -> None:
    briefing = make_briefing()
    view = profile_view(sourcing_profile(TEXT, briefing.claims, briefing.framing))
    assert [row.label for row in view.rows] == [
        "Sources",
        "Chain",
        "Quotes",
        "Source type",
        "Words",
    ]
    chain = {cell.name: (cell.count, cell.percent) for cell in view.rows[1].cells}
    assert chain == {"first_hand": (2, 67), "relayed": (1, 33)}
    for row in view.rows[:4]:
        assert sum(cell.percent for cell in row.cells) == 100
    words = view.rows[-1].cells
    assert words[0].percent + words[1].percent == 100
    assert words[2].name == "framing_words"


def test_markdown_shows_the_line_and_the_table() -> None:
    output = render(make_briefing(), "md")
    assert f"{CLAIMS_PART} {WORDS_PART}\n" in output
    assert "| Chain | first-hand 2 (67%) · relayed (via) 1 (33%) |" in output
    # An extractive bottom line leads with the sourcing line, then the article's own lead.
    assert output.index("## Bottom line") < output.index(CLAIMS_PART)
    assert output.index(CLAIMS_PART) < output.index("## Sourcing profile")
    assert output.index("## Bottom line") < output.index("## Sourcing profile")
    assert output.index("## Sourcing profile") < output.index("## Attributed claims")


def test_text_leads_the_bottom_line_with_the_line_wrapped() -> None:
    output = render(make_briefing(), "text")
    bluf = output[output.index("BOTTOM LINE UP FRONT") : output.index("SOURCING PROFILE")]
    assert " ".join(bluf.split()).startswith(f"BOTTOM LINE UP FRONT {CLAIMS_PART} {WORDS_PART}")
    section = output[output.index("SOURCING PROFILE") : output.index("ATTRIBUTED CLAIMS")]
    assert CLAIMS_PART.split()[0] not in section  # said once, in the bottom line
    assert "  Chain:        first-hand 2 (67%), relayed (via) 1 (33%)\n" in section
    assert max(len(line) for line in output.splitlines()) <= 88


def test_an_abstractive_bottom_line_keeps_the_line_in_the_profile() -> None:
    briefing = make_briefing()
    briefing = briefing.model_copy(
        update={"provenance": briefing.provenance.model_copy(update={"bluf_method": "abstractive"})}
    )
    for fmt, heading in (("md", "## Bottom line up front"), ("text", "BOTTOM LINE UP FRONT")):
        output = render(briefing, fmt)
        bluf = output[output.index(heading) :]
        bluf = bluf[: bluf.index("## Sourcing" if fmt == "md" else "SOURCING PROFILE")]
        assert CLAIMS_PART not in " ".join(bluf.split())
        assert CLAIMS_PART in " ".join(output.split())


def test_html_shows_the_line_and_escapes_a_hostile_outlet() -> None:
    hostile = 'Evil <script>alert("o")</script> & "Co"'
    article = Article(text=TEXT, title="T", outlet=hostile)
    output = render(make_briefing(article=article), "html")
    assert f'<p class="sourcing-line">{CLAIMS_PART} {WORDS_PART}</p>' in output
    assert '<a href="#sec-sourcing">Sourcing</a>' in output
    # The page's one script is the shipped source filter; the outlet's stays text.
    assert output.lower().count("<script") == 1
    assert f"<script>{inline_script().text}</script>" in output
    assert "Evil &lt;script&gt;alert(&#34;o&#34;)&lt;/script&gt; &amp; &#34;Co&#34;" in output
    assert "default-src 'none'" in output  # the CSP stays


def test_an_article_without_claims_renders_zeros() -> None:
    briefing = make_briefing(claims=[], framing=[], sources=[], flags=[])
    for fmt in ("md", "text", "html"):
        output = " ".join(render(briefing, fmt).split())
        assert (
            "Sourcing: no attributed claims. 0% of the words are attributed, 100% outlet voice"
        ) in output, fmt


def test_json_carries_the_assembled_profile_and_none_for_a_hand_built_briefing() -> None:
    briefing = make_briefing()
    assert json.loads(render(briefing, "json"))["profile"] is None
    profiled = make_briefing(profile=sourcing_profile(TEXT, briefing.claims, briefing.framing))
    data = json.loads(render(profiled, "json"))["profile"]
    assert data["claims"] == 3 and data["relayed"] == 1 and data["relayed_share"] == 0.3333
    assert data["named"] + data["anonymous"] + data["vague"] == data["claims"]
    # A stored profile is what every format shows: here it says 3 claims, as the JSON does.
    assert CLAIMS_PART in render(profiled, "md")
