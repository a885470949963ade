"""Framing evaluation arithmetic on tiny hand-written BASIL- and BABE-format files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from briefer.contract import Article
from briefer.engines.base import Engine
from briefer.engines.drafts import Draft, DraftFraming, SpanRef
from briefer.errors import InputError
from briefer.evaluation.framing import evaluate_framing, write_framing_report


class RegimeEngine(Engine):
    """Flags every 'regime' so the expected scores can be worked out by hand."""

    name = "regime-stub"

    def analyze(self, article: Article) -> Draft:
        return Draft(
            framing=[
                DraftFraming(
                    span=SpanRef(text=m.group(), start=m.start(), end=m.end()),
                    device="loaded_language",
                    note="stub <b>note</b>",
                )
                for m in re.finditer("regime", article.text)
            ]
        )


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def basil_record(rid: str, text: str, labels: list[tuple[str, bool, bool]]) -> dict[str, Any]:
    rows = []
    for index, (sentence, lexical, informational) in enumerate(labels):
        start = text.index(sentence)
        rows.append(
            {
                "sentence_index": index,
                "span": [start, start + len(sentence)],
                "lexical": lexical,
                "informational": informational,
                "lexical_author_voice": lexical,
            }
        )
    first = text.index(labels[0][0])
    spans = [{"span": [first, first + 3], "text": text[first : first + 3], "bias_type": "lexical"}]
    return {
        "id": rid,
        "dataset": "basil",
        "text": text,
        "sentence_labels": rows,
        "spans": spans,
    }


@pytest.fixture
def basil_file(tmp_path: Path) -> Path:
    return write_jsonl(
        tmp_path / "basil.jsonl",
        [
            basil_record(
                "a1",
                "Harbour news\n\nThe regime cut the budget. Officials met on Monday. "
                "The regime denied it.",
                [
                    ("The regime cut the budget.", True, False),
                    ("Officials met on Monday.", True, False),
                    ("The regime denied it.", False, True),
                ],
            ),
            basil_record(
                "a2",
                "Calm day. The regime spoke.",
                [("Calm day.", False, False), ("The regime spoke.", True, False)],
            ),
        ],
    )


def test_basil_scores_by_hand(basil_file: Path) -> None:
    result = evaluate_framing(basil_file, engine=RegimeEngine())
    assert result.dataset == "basil"
    lav = result.scores["lexical_author_voice"]
    # predicted: a1 = [P, N, P], a2 = [N, P]; gold: a1 = [T, T, F], a2 = [F, T]
    assert (lav.tp, lav.fp, lav.fn, lav.tn) == (2, 1, 1, 1)
    assert lav.precision == pytest.approx(2 / 3)
    assert lav.recall == pytest.approx(2 / 3)
    assert lav.f1 == pytest.approx(2 / 3)
    assert lav.floor_f1 == pytest.approx(2 * 0.6 / 1.6)
    info = result.scores["informational"]
    assert (info.tp, info.fp, info.fn, info.tn) == (1, 2, 0, 2)
    assert info.f1 == pytest.approx(0.5)
    assert info.floor_f1 == pytest.approx(1 / 3)
    assert next(iter(result.scores)) == "lexical_author_voice"
    data = result.to_dict()
    assert data["scores"]["lexical_author_voice"]["f1"] == pytest.approx(0.6667, abs=1e-4)
    assert data["devices"] == {"loaded_language": 3}
    assert data["device_precision"]["loaded_language"] == {
        "sentences": 3,
        "gold_positive": 2,
        "precision": pytest.approx(0.6667, abs=1e-4),
    }
    lines = result.summary_lines()
    assert any(line.startswith("lexical_author_voice") and "0.667" in line for line in lines)


def test_limit_reads_only_the_first_records(basil_file: Path) -> None:
    result = evaluate_framing(basil_file, engine=RegimeEngine(), limit=1)
    assert len(result.articles) == 1
    assert result.scores["lexical_author_voice"].total == 3


def test_babe_scores_by_hand(tmp_path: Path) -> None:
    def record(text: str, opinion: str, bias: str) -> dict[str, Any]:
        return {
            "id": text[:8],
            "dataset": "babe",
            "text": text,
            "sentence_labels": [
                {"span": [0, len(text)], "label_opinion": opinion, "label_bias": bias}
            ],
            "biased_words": [{"word": "x", "span": None}],
        }

    path = write_jsonl(
        tmp_path / "babe.jsonl",
        [
            record("The regime lied again.", "Expresses writer's opinion", "Biased"),
            record("Rain fell on Tuesday.", "Entirely factual", "Non-biased"),
            record("The regime met.", "Entirely factual", "Non-biased"),
            record("Prices rose sharply.", "No agreement", "Biased"),
        ],
    )
    result = evaluate_framing(path, engine=RegimeEngine())
    opinion = result.scores["opinion"]  # "No agreement" is left out of the opinion scores
    assert (opinion.tp, opinion.fp, opinion.fn, opinion.tn) == (1, 1, 0, 1)
    assert opinion.f1 == pytest.approx(2 / 3)
    assert opinion.floor_f1 == pytest.approx(0.5)
    biased = result.scores["biased"]
    assert (biased.tp, biased.fp, biased.fn, biased.tn) == (1, 1, 1, 1)
    assert biased.f1 == pytest.approx(0.5)
    assert biased.floor_f1 == pytest.approx(2 / 3)
    assert "opinionated" in result.scores


def test_rules_engine_runs_end_to_end(basil_file: Path) -> None:
    result = evaluate_framing(basil_file, engine="rules")
    assert result.engine == "rules"
    assert result.scores["lexical_author_voice"].total == 5
    # "The regime denied it" is the regime speaking (an attribution), so only two are outlet voice.
    assert result.devices["loaded_language"] >= 2


def test_unknown_dataset_is_a_one_line_user_error(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "x.jsonl", [{"dataset": "polnear", "text": "Hi."}])
    with pytest.raises(InputError, match="basil"):
        evaluate_framing(path, engine=RegimeEngine())
    with pytest.raises(InputError, match="cannot read"):
        evaluate_framing(tmp_path / "missing.jsonl", engine=RegimeEngine())


def test_report_escapes_article_text_and_marks_errors(tmp_path: Path) -> None:
    text = "The regime <script>alert(1)</script> won. Quiet day & calm night."
    path = write_jsonl(
        tmp_path / "b.jsonl",
        [
            basil_record(
                "<script>id</script>",
                text,
                [
                    ("The regime <script>alert(1)</script> won.", False, False),
                    ("Quiet day & calm night.", True, False),
                ],
            )
        ],
    )
    result = evaluate_framing(path, engine=RegimeEngine())
    report = tmp_path / "out" / "report.html"
    write_framing_report(result, report)
    page = report.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&amp; calm night" in page
    assert "<b>note</b>" not in page
    assert "false-alarm" in page and "miss" in page
    assert '<mark class="pred"' in page and '<mark class="gold"' in page
