"""Framing evaluation: sentence-level agreement with human bias/opinion labels.

Two gold formats, told apart by each record's ``dataset`` field:

- ``basil``: articles with per-sentence booleans (``lexical_author_voice`` is the closest gold to
  loaded language in the outlet's own voice; ``informational`` and the rest are reported too);
- ``babe``: single sentences labelled ``Expresses writer's opinion`` and ``Biased``.

A sentence is predicted positive when any framing item of the briefing overlaps it, whatever its
device (the attribution side's ``vague_attribution`` counts too). Each label is reported with
the F1 of predicting every sentence positive, the floor a detector has to beat.
"""

from __future__ import annotations

import html
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from briefer.contract import Article
from briefer.deliver.files import write_atomic
from briefer.engines import Engine, get_engine
from briefer.errors import InputError
from briefer.evaluation.gold import read_jsonl
from briefer.evaluation.report_html import html_page
from briefer.pipeline import brief

FORMATS = ("basil", "babe")
# The label each format is judged on first; the report colours sentences by it.
PRIMARY_LABEL = {"basil": "lexical_author_voice", "babe": "opinion"}
BABE_OPINION = "Expresses writer's opinion"
BABE_OPINIONATED = ("Expresses writer's opinion", "Somewhat factual but also opinionated")
_NO_AGREEMENT = "No agreement"


@dataclass
class Score:
    """Confusion counts for one sentence label, with P/R/F1 and the all-positive floor."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, predicted: bool) -> None:
        if gold and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def gold_positive(self) -> int:
        return self.tp + self.fn

    @property
    def predicted_positive(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        return self.tp / self.predicted_positive if self.predicted_positive else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold_positive if self.gold_positive else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def floor_f1(self) -> float:
        """F1 of calling every sentence positive: precision = base rate, recall = 1."""
        rate = self.gold_positive / self.total if self.total else 0.0
        return 2 * rate / (rate + 1) if rate else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "floor_f1": round(self.floor_f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "gold_positive": self.gold_positive,
            "predicted_positive": self.predicted_positive,
            "sentences": self.total,
        }


@dataclass(frozen=True)
class PredictedSpan:
    start: int
    end: int
    device: str
    note: str


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    label: str


@dataclass
class SentenceResult:
    start: int
    end: int
    # None where the gold has no usable value (BABE "No agreement").
    gold: dict[str, bool | None]
    devices: list[str]

    @property
    def predicted(self) -> bool:
        return bool(self.devices)


@dataclass
class ArticleResult:
    id: str
    text: str
    sentences: list[SentenceResult]
    predicted: list[PredictedSpan]
    gold_spans: list[GoldSpan]


@dataclass
class FramingResult:
    path: str
    dataset: str
    engine: str
    seconds: float = 0.0
    scores: dict[str, Score] = field(default_factory=dict)
    devices: Counter[str] = field(default_factory=Counter)
    # Per device: sentences it flags, and how many of those are gold-positive (primary label).
    device_sentences: Counter[str] = field(default_factory=Counter)
    device_hits: Counter[str] = field(default_factory=Counter)
    articles: list[ArticleResult] = field(default_factory=list)

    @property
    def primary(self) -> str:
        return PRIMARY_LABEL[self.dataset]

    @property
    def sentence_count(self) -> int:
        return sum(len(article.sentences) for article in self.articles)

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": "framing",
            "path": self.path,
            "dataset": self.dataset,
            "engine": self.engine,
            "articles": len(self.articles),
            "sentences": self.sentence_count,
            "seconds": round(self.seconds, 3),
            "primary_label": self.primary,
            "scores": {label: score.to_dict() for label, score in self.scores.items()},
            "devices": dict(self.devices.most_common()),
            "device_precision": {
                device: {
                    "sentences": count,
                    "gold_positive": self.device_hits[device],
                    "precision": round(self.device_hits[device] / count, 4) if count else 0.0,
                }
                for device, count in self.device_sentences.most_common()
            },
        }

    def summary_lines(self) -> list[str]:
        rate = len(self.articles) / self.seconds if self.seconds else 0.0
        lines = [
            f"framing eval: {self.path} ({self.dataset}), engine {self.engine}: "
            f"{len(self.articles)} records, {self.sentence_count} sentences, "
            f"{self.seconds:.1f} s ({rate:.0f} records/s)",
            f"{'label':<28} {'P':>6} {'R':>6} {'F1':>6} {'floor':>6} {'gold+':>6} {'pred+':>6}",
        ]
        for label, score in self.scores.items():
            marker = " *" if label == self.primary else ""
            lines.append(
                f"{label:<28} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} "
                f"{score.floor_f1:6.3f} {score.gold_positive:6d} {score.predicted_positive:6d}"
                f"{marker}"
            )
        lines.append("floor = F1 of predicting every sentence positive; * = primary label")
        if self.device_sentences:
            parts = [
                f"{device} {self.device_hits[device]}/{count}"
                for device, count in self.device_sentences.most_common()
            ]
            lines.append(f"sentences flagged per device (gold {self.primary}): " + ", ".join(parts))
        return lines


# ---- reading gold -------------------------------------------------------------------------


def _read_records(path: Path, limit: int | None) -> list[dict[str, Any]]:
    expected = "a BASIL or BABE JSONL file"
    records = [record for _, record in read_jsonl(path, expected, limit)]
    if not records:
        raise InputError(f"{path} has no records; expected {expected}")
    return records


def detect_format(records: list[dict[str, Any]]) -> str:
    """'basil' or 'babe', from the records' ``dataset`` field."""
    names = {str(record.get("dataset", "")).lower() for record in records}
    if len(names) == 1 and (name := names.pop()) in FORMATS:
        return name
    found = ", ".join(sorted(names)) or "none"
    raise InputError(
        f"framing evaluation needs records with dataset 'basil' or 'babe' (found: {found}); "
        "use --task attribution for PolNeAR"
    )


