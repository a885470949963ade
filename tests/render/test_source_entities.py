"""The sources section: one row per source entity, with mentions, members and claim ids."""

from __future__ import annotations

from render_fixtures import entity_briefing

from briefer.render import render
from briefer.render.view import build_view

HOSTILE = "Ann <b>Lee</b> | & Co"


def _briefing():
    return entity_briefing(members=[HOSTILE, "Bo Chan"])


def test_view_rows_count_mentions_and_fall_back_to_claim_spans() -> None:
    rows = build_view(_briefing()).sources
    assert [(r.id, r.mentions, r.members, r.claim_ids) for r in rows] == [
        ("s1", 2, [HOSTILE, "Bo Chan"], ["c1", "c3"]),
        # No mentions listed (an older briefing): its claims' source spans are counted.
        ("s2", 1, [], ["c2"]),
    ]


def test_markdown_row_has_mentions_members_and_claims() -> None:
    output = render(_briefing(), "md")
    assert "| Source | Kind | Mentions | Members | Claims |" in output
    row = next(line for line in output.splitlines() if line.startswith("| Vell Institute"))
    assert row.startswith("| Vell Institute | institution | 2 | Ann \\<b\\>Lee\\</b\\> \\| ")
    assert row.endswith("Bo Chan | 2 (c1, c3) |")
    assert "| letter | document | 1 | — | 1 (c2) |" in output


def test_html_row_escapes_members() -> None:
    output = render(_briefing(), "html")
    section = output[output.index('<section id="sec-sources">') :]
    section = section[: section.index("</section>")]
    assert "<b>Lee" not in section
    assert "Ann &lt;b&gt;Lee&lt;/b&gt; | &amp; Co, Bo Chan" in section
    assert '<td class="num">2</td>' in section
    assert '<a href="#c3">c3</a>' in section


def test_text_row_lists_mentions_and_members() -> None:
    output = render(_briefing(), "text")
    section = output[output.index("SOURCES") : output.index("FLAGS")]
    assert "mentions: 2, members: Ann <b>Lee</b> | & Co, Bo Chan" in section
    assert "mentions: 1\n" in section
