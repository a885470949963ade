"""``briefer prompt ARTICLE``: the chat messages the openai engine would send, with token counts.

Nothing is sent anywhere; use it to read, tune and measure the prompt templates.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from briefer.config import load_settings, max_bytes_from_env
from briefer.console import plain, say
from briefer.contract import Article
from briefer.engines import get_engine
from briefer.engines.drafts import Draft
from briefer.engines.openai import checks, response_format_for, seeded
from briefer.engines.openai.chunking import split as split_article
from briefer.engines.openai.prompting import PromptSet, article_messages
from briefer.engines.openai.schema import LLMBriefing
from briefer.engines.openai.tokens import Tokenizer, tokenizer_for
from briefer.ingest import load_article


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "prompt",
        help="print the model prompt for an article, with token counts",
        description="Render the prompt templates for ARTICLE as the openai engine would send "
        "them, and count tokens (prompt vs. article). Sends nothing.",
    )
    parser.add_argument("article", metavar="ARTICLE", help="a path, '-' for stdin, or a URL")
    parser.add_argument("--model", help="model whose tokenizer counts (default: engine.model)")
    parser.add_argument("--prompts", type=Path, metavar="DIR", help="prompt template overrides")
    parser.add_argument(
        "--json-object",
        action="store_true",
        help="render the json_object variant (schema in the system prompt)",
    )
    parser.add_argument(
        "--extraction",
        choices=("free", "seeded", "checked"),
        help="which mode's messages (default: engine.extraction); seeded and checked run the "
        "rules engine first, as the pipeline does",
    )
    parser.add_argument("--counts-only", action="store_true", help="print only the token counts")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings().engine
    model = args.model or settings.model or "gpt-4o-mini"
    prompts = PromptSet(args.prompts or settings.prompts)
    article = load_article(args.article, max_bytes=max_bytes_from_env())
    tokenizer = tokenizer_for(model)
    json_object = args.json_object or settings.json_mode.startswith("json_object")
    extraction = args.extraction or settings.extraction
    if extraction != "free":
        return _run_seeded(
            args, extraction, prompts, article, tokenizer, settings.chunk_tokens, json_object
        )
    article_tokens = tokenizer.count(article.text)
    # The engine's own split, so the chunks shown are the ones it would send.
    groups = split_article(
        article.text, settings.chunk_tokens, tokenizer.count, tokens=article_tokens
    )
    # The fixed part: the messages for an empty article.
    fixed = tokenizer.count_messages(article_messages(prompts, [], json_object=json_object))
    calls = [
        article_messages(
            prompts,
            group,
            json_object=json_object,
            title=article.title,
            outlet=article.outlet,
            part=part if len(groups) > 1 else None,
            parts=len(groups) if len(groups) > 1 else None,
        )
        for part, group in enumerate(groups, start=1)
    ]
    _print_calls(calls, args.counts_only, unit="chunk")
    total = sum(tokenizer.count_messages(messages) for messages in calls)
    variable = total - fixed * len(groups)
    ratio = variable / article_tokens if article_tokens else 0.0
    print(
        f"tokens ({tokenizer.encoding_name}): prompt {total:,}, article {article_tokens:,}, "
        f"fixed instructions {fixed:,} per call, article part {variable:,} "
        f"= {ratio:.2f}x the article; {len(groups)} call(s); prompt version {prompts.version}",
        file=sys.stderr if not args.counts_only else sys.stdout,
    )
    if not json_object:
        schema = tokenizer.count(json.dumps(response_format_for(LLMBriefing)))
        print(
            f"json_schema mode also sends the response schema: {schema:,} tokens as JSON",
            file=sys.stderr if not args.counts_only else sys.stdout,
        )
    for warning in tokenizer.warnings:
        say(f"briefer: note: {warning}")
    return 0


def _run_seeded(
    args: argparse.Namespace,
    extraction: str,
    prompts: PromptSet,
    article: Article,
    tokenizer: Tokenizer,
    chunk_tokens: int,
    json_object: bool,
) -> int:
    """The checked or seeded mode's calls: the rules engine runs first, as in the pipeline."""
    seed = get_engine("rules").analyze(article)
    numbered = seeded.numbered_sentences(article.text)
    if extraction == "checked":
        asked = checks.questions(prompts, seed, numbered)
        calls = [q.messages for q in asked if q.messages is not None]
        version = prompts.check_version
    else:
        calls = _seeded_calls(
            prompts, article, seed, numbered, chunk_tokens, tokenizer, json_object
        )
        version = prompts.seeded_version
    _print_calls(calls, args.counts_only)
    total = sum(tokenizer.count_messages(messages) for messages in calls)
    print(
        f"tokens ({tokenizer.encoding_name}): prompt {total:,} in {len(calls)} call(s) "
        f"({extraction}: {len(seed.claims)} rules claims, {len(seed.framing)} framing items); "
        f"prompt version {version}",
        file=sys.stderr if not args.counts_only else sys.stdout,
    )
    for warning in tokenizer.warnings:
        say(f"briefer: note: {warning}")
    return 0


def _seeded_calls(
    prompts: PromptSet,
    article: Article,
    seed: Draft,
    numbered: list[seeded.Numbered],
    chunk_tokens: int,
    tokenizer: Tokenizer,
    json_object: bool,
) -> list[list[dict[str, str]]]:
    """The seeded review's messages, one set per chunk, as the engine renders them."""
    return [
        seeded.Review.of(article.text, seed, numbered, group[0].start, group[-1].end).messages(
            prompts, json_object=json_object, title=article.title, outlet=article.outlet
        )
        for group in split_article(article.text, chunk_tokens, tokenizer.count)
    ]


def _print_calls(calls: list[list[dict[str, str]]], counts_only: bool, unit: str = "call") -> None:
    if counts_only:
        return
    for number, messages in enumerate(calls, start=1):
        if len(calls) > 1:
            print(f"===== {unit} {number} of {len(calls)} =====")
        for message in messages:
            print(f"----- {message['role']} -----")
            # The prompt carries article text: on a terminal it must not drive the screen.
            content = message["content"]
            print(plain(content) if sys.stdout.isatty() else content)
