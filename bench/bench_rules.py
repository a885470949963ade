"""Speed of the rules engine: articles per second, and how time grows with article length.

Usage: python bench/bench_rules.py [GOLD.jsonl] [--limit N] [--repeat N]

Reads article texts from a PolNeAR-format JSONL file (default: ../shared/eval/
polnear_attribution_dev.jsonl relative to the repository root), times ``RulesEngine.analyze``
on one core, attribution and framing alone, and compares one article against the same article
concatenated ten times. Long single-line articles are in ``bench_long_lines.py``.
Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import briefer
from briefer.contract import Article
from briefer.engines.rules import RulesEngine
from briefer.engines.rules.attribution import find_attributions
from briefer.engines.rules.framing import detect_framing
from briefer.evaluation.gold import read_jsonl

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "polnear_attribution_dev.jsonl"


def load_texts(path: Path, limit: int | None) -> list[str]:
    return [record["text"] for _, record in read_jsonl(path, "PolNeAR-format JSONL", limit)]


def time_once(engine: RulesEngine, article: Article) -> float:
    started = time.perf_counter()
    engine.analyze(article)
    return time.perf_counter() - started


def best_of(engine: RulesEngine, article: Article, repeat: int) -> float:
    return min(time_once(engine, article) for _ in range(repeat))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--repeat", type=int, default=3, help="timing repeats (best is kept)")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"bench: {args.gold} not found; pass a PolNeAR-format JSONL path", file=sys.stderr)
        return 2

    # One core, as the target is stated; the engine is single-threaded anyway.
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = load_texts(args.gold, args.limit)
    articles = [Article(text=text) for text in texts]
    engine = RulesEngine()
    engine.analyze(articles[0])  # warm up regex caches and imports

    runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        for article in articles:
            engine.analyze(article)
        runs.append(time.perf_counter() - started)
    best = min(runs)
    chars = sum(len(text) for text in texts)
    print(f"articles: {len(articles)}, mean length {chars / len(articles):,.0f} chars")
    print(f"rules engine (attribution + framing + BLUF): {len(articles) / best:,.1f} articles/s")

    started = time.perf_counter()
    for text in texts:
        find_attributions(text)
    attribution_only = time.perf_counter() - started
    print(f"attribution alone: {len(texts) / attribution_only:,.1f} articles/s")
    started = time.perf_counter()
    for text in texts:
        detect_framing(text, [])
    framing_only = time.perf_counter() - started
    print(f"framing alone (no attributed ranges): {len(texts) / framing_only:,.1f} articles/s")

    # Scaling: a median-length article against the same text ten times over.
    by_length = sorted(texts, key=len)
    sample = by_length[len(by_length) // 2]
    one = Article(text=sample)
    ten = Article(text="\n\n".join([sample] * 10))
    t1 = best_of(engine, one, args.repeat * 3)
    t10 = best_of(engine, ten, args.repeat)
    print(
        f"scaling: {len(sample):,} chars in {t1 * 1000:.2f} ms, 10x ({len(ten.text):,} chars) "
        f"in {t10 * 1000:.2f} ms, ratio {t10 / t1:.2f}"
    )
    longest = Article(text=by_length[-1])
    longest10 = Article(text="\n\n".join([by_length[-1]] * 10))
    r1 = best_of(engine, longest, args.repeat)
    r10 = best_of(engine, longest10, args.repeat)
    print(
        f"scaling (longest article, {len(longest.text):,} chars): 1x {r1 * 1000:.1f} ms, "
        f"10x {r10 * 1000:.1f} ms, ratio {r10 / r1:.2f}"
    )
    per_article = statistics.median(best_of(engine, a, 1) for a in articles[:200])
    print(f"median time per article (first 200): {per_article * 1000:.2f} ms")

    # The library call a user makes: lookup, engine, grounding, validation, provenance.
    pipeline_runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        for text in texts:
            briefer.brief(text, engine="rules")
        pipeline_runs.append(time.perf_counter() - started)
    whole = min(pipeline_runs) / len(texts)
    print(f"briefer.brief(text, engine='rules'), whole pipeline: {whole * 1000:.2f} ms per article")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
