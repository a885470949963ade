"""Attribution scoring on a hand-written gold file, checked by hand; and ``briefer eval``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefer.cli import main
from briefer.evaluation.attribution import (
    Relation,
    evaluate_attribution,
    match_part,
    score_article,
)

FIRST = "Mayor Ilse Brandt said that the new bridge will open in the spring."
SECOND = "The ferry will not run this winter, the operator said."
THIRD = "Prices seem to rise."
NOTE = "A spokesman said the office was closed."
TEXT = f"{FIRST} {SECOND} {THIRD}\n\n{NOTE}"


def at(text: str, needle: str, after: int = 0) -> list[int]:
    start = text.index(needle, after)
    return [start, start + len(needle)]


def attribution(source: list[int] | None, cue: list[int], content: list[int]) -> dict:
    return {
        "type": "attribution" if source else "attribution-no-source",
        "source": source,
        "cue": cue,
        "content": content,
        "source_fragments": [source] if source else [],
        "cue_fragments": [cue],
        "content_fragments": [content],
    }


def gold_record() -> dict:
    second = TEXT.index(SECOND)
    note = TEXT.index(NOTE)
    return {
        "id": "test:1",
        "text": TEXT,
        "attributions": [
            # Source and cue exact; content without "that": overlap only.
            attribution(
                at(TEXT, "Mayor Ilse Brandt"),
                at(TEXT, "said"),
                at(TEXT, "the new bridge will open in the spring"),
            ),
            # Source "operator" without its article: overlap only; cue and content exact.
            attribution(
                at(TEXT, "operator"),
                at(TEXT, "said", second),
                at(TEXT, "The ferry will not run this winter"),
            ),
            # No source; a hedge the engine leaves to framing, so it finds nothing here.
            attribution(None, at(TEXT, "seem"), at(TEXT, "Prices")),
            # Inside a discarded passage: left out of every count, as is the engine's claim.
            attribution(
                at(TEXT, "A spokesman"), at(TEXT, "said", note), at(TEXT, "the office was closed")
            ),
        ],
        "discard_spans": [[note, note + len(NOTE)]],
        "meta": {"publisher": "coastal-times"},
    }


def other_record() -> dict:
    text = "Nothing here is attributed to anyone at all."
    return {"id": "test:2", "text": text, "attributions": [], "meta": {"publisher": "hill-news"}}


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    lines = [json.dumps(gold_record()), json.dumps(other_record())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_scores_by_hand(gold_file: Path) -> None:
    result = evaluate_attribution(gold_file, engine="rules")
    exact, overlap = result.scores["exact"], result.scores["overlap"]
    # Two claims predicted (the discarded one is not counted); three gold, two with a source.
    assert (exact["source"].matched, exact["source"].predicted, exact["source"].gold) == (1, 2, 2)
    assert exact["source"].f1 == pytest.approx(0.5)
    assert (exact["cue"].matched, exact["cue"].predicted, exact["cue"].gold) == (2, 2, 3)
    assert exact["cue"].precision == 1.0
    assert exact["cue"].recall == pytest.approx(2 / 3)
    assert exact["cue"].f1 == pytest.approx(0.8)
    assert (exact["content"].matched, exact["content"].gold) == (1, 3)
    assert exact["content"].f1 == pytest.approx(0.4)  # P 1/2, R 1/3
    assert exact["triple"].matched == 0
    assert overlap["source"].matched == 2 and overlap["source"].f1 == 1.0
    assert overlap["content"].matched == 2
    assert overlap["content"].f1 == pytest.approx(0.8)
    assert overlap["triple"].matched == 2
    assert overlap["triple"].recall == pytest.approx(2 / 3)
    assert set(result.by_outlet) == {"coastal-times", "hill-news"}
    assert result.by_outlet["hill-news"]["exact"]["cue"].gold == 0
    article = result.articles[0]
    assert article.gold_status == ["overlap", "overlap", ""]
    assert article.predicted_status == ["overlap", "overlap"]


def test_overlap_counts_each_span_once_and_uses_fragments() -> None:
    gold = [
        Relation(
            source=None, cue=(0, 4), content=(10, 50), fragments={"content": [(10, 20), (40, 50)]}
        )
    ]
    # Inside the hull but between the fragments: no overlap.
    assert match_part([Relation(None, (0, 4), (25, 35))], gold, "content", "overlap").matched == 0
    # Two predictions overlapping one gold span: one match.
    twice = [Relation(None, (0, 4), (12, 15)), Relation(None, (0, 4), (41, 45))]
    score = match_part(twice, gold, "content", "overlap")
    assert (score.matched, score.predicted, score.gold) == (1, 2, 1)
    # Exact match is against the hull.
    assert match_part([Relation(None, (0, 4), (10, 50))], gold, "content", "exact").matched == 1


def test_no_source_matches_no_source_in_the_triple() -> None:
    gold = [Relation(source=None, cue=(0, 4), content=(5, 9))]
    assert score_article([Relation(None, (0, 4), (5, 9))], gold)["exact"]["triple"].matched == 1
    assert score_article([Relation((20, 22), (0, 4), (5, 9))], gold)["exact"]["triple"].matched == 0


def test_cli_prints_a_table_and_writes_a_report(
    gold_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "errors.html"
    code = main(["eval", str(gold_file), "--task", "attribution", "--report", str(report)])
    assert code == 0
    out = capsys.readouterr().out
    assert "exact    cue" in out and "coastal-times" in out
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "missed" in page and "Mayor Ilse Brandt" in page


def test_cli_json_and_limit(gold_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(gold_file), "--json", "--limit", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["articles"] == 1
    assert data["scores"]["exact"]["cue"]["f1"] == pytest.approx(0.8)
    assert data["by_outlet"]["coastal-times"]["overlap"]["triple"]["matched"] == 2


def test_report_escapes_article_text(tmp_path: Path) -> None:
    record = gold_record()
    record["text"] = record["text"].replace("Prices", "<b>Prices</b>")
    record["attributions"] = []
    record["discard_spans"] = []
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = tmp_path / "r.html"
    assert main(["eval", str(gold), "--report", str(report)]) == 0
    page = report.read_text(encoding="utf-8")
    assert "<b>Prices</b>" not in page and "&lt;b&gt;Prices&lt;/b&gt;" in page


def test_bad_gold_is_a_one_line_error(tmp_path: Path) -> None:
    gold = tmp_path / "bad.jsonl"
    gold.write_text('{"text": "no attributions here"}\n', encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "briefer", "eval", str(gold)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "PolNeAR" in run.stderr
    assert "Traceback" not in run.stderr


def test_missing_gold_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(tmp_path / "none.jsonl")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_help_documents_the_matching_rules(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    text = capsys.readouterr().out
    assert "Exact match" in text and "one to one" in text and "discard_spans" in text
