"""Attribution evaluation against PolNeAR-format gold (source, cue and content spans).

Every record's ``text`` is briefed with the chosen engine through ``briefer.brief()``; each
claim of the briefing is a predicted attribution (source span, cue span, content span).

Scoring rules
-------------
- **Exact match**: a predicted span counts when its ``[start, end)`` equals a gold span's.
  Gold spans are the records' ``source``/``cue``/``content`` ranges; for discontinuous gold
  (``*_fragments``) that range is the hull from the first fragment's start to the last one's end.
- **Overlap**: a predicted span counts when it shares at least one character with a gold span
  (for discontinuous gold, with one of its fragments). Pairs are matched one to one, largest
  overlap first, so each gold and each predicted span is used at most once.
- Precision = matched predicted spans / predicted spans; recall = matched gold spans / gold
  spans; F1 their harmonic mean. Counts are summed over all articles (micro average).
- **Source**: gold attributions without a source (``attribution-no-source``) add no gold source
  span, and claims without a source span (passives) add no predicted one, so they do not affect
  source scores; they still count for cue and content.
- **Triple**: a claim matches a gold attribution when cue and content both match and the source
  matches too, where "no source" matches "no source". Matched one to one.
- **discard_spans** (passages the annotators set aside, e.g. editor's notes): gold and
  predicted attributions whose cue lies inside one are left out of every count.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefer.contract import Article, Span
from briefer.engines import Engine, get_engine
from briefer.errors import InputError
from briefer.evaluation.gold import read_jsonl
from briefer.pipeline import brief

Range = tuple[int, int]
PARTS = ("source", "cue", "content")
MODES = ("exact", "overlap")


@dataclass
class Score:
    """Matched / predicted / gold counts for one component and one matching mode."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.matched += other.matched
        self.predicted += other.predicted
        self.gold += other.gold

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "matched": self.matched,
            "predicted": self.predicted,
            "gold": self.gold,
        }


def _score_table() -> dict[str, dict[str, Score]]:
    return {mode: {part: Score() for part in (*PARTS, "triple")} for mode in MODES}


@dataclass
class Relation:
    """One attribution, gold or predicted; spans are hulls, fragments the gold pieces."""

    source: Range | None
    cue: Range | None
    content: Range | None
    fragments: dict[str, list[Range]] = field(default_factory=dict)
    label: str = ""

    def span(self, part: str) -> Range | None:
        return getattr(self, part)

    def pieces(self, part: str) -> list[Range]:
        span = self.span(part)
        if span is None:
            return []
        return self.fragments.get(part) or [span]


@dataclass
class ArticleResult:
    id: str
    publisher: str
    text: str
    gold: list[Relation]
    predicted: list[Relation]
    # Per gold / predicted relation: "exact", "overlap" or "" (missed / false alarm).
    gold_status: list[str]
    predicted_status: list[str]
    scores: dict[str, dict[str, Score]]


@dataclass
class AttributionResult:
    path: str
    engine: str
    articles: list[ArticleResult] = field(default_factory=list)
    scores: dict[str, dict[str, Score]] = field(default_factory=_score_table)
    by_outlet: dict[str, dict[str, dict[str, Score]]] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, article: ArticleResult) -> None:
        self.articles.append(article)
        outlet = self.by_outlet.setdefault(article.publisher, _score_table())
        for mode in MODES:
            for part, score in article.scores[mode].items():
                self.scores[mode][part].add(score)
                outlet[mode][part].add(score)

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": "attribution",
            "gold": self.path,
            "engine": self.engine,
            "articles": len(self.articles),
            "seconds": round(self.seconds, 2),
            "scores": _scores_dict(self.scores),
            "by_outlet": {
                outlet: _scores_dict(table) for outlet, table in sorted(self.by_outlet.items())
            },
        }

    def summary_lines(self) -> list[str]:
        lines = [
            f"attribution: {len(self.articles)} articles from {self.path}, engine {self.engine}, "
            f"{self.seconds:.1f}s",
            "",
            f"{'':8} {'':8} {'P':>6} {'R':>6} {'F1':>6} {'matched':>8} {'pred':>7} {'gold':>7}",
        ]
        for mode in MODES:
            for part in (*PARTS, "triple"):
                score = self.scores[mode][part]
                lines.append(
                    f"{mode:8} {part:8} {score.precision:6.3f} {score.recall:6.3f} "
                    f"{score.f1:6.3f} {score.matched:8d} {score.predicted:7d} {score.gold:7d}"
                )
        lines += ["", "F1 by outlet (exact source/cue/content | overlap source/cue/content)"]
        for outlet, table in sorted(self.by_outlet.items()):
            exact = " ".join(f"{table['exact'][p].f1:.3f}" for p in PARTS)
            overlap = " ".join(f"{table['overlap'][p].f1:.3f}" for p in PARTS)
            lines.append(f"  {outlet:14} {exact} | {overlap}")
        return lines