def _gold_sentences(record: dict[str, Any], dataset: str) -> list[tuple[int, int, dict]]:
    rows = []
    for entry in record.get("sentence_labels", []):
        start, end = entry["span"]
        if dataset == "basil":
            gold: dict[str, bool | None] = {
                key: value for key, value in entry.items() if isinstance(value, bool)
            }
        else:
            opinion = entry.get("label_opinion")
            bias = entry.get("label_bias")
            usable_opinion = opinion is not None and opinion != _NO_AGREEMENT
            gold = {
                "opinion": opinion == BABE_OPINION if usable_opinion else None,
                "opinionated": opinion in BABE_OPINIONATED if usable_opinion else None,
                "biased": bias == "Biased" if bias not in (None, _NO_AGREEMENT) else None,
            }
        rows.append((start, end, gold))
    return rows


def _gold_spans(record: dict[str, Any], dataset: str) -> list[GoldSpan]:
    spans = []
    if dataset == "basil":
        for item in record.get("spans", []):
            label = item.get("bias_type", "bias")
            if label == "lexical" and not item.get("in_quote"):
                label = "lexical_author_voice"
            elif item.get("in_quote"):
                label = f"{label} (in quote)"
            spans.append(GoldSpan(item["span"][0], item["span"][1], label))
    else:
        for item in record.get("biased_words", []):
            # Some annotated words could not be located in the sentence; they have no span.
            if item.get("span"):
                spans.append(GoldSpan(item["span"][0], item["span"][1], "biased word"))
    return spans


# ---- scoring ------------------------------------------------------------------------------


def evaluate_framing(
    path: Path, engine: str | Engine = "rules", limit: int | None = None
) -> FramingResult:
    """Brief every gold record with ``engine`` and score its framing sentence by sentence."""
    records = _read_records(Path(path), limit)
    dataset = detect_format(records)
    chosen = engine if isinstance(engine, Engine) else get_engine(engine)
    result = FramingResult(path=str(path), dataset=dataset, engine=chosen.name)
    primary = result.primary
    began = time.perf_counter()
    for record in records:
        text = record["text"]
        briefing = brief(Article(text=text), engine=chosen)
        predicted = [
            PredictedSpan(item.span.start, item.span.end, item.device, item.note)
            for item in briefing.framing
        ]
        sentences = []
        for start, end, gold in _gold_sentences(record, dataset):
            devices = sorted(
                {item.device for item in predicted if item.start < end and item.end > start}
            )
            sentence = SentenceResult(start, end, gold, devices)
            sentences.append(sentence)
            for label, value in gold.items():
                if value is not None:
                    result.scores.setdefault(label, Score()).add(value, sentence.predicted)
            for device in devices:
                result.device_sentences[device] += 1
                if gold.get(primary):
                    result.device_hits[device] += 1
        result.devices.update(item.device for item in predicted)
        result.articles.append(
            ArticleResult(
                id=str(record.get("id", len(result.articles) + 1)),
                text=text,
                sentences=sentences,
                predicted=predicted,
                gold_spans=_gold_spans(record, dataset),
            )
        )
    result.seconds = time.perf_counter() - began
    # Primary label first, so summaries and JSON lead with the figure that matters.
    result.scores = dict(
        sorted(result.scores.items(), key=lambda item: (item[0] != primary, item[0]))
    )
    return result


