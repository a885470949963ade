"""Scripted model answers for the harbour fixture, and the script that records them as cassettes.

Re-record (after a prompt or schema change) with::

    python tests/openai_scenarios.py

It starts the scripted server on 127.0.0.1, briefs ``tests/fixtures/harbour.txt`` once per
scenario with vcrpy recording, and rewrites ``cassettes/scripted_*.yaml``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "harbour.txt"
LABEL = "scripted OpenAI-protocol server (tests/openai_server.py) on 127.0.0.1"

GOOD: dict[str, Any] = {
    "bluf": "Port Elwyn's council votes next week on doubling its container harbour: a planning "
    "report projects 1,200 jobs but warns of lasting harm to the estuary's salt marshes, and the "
    "mayor and dockworkers back the plan.",
    "claims": [
        {
            "para": 2,
            "source": "critics",
            "kind": "vague",
            "cue": "say",
            "first": "would bury the town's fishing heritage under concrete",
            "last": "",
            "quote": "indirect",
            "statement": "Unnamed critics say the project would bury the town's fishing heritage.",
            "via": [],
        },
        {
            "para": 3,
            "source": "a report by the Regional Planning Office",
            "kind": "document",
            "cue": "According to",
            "first": "the expansion would create 1,200 jobs",
            "last": "within five years",
            "quote": "indirect",
            "statement": "The Regional Planning Office projects 1,200 jobs within five years.",
            "via": [],
        },
        {
            "para": 3,
            "source": "The report",
            "kind": "document",
            "cue": "warns",
            "first": 'dredging could "permanently alter"',
            "last": "the estuary's salt marshes",
            "quote": "mixed",
            "statement": "The planning report warns dredging could permanently alter the marshes.",
            "via": [],
        },
        {
            "para": 4,
            "source": "Mayor Ines Calder",
            "kind": "official",
            "cue": "told reporters",
            "first": '"cannot afford to stand still',
            "last": 'while other ports grow."',
            "quote": "direct",
            "statement": "Mayor Calder says the town cannot afford to stand still.",
            "via": [],
        },
        {
            "para": 4,
            "source": "She",
            "kind": "official",
            "cue": "said",
            "first": "the council had already secured half of the funding",
            "last": "from private investors",
            "quote": "indirect",
            "statement": "The mayor says half of the funding is secured from private investors.",
            "via": [],
        },
        {
            "para": 5,
            "source": "The dockworkers' union",
            "kind": "group",
            "cue": "arguing",
            "first": "the new berths would end years",
            "last": "of seasonal layoffs",
            "quote": "indirect",
            "statement": "The dockworkers' union says new berths would end seasonal layoffs.",
            "via": [],
        },
        {
            "para": 7,
            "source": "Experts",
            "kind": "vague",
            "cue": "believe",
            "first": "the marsh birds will not return once the dredging starts",
            "last": "",
            "quote": "indirect",
            "statement": "Unnamed experts believe the marsh birds will not return.",
            "via": [],
        },
    ],
    "framing": [
        {
            "para": 1,
            "text": "Harbour expansion plan splits Port Elwyn",
            "device": "assertive_heading",
            "note": "headline asserts a split",
        },
        {
            "para": 6,
            "text": "the reckless rush to pour concrete",
            "device": "loaded_language",
            "note": "evaluative words in the outlet's voice",
        },
        {
            "para": 6,
            "text": "shows how little the council cares about the families who have fished "
            "these waters for generations",
            "device": "unattributed_assertion",
            "note": "motive asserted without a source",
        },
        {
            "para": 6,
            "text": "Residents were never properly consulted.",
            "device": "unattributed_assertion",
            "note": "no source given",
        },
        {
            "para": 7,
            "text": "Experts believe",
            "device": "vague_attribution",
            "note": "unnamed experts",
        },
        {
            "para": 8,
            "text": "Who will pay when the promised jobs fail to appear?",
            "device": "rhetorical_question",
            "note": "presumes the jobs will fail",
        },
    ],
}

# One invented quote and one paraphrased content (not in the text): both must be repaired.
WITH_BAD_ITEMS: dict[str, Any] = {
    **GOOD,
    "claims": [
        *GOOD["claims"][:2],
        {
            "para": 4,
            "source": "Mayor Ines Calder",
            "kind": "official",
            "cue": "told reporters",
            "first": '"the harbour is our future and nothing will stop it"',
            "last": "",
            "quote": "direct",
            "statement": "The mayor says nothing will stop the harbour.",
            "via": [],
        },
    ],
    "framing": GOOD["framing"][:2],
}
REPAIR_OF_BAD: dict[str, Any] = {"claims": [GOOD["claims"][3]], "framing": []}

# Cut off by the output limit in the middle of the third claim.
TRUNCATED = __import__("json").dumps(GOOD)[:1100]

SCENARIOS = (
    "good",
    "refusal",
    "length",
    "invalid_then_repair",
    "bad_items_repaired",
    "rate_limit_then_ok",
    "server_error",
    "timeout_then_ok",
)


def replies(name: str) -> list[Any]:
    """The scripted server's replies for one scenario."""
    from openai_server import Reply

    if name == "good":
        return [Reply.answer(GOOD, prompt_tokens=1012, completion_tokens=905)]
    if name == "refusal":
        return [Reply.answer(None, refusal="I can't help with that request.")]
    if name == "length":
        return [Reply.answer(TRUNCATED, finish_reason="length", completion_tokens=256)]
    if name == "invalid_then_repair":
        return [
            Reply.answer('{"bluf": "Port Elwyn votes", "claims": [{"para": 2, "source": '),
            Reply.answer(GOOD, prompt_tokens=1100, completion_tokens=905),
        ]
    if name == "bad_items_repaired":
        return [Reply.answer(WITH_BAD_ITEMS), Reply.answer(REPAIR_OF_BAD, completion_tokens=90)]
    if name == "rate_limit_then_ok":
        return [
            Reply.error(429, "Rate limit reached", retry_after_ms="200", retry_after="1"),
            Reply.answer(GOOD, prompt_tokens=1012, completion_tokens=905),
        ]
    if name == "server_error":
        return [Reply.error(500, "The server had an error while processing your request.")] * 3
    if name == "timeout_then_ok":
        return [Reply.held(), Reply.answer(GOOD, prompt_tokens=1012, completion_tokens=905)]
    raise KeyError(name)


