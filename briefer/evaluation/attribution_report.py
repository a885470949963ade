"""A self-contained HTML error report for the attribution evaluation.

Per article: gold and predicted attributions side by side, misses (gold nothing overlaps) and
false alarms (predictions overlapping no gold) highlighted. All article text is escaped.
"""

from __future__ import annotations

import html
from pathlib import Path

from briefer.deliver.files import write_atomic
from briefer.evaluation.attribution import PARTS, ArticleResult, AttributionResult, Relation
from briefer.evaluation.report_html import html_page

_STYLE = """
table{margin:.4em 0 1em}
td,th{border:1px solid #ccc;padding:3px 6px}
.miss{background:#fde2e2}.false{background:#fff1d6}.exact{background:#e3f6e3}
.overlap{background:#eef6fb}.src{color:#1a4f8b}.cue{font-weight:600}.num{text-align:right}
summary{cursor:pointer;font-weight:600;margin:.3em 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1em}
"""


def _part(text: str, relation: Relation, part: str) -> str:
    span = relation.span(part)
    if span is None:
        return "<i>none</i>"
    pieces = relation.pieces(part)
    shown = " \u2026 ".join(text[a:b] for a, b in pieces)
    return f"{html.escape(shown)} <small>[{span[0]}, {span[1]})</small>"


def _rows(text: str, relations: list[Relation], status: list[str], missing: str) -> str:
    rows = []
    for relation, state in zip(relations, status, strict=True):
        css = state or missing
        label = state or ("missed" if missing == "miss" else "false alarm")
        cells = "".join(
            f"<td class='{'src' if part == 'source' else part}'>{_part(text, relation, part)}</td>"
            for part in PARTS
        )
        rows.append(
            f"<tr class='{css}'><td>{html.escape(relation.label)}</td>{cells}<td>{label}</td></tr>"
        )
    head = "<tr><th>id</th><th>source</th><th>cue</th><th>content</th><th>match</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def _article(article: ArticleResult) -> str:
    exact = article.scores["exact"]
    misses = article.gold_status.count("")
    false = article.predicted_status.count("")
    summary = (
        f"{html.escape(article.id)} ({html.escape(article.publisher)}): "
        f"{len(article.gold)} gold, {len(article.predicted)} predicted, {misses} missed, "
        f"{false} false alarms; exact F1 source {exact['source'].f1:.2f} cue "
        f"{exact['cue'].f1:.2f} content {exact['content'].f1:.2f}"
    )
    return (
        f"<details><summary>{summary}</summary><div class='grid'>"
        f"<div><h4>Gold</h4>{_rows(article.text, article.gold, article.gold_status, 'miss')}"
        "</div><div><h4>Predicted</h4>"
        f"{_rows(article.text, article.predicted, article.predicted_status, 'false')}</div>"
        f"</div><details><summary>Article text</summary><pre style='white-space:pre-wrap'>"
        f"{html.escape(article.text)}</pre></details></details>"
    )


def render_attribution_report(result: AttributionResult) -> str:
    rows = []
    for mode in ("exact", "overlap"):
        for part in (*PARTS, "triple"):
            s = result.scores[mode][part]
            rows.append(
                f"<tr><td>{mode}</td><td>{part}</td><td class='num'>{s.precision:.3f}</td>"
                f"<td class='num'>{s.recall:.3f}</td><td class='num'>{s.f1:.3f}</td>"
                f"<td class='num'>{s.matched}</td><td class='num'>{s.predicted}</td>"
                f"<td class='num'>{s.gold}</td></tr>"
            )
    totals = (
        "<table><tr><th>mode</th><th>part</th><th>P</th><th>R</th><th>F1</th><th>matched</th>"
        f"<th>predicted</th><th>gold</th></tr>{''.join(rows)}</table>"
    )
    # Worst articles first: that is where the errors to study are.
    ordered = sorted(
        result.articles,
        key=lambda a: a.scores["overlap"]["triple"].f1 if a.gold or a.predicted else 1.0,
    )
    legend = (
        "<p class='legend'><span class='exact'>exact</span><span class='overlap'>overlap</span>"
        "<span class='miss'>missed gold</span><span class='false'>false alarm</span></p>"
    )
    body = "".join(_article(article) for article in ordered)
    title = f"briefer attribution errors: {result.engine} on {result.path}"
    return html_page(title, f"<h1>{html.escape(title)}</h1>{totals}{legend}{body}", _STYLE)


def write_attribution_report(result: AttributionResult, path: Path) -> None:
    write_atomic(Path(path), render_attribution_report(result))