# ---- HTML error report --------------------------------------------------------------------

_STYLE = """
h1{font-size:1.4em}h2{font-size:1.05em;margin-top:2em;border-top:1px solid #ccc;padding-top:.8em}
td,th{padding:.35em .5em;border-bottom:1px solid #eee}
tr.miss td{background:#fff1e6}tr.false-alarm td{background:#eef3ff}tr.hit td{background:#eefaee}
mark.gold{background:#ffc46b}mark.pred{background:#9ec5ff}
.tag{font-size:.8em;color:#555;display:block;margin-top:.2em}
"""


def _highlight(text: str, start: int, end: int, spans: list[tuple[int, int, str]], css: str) -> str:
    """``text[start:end]`` escaped, with the parts covered by ``spans`` wrapped in <mark>."""
    cuts = {start, end}
    for lo, hi, _ in spans:
        if lo < end and hi > start:
            cuts.update((max(lo, start), min(hi, end)))
    ordered = sorted(cuts)
    parts = []
    for lo, hi in pairwise(ordered):
        piece = html.escape(text[lo:hi])
        covering = [label for s, e, label in spans if s < hi and e > lo]
        if covering:
            title = html.escape("; ".join(dict.fromkeys(covering)), quote=True)
            parts.append(f'<mark class="{css}" title="{title}">{piece}</mark>')
        else:
            parts.append(piece)
    return "".join(parts)


def _outcome(gold: bool | None, predicted: bool) -> str:
    if gold is None:
        return "unscored"
    if gold and predicted:
        return "hit"
    if gold:
        return "miss"
    return "false-alarm" if predicted else "correct-negative"


def render_framing_report(result: FramingResult) -> str:
    """A self-contained HTML page: per article, gold vs predicted for every sentence in play."""
    primary = result.primary
    score = result.scores.get(primary, Score())
    out = [
        f"<h1>Framing evaluation: {html.escape(result.path)}</h1>",
        "<pre>" + html.escape("\n".join(result.summary_lines())) + "</pre>",
        f"<p class='legend'>Rows are sentences that are gold-positive for "
        f"<b>{html.escape(primary)}</b> or flagged by the engine. "
        "<span style='background:#fff1e6'>miss</span>"
        "<span style='background:#eef3ff'>false alarm</span>"
        "<span style='background:#eefaee'>hit</span>"
        "<mark class='gold'>gold span</mark> <mark class='pred'>predicted span</mark></p>",
        f"<p>{score.fn} misses and {score.fp} false alarms in {score.total} sentences.</p>",
    ]
    for article in result.articles:
        rows = [
            sentence
            for sentence in article.sentences
            if sentence.predicted or sentence.gold.get(primary)
        ]
        if not rows:
            continue
        outcomes = [_outcome(s.gold.get(primary), s.predicted) for s in rows]
        out.append(
            f"<h2>{html.escape(article.id)} &mdash; {outcomes.count('miss')} missed, "
            f"{outcomes.count('false-alarm')} false alarms</h2>"
        )
        out.append("<table><tr><th>outcome</th><th>gold</th><th>predicted</th></tr>")
        gold_spans = [(g.start, g.end, g.label) for g in article.gold_spans]
        predicted_spans = [(p.start, p.end, f"{p.device}: {p.note}") for p in article.predicted]
        for sentence, outcome in zip(rows, outcomes, strict=True):
            labels = ", ".join(label for label, value in sentence.gold.items() if value) or "none"
            devices = ", ".join(sentence.devices) or "none"
            gold_cell = _highlight(article.text, sentence.start, sentence.end, gold_spans, "gold")
            predicted_cell = _highlight(
                article.text, sentence.start, sentence.end, predicted_spans, "pred"
            )
            out.append(
                f"<tr class='{outcome}'><td>{outcome}</td>"
                f"<td>{gold_cell}<span class='tag'>gold: {html.escape(labels)}</span></td>"
                f"<td>{predicted_cell}<span class='tag'>predicted: {html.escape(devices)}</span>"
                "</td></tr>"
            )
        out.append("</table>")
    title = f"briefer framing evaluation: {Path(result.path).name}"
    return html_page(title, "\n".join(out), _STYLE)


def write_framing_report(result: FramingResult, path: Path) -> None:
    """Write the HTML error report atomically."""
    write_atomic(Path(path), render_framing_report(result))