# Engine options each scenario is recorded and replayed with.
OPTIONS: dict[str, dict[str, Any]] = {
    "server_error": {"retries": 3, "backoff": 0.05},
    "timeout_then_ok": {"timeout": 1.0, "backoff": 0.05},
}


def engine_options(name: str, base_url: str, cache_path: Path) -> dict[str, Any]:
    from briefer.config import EngineSettings

    return {
        "settings": EngineSettings(),  # no user config or environment in recordings
        "base_url": base_url,
        "model": "scripted-1",
        "api_key": "sk-test-not-a-real-key",
        "cache_path": cache_path,
        "no_cache": True,
        "crosscheck": False,
        "backoff": 0.05,
        "json_mode": "json_schema",
        "extraction": "free",  # the scripted answers are free extractions
        **OPTIONS.get(name, {}),
    }


def record(names: tuple[str, ...] = SCENARIOS) -> None:
    import tempfile

    from cassettes_support import recording
    from openai_server import ScriptedServer

    from briefer.contract import Article
    from briefer.engines.openai import OpenAIEngine
    from briefer.errors import BrieferError

    article = Article(text=FIXTURE.read_text(encoding="utf-8"))
    for name in names:
        server = ScriptedServer().start()
        try:
            server.push(*replies(name))
            with tempfile.TemporaryDirectory() as folder:
                options = engine_options(name, server.base_url, Path(folder) / "c.sqlite3")
                engine = OpenAIEngine(**options)
                cassette = f"scripted_{name}.yaml"
                with recording(cassette, LABEL):
                    try:
                        draft = engine.analyze(article)
                        print(name, "->", len(draft.claims), "claims", len(draft.flags), "flags")
                    except BrieferError as error:
                        print(name, "->", type(error).__name__, error)
        finally:
            server.stop()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "tests"))
    record(tuple(sys.argv[1:]) or SCENARIOS)
