"""Chunking long articles: nothing truncated, every chunk under budget, chunks merged back."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openai_server import Reply, ScriptedServer

from briefer.config import EngineSettings
from briefer.contract import Article
from briefer.engines.openai import OpenAIEngine, tokens
from briefer.engines.openai.chunking import chunks, units
from briefer.pipeline import assemble


def test_chunking_never_truncates() -> None:
    text = "\n\n".join(f"Paragraph {n}. " + "Words go here again. " * 30 for n in range(50))

    def count(s: str) -> int:
        return len(s.split())

    pieces = units(text, 100, count)
    groups = chunks(pieces, 400, count)
    assert len(groups) > 1
    covered = "".join(text[u.start : u.end] for g in groups for u in g)
    assert covered.replace(" ", "") == "".join(text.split())
    assert all(sum(count(u.text) + 4 for u in g) <= 400 for g in groups)
    numbers = [u.number for g in groups for u in g]
    assert numbers == list(range(1, len(numbers) + 1))


def _long_article() -> str:
    names = ["Ada Quill", "Bo Marsh", "Cy Tern", "Di Wren"]
    paragraphs = []
    for n in range(2400):
        who = names[n % len(names)]
        paragraphs.append(
            f"{who} said the levy on harbour freight number {n} would rise by {n % 97} percent "
            f"before the spring review. Critics called the figure {n * 7 % 1000} a guess."
        )
    return "\n\n".join(paragraphs) + "\n"


def _chunk_responder(body: dict[str, Any]) -> Reply:
    user = body["messages"][1]["content"]
    claims = []
    for number, rest in re.findall(r"^\[P(\d+)\] (.*)$", user, flags=re.MULTILINE):
        if int(number) % 40 != 1:
            continue
        who, _, content = rest.partition(" said ")
        claims.append(
            {
                "para": int(number),
                "source": who,
                "kind": "person",
                "cue": "said",
                "first": " ".join(content.split()[:6]),
                "last": "before the spring review",
                "quote": "indirect",
                "statement": f"{who} on the levy",
                "via": [],
            }
        )
    return Reply.answer({"bluf": "Levies rise.", "claims": claims, "framing": []})


def test_sixty_thousand_token_article_is_chunked_and_merged(
    scripted_server: ScriptedServer, tmp_path: Path
) -> None:
    text = _long_article()
    tokenizer = tokens.tokenizer_for("gpt-4-turbo")
    assert tokenizer.count(text) >= 60_000
    scripted_server.responder = _chunk_responder
    engine = OpenAIEngine(
        settings=EngineSettings(),
        base_url=scripted_server.base_url,
        model="gpt-4-turbo",
        no_cache=True,
        crosscheck=False,
        chunk_tokens=12_000,
    )
    article = Article(text=text)
    draft = engine.analyze(article)
    assert engine.stats.chunks == scripted_server.count >= 5
    briefing = assemble(article, draft, engine_name="openai")
    assert len(briefing.claims) == 2400 // 40
    assert [c.id for c in briefing.claims] == [f"c{n}" for n in range(1, 61)]
    for claim in briefing.claims:
        assert text[claim.content.start : claim.content.end] == claim.content.text
        assert claim.content.text.endswith("before the spring review")
    assert sorted(s.name for s in briefing.sources) == ["Ada Quill"]  # every 40th: n % 4 == 0
    assert briefing.claims[-1].content.start > len(text) * 0.9  # the end was not truncated
    assert any("chunks" in w for w in briefing.provenance.warnings)
    # Each request holds only its chunk, under the budget.
    for request in scripted_server.requests:
        assert tokenizer.count(request["body"]["messages"][1]["content"]) < 12_000 + 200
