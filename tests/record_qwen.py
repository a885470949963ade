"""Record the real-model cassettes of the rules-seeded modes: Qwen2.5-Coder-1.5B-Instruct.

A recording tool, not a test (see docs/models.md, "Re-recording the cassettes")::

    python tests/record_qwen.py http://127.0.0.1:PORT/v1 [CASSETTE ...]

The server is upstream llama.cpp's (the prebuilt ``xllamacpp`` wheel) serving the Q4_K_M GGUF
as ``qwen2.5-coder-1.5b`` on 127.0.0.1 with an 8,192-token context, one slot. Rewrites
``cassettes/qwen_*.yaml`` (all, or the ones named); ``XLLAMACPP_VERSION`` names the server's
version in the label.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MODEL = "qwen2.5-coder-1.5b"
LABEL = (
    "real model: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF) on upstream llama.cpp's server "
    "(xllamacpp {version}), 127.0.0.1, temperature 0"
)


@dataclass(frozen=True)
class Case:
    fixture: str
    extraction: str
    extra: dict[str, Any] = field(default_factory=dict)


CASES = {
    "qwen_checked_harbour.yaml": Case("harbour.txt", "checked"),
    "qwen_checked_statement.yaml": Case("statement.txt", "checked"),
    "qwen_seeded_harbour.yaml": Case("harbour.txt", "seeded"),
    # A fault case: the review cut off by a small output cap (finish_reason=length).
    "qwen_seeded_cut_off.yaml": Case("harbour.txt", "seeded", {"max_output_tokens": 12}),
    # The free extraction, its grounding and its one repair, for comparison.
    "qwen_free_harbour.yaml": Case("harbour.txt", "free"),
}


def options(case: Case, base_url: str, cache_path: Path) -> dict[str, Any]:
    from briefer.config import EngineSettings

    return {
        "settings": EngineSettings(),
        "base_url": base_url,
        "model": MODEL,
        "extraction": case.extraction,
        "concurrency": 1,  # the server has one slot; the order of requests is then fixed
        "timeout": 900.0,
        "deadline": 1800.0,
        "cache_path": cache_path,
        "no_cache": True,
        "crosscheck": False,
        **case.extra,
    }


def record(base_url: str, version: str, names: list[str]) -> None:
    from cassettes_support import recording

    from briefer import brief
    from briefer.engines.openai import OpenAIEngine

    for cassette, case in CASES.items():
        if names and cassette not in names:
            continue
        text = (FIXTURES / case.fixture).read_text(encoding="utf-8")
        with tempfile.TemporaryDirectory() as folder:
            engine = OpenAIEngine(**options(case, base_url, Path(folder) / "c.sqlite3"))
            with recording(cassette, LABEL.format(version=version)):
                briefing = brief(text, engine=engine)
        print(
            f"{cassette}: {len(briefing.claims)} claims, {len(briefing.framing)} framing; "
            f"{engine.stats}"
        )
        for flag in briefing.flags:
            print("   flag:", flag.code, flag.message[:150])


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "tests"))
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    record(sys.argv[1], os.environ.get("XLLAMACPP_VERSION", "2026.10.11549"), sys.argv[2:])
