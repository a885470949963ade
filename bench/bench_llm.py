"""Benchmark the openai engine's batch path against the scripted server on 127.0.0.1.

64 articles at concurrency 16, the server answering each request after 300 ms: the ideal is
64 / 16 x 0.3 s = 1.2 s, the target at most 1.25x that (1.5 s). A second run must be served
entirely from the cache (zero requests counted at the server). Also prints the prompt-size
figures (prompt tokens / article tokens, the fixed instruction part) and the answer format's
output tokens per claim. The throughput figure lives here, not in the tests: the tests check
concurrency by the number of requests in flight at once, which no machine load changes.

    python bench/bench_llm.py [--articles 64] [--concurrency 16] [--delay 0.3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from openai_scenarios import FIXTURE, GOOD  # noqa: E402

from briefer.config import EngineSettings  # noqa: E402
from briefer.contract import Article  # noqa: E402
from briefer.engines.openai import OpenAIEngine, response_format_for  # noqa: E402
from briefer.engines.openai.prompting import PromptSet, article_messages, number_paragraphs  # noqa: E402
from briefer.engines.openai.schema import LLMBriefing  # noqa: E402
from briefer.engines.openai.tokens import tokenizer_for  # noqa: E402
from briefer.pipeline import brief_async  # noqa: E402


async def batch(engine: OpenAIEngine, articles: list[Article], concurrency: int) -> float:
    limit = asyncio.Semaphore(concurrency)

    async def one(article: Article) -> None:
        async with limit:
            await brief_async(article, engine=engine)

    started = time.perf_counter()
    try:
        await asyncio.gather(*(one(a) for a in articles))
    finally:
        await engine.aclose()
    return time.perf_counter() - started


def prompt_figures(model: str) -> None:
    tokenizer = tokenizer_for(model)
    prompts = PromptSet()
    examples = [FIXTURE, *sorted((ROOT / "examples").glob("*.txt"))]
    for path in examples:
        text = path.read_text(encoding="utf-8")
        for json_object in (False, True):
            fixed = tokenizer.count_messages(article_messages(prompts, [], json_object=json_object))
            full = tokenizer.count_messages(
                article_messages(prompts, number_paragraphs(text), json_object=json_object)
            )
            article = tokenizer.count(text)
            mode = "json_object" if json_object else "json_schema"
            print(
                f"  {path.name:<28} {mode:<11} article {article:>5}  prompt {full:>5}  "
                f"fixed {fixed:>4}  (prompt - fixed) / article = {(full - fixed) / article:.2f}x"
            )
    schema = tokenizer.count(json.dumps(response_format_for(LLMBriefing)))
    print(f"  json_schema mode also sends the schema as response_format: {schema} tokens as JSON")
    per_claim = [tokenizer.count(json.dumps(claim)) for claim in GOOD["claims"]]
    whole = tokenizer.count(json.dumps(GOOD))
    print(
        f"  answer format: {sum(per_claim) / len(per_claim):.1f} output tokens per claim "
        f"(the {len(per_claim)} claims of the reference answer); whole answer {whole} tokens "
        f"= {whole / len(per_claim):.1f} per claim incl. framing and BLUF"
    )


def _stats(base_url: str) -> dict[str, int]:
    root = base_url.removesuffix("/v1")
    with urllib.request.urlopen(f"{root}/stats", timeout=5) as response:
        return {key: int(value) for key, value in json.load(response).items()}


def _count(base_url: str) -> int:
    return _stats(base_url)["requests"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--delay", type=float, default=0.3)
    args = parser.parse_args()

    text = FIXTURE.read_text(encoding="utf-8")
    articles = [Article(text=f"{text}\nEdition {n}.\n") for n in range(args.articles)]
    ideal = args.articles / args.concurrency * args.delay
    tokenizer_for("scripted-1")  # one-time load (~0.3 s), not part of the batch figure
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        answer = Path(folder) / "answer.json"
        answer.write_text(json.dumps(GOOD), encoding="utf-8")
        # The server runs in its own process, as a real one would, so it does not share the
        # client's interpreter lock.
        server = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "tests" / "openai_server.py"),
                str(answer),
                "--delay",
                str(args.delay),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            base_url = server.stdout.readline().strip()

            def engine() -> OpenAIEngine:
                return OpenAIEngine(
                    settings=EngineSettings(),
                    base_url=base_url,
                    model="scripted-1",
                    cache_path=Path(folder) / "drafts.sqlite3",
                    crosscheck=False,
                    extraction="free",  # the fixed answer is a free extraction: one call each
                )

            cold = asyncio.run(batch(engine(), articles, args.concurrency))
            cold_requests = _count(base_url)
            in_flight = _stats(base_url)["max_in_flight"]
            warm = asyncio.run(batch(engine(), articles, args.concurrency))
            warm_requests = _count(base_url) - cold_requests
        finally:
            assert server.stdin is not None
            server.stdin.close()
            server.wait(timeout=10)

    limit = ideal * 1.25
    print(
        f"bench_llm: {args.articles} articles, concurrency {args.concurrency}, "
        f"server delay {args.delay * 1000:.0f} ms"
    )
    print(
        f"  cold run:  {cold:.3f} s, {cold_requests} requests "
        f"(ideal {ideal:.2f} s, limit {limit:.2f} s = 1.25x; ratio {cold / ideal:.2f}x)"
    )
    print(f"  most requests in flight at once: {in_flight} (concurrency {args.concurrency})")
    print(f"  cached run: {warm:.3f} s, {warm_requests} requests")
    if in_flight > args.concurrency:
        print("  FAIL: more requests in flight than the concurrency allows")
        ok = False
    if cold > limit:
        print("  FAIL: cold run over the limit")
        ok = False
    if warm_requests:
        print("  FAIL: the cached run made requests")
        ok = False
    if cold_requests != args.articles:
        print("  FAIL: expected one request per article")
        ok = False
    print("prompt size (cl100k_base unless the model's encoding is available):")
    prompt_figures("gpt-4o-mini")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