def _scores_dict(table: dict[str, dict[str, Score]]) -> dict[str, dict[str, dict]]:
    return {mode: {part: s.to_dict() for part, s in parts.items()} for mode, parts in table.items()}


# ---- reading gold --------------------------------------------------------------------------


def read_records(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """PolNeAR-format records from a JSONL file; a bad file is a one-line user error."""
    for number, record in read_jsonl(path, "PolNeAR-format JSONL", limit):
        if not isinstance(record.get("attributions"), list):
            raise InputError(
                f"{path}:{number}: no 'attributions' list; --task attribution needs "
                "PolNeAR-format gold"
            )
        yield record


def _range(value: Any) -> Range | None:
    if isinstance(value, list | tuple) and len(value) == 2 and value[1] > value[0]:
        return int(value[0]), int(value[1])
    return None


def gold_relations(record: dict[str, Any]) -> list[Relation]:
    relations: list[Relation] = []
    for item in record["attributions"]:
        fragments = {
            part: [r for r in map(_range, item.get(f"{part}_fragments") or []) if r]
            for part in PARTS
        }
        relations.append(
            Relation(
                source=_range(item.get("source")),
                cue=_range(item.get("cue")),
                content=_range(item.get("content")),
                fragments=fragments,
                label=str(item.get("id", "")),
            )
        )
    return relations


def predicted_relations(text: str, engine: Engine) -> list[Relation]:
    briefing = brief(Article(text=text), engine=engine)
    relations = []
    relayed: set[tuple[Range | None, Range, Range]] = set()
    for claim in briefing.claims:
        relations.append(_relation(claim.source.span, claim.cue, claim.content, claim.id))
        # A relay is an attribution of its own in PolNeAR ("According to the AP, the report
        # says C": the AP's content is the whole report sentence), kept once per article.
        for index, link in enumerate(claim.relays):
            relation = _relation(link.source, link.cue, link.content, f"{claim.id}.via{index}")
            key = (relation.source, relation.cue, relation.content)
            if key not in relayed:
                relayed.add(key)
                relations.append(relation)
    return relations


def _relation(source: Span | None, cue: Span, content: Span, label: str) -> Relation:
    return Relation(
        source=(source.start, source.end) if source is not None else None,
        cue=(cue.start, cue.end),
        content=(content.start, content.end),
        label=label,
    )


# ---- matching ------------------------------------------------------------------------------


def _overlap(span: Range, pieces: list[Range]) -> int:
    return sum(max(0, min(span[1], b) - max(span[0], a)) for a, b in pieces)


def _agree(pred: Relation, gold: Relation, part: str, mode: str) -> bool:
    mine, theirs = pred.span(part), gold.span(part)
    if mine is None or theirs is None:
        return mine is None and theirs is None
    if mode == "exact":
        return mine == theirs
    return _overlap(mine, gold.pieces(part)) > 0


def match_part(pred: list[Relation], gold: list[Relation], part: str, mode: str) -> Score:
    """One-to-one matching of one component; relations lacking the component are not counted."""
    mine = [r.span(part) for r in pred if r.span(part) is not None]
    theirs = [g for g in gold if g.span(part) is not None]
    score = Score(predicted=len(mine), gold=len(theirs))
    if mode == "exact":
        pool: dict[Range, int] = {}
        for g in theirs:
            span = g.span(part)
            assert span is not None
            pool[span] = pool.get(span, 0) + 1
        for span in mine:
            assert span is not None
            if pool.get(span, 0) > 0:
                pool[span] -= 1
                score.matched += 1
        return score
    pairs = []
    for i, span in enumerate(mine):
        assert span is not None
        for j, g in enumerate(theirs):
            size = _overlap(span, g.pieces(part))
            if size > 0:
                pairs.append((size, i, j))
    score.matched = len(_greedy(pairs))
    return score


def _greedy(pairs: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Largest-first one-to-one assignment of (weight, pred, gold) pairs."""
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    chosen: list[tuple[int, int]] = []
    for _, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i in used_pred or j in used_gold:
            continue
        used_pred.add(i)
        used_gold.add(j)
        chosen.append((i, j))
    return chosen


def match_triples(pred: list[Relation], gold: list[Relation], mode: str) -> list[tuple[int, int]]:
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if all(_agree(p, g, part, mode) for part in PARTS):
                weight = sum(
                    _overlap(p.span(part), g.pieces(part))  # type: ignore[arg-type]
                    for part in PARTS
                    if p.span(part) is not None and g.span(part) is not None
                )
                pairs.append((weight, i, j))
    return _greedy(pairs)


def score_article(
    pred: list[Relation],
    gold: list[Relation],
    triples: dict[str, list[tuple[int, int]]] | None = None,
) -> dict[str, dict[str, Score]]:
    """Scores per mode and part; ``triples`` are the per-mode triple pairs when already matched."""
    table = _score_table()
    for mode in MODES:
        for part in PARTS:
            table[mode][part] = match_part(pred, gold, part, mode)
        pairs = triples[mode] if triples is not None else match_triples(pred, gold, mode)
        table[mode]["triple"] = Score(matched=len(pairs), predicted=len(pred), gold=len(gold))
    return table


def _in_discarded(relation: Relation, discard: list[Range]) -> bool:
    anchor = relation.cue or relation.content
    return anchor is not None and any(a <= anchor[0] and anchor[1] <= b for a, b in discard)


def _status(
    pairs_exact: list[tuple[int, int]], pairs_overlap: list[tuple[int, int]], n: int, side: int
) -> list[str]:
    status = [""] * n
    for pair in pairs_overlap:
        status[pair[side]] = "overlap"
    for pair in pairs_exact:
        status[pair[side]] = "exact"
    return status


def evaluate_record(record: dict[str, Any], engine: Engine) -> ArticleResult:
    text = record["text"]
    discard = [r for r in map(_range, record.get("discard_spans") or []) if r]
    gold = [g for g in gold_relations(record) if not _in_discarded(g, discard)]
    pred = [p for p in predicted_relations(text, engine) if not _in_discarded(p, discard)]
    # Matched once: the pairs give both the triple scores and each relation's status.
    triples = {mode: match_triples(pred, gold, mode) for mode in MODES}
    exact, overlap = triples["exact"], triples["overlap"]
    meta = record.get("meta") or {}
    return ArticleResult(
        id=str(record.get("id", "")),
        publisher=str(meta.get("publisher") or "unknown"),
        text=text,
        gold=gold,
        predicted=pred,
        gold_status=_status(exact, overlap, len(gold), 1),
        predicted_status=_status(exact, overlap, len(pred), 0),
        scores=score_article(pred, gold, triples),
    )


def evaluate_attribution(
    path: Path, engine: str | Engine = "rules", limit: int | None = None
) -> AttributionResult:
    """Brief every record of a PolNeAR-format JSONL file and score its claims."""
    chosen = engine if isinstance(engine, Engine) else get_engine(engine)
    result = AttributionResult(path=str(path), engine=chosen.name)
    started = time.perf_counter()
    for record in read_records(Path(path), limit):
        result.add(evaluate_record(record, chosen))
    if not result.articles:
        raise InputError(f"{path} has no records to evaluate")
    result.seconds = time.perf_counter() - started
    return result
