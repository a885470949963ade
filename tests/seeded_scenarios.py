"""Scripted answers to the rules-seeded review of the harbour fixture, and the script that
records them as cassettes.

Re-record (after a change to the seeded prompts, the answer schema or the rules engine, which
all change the request body) with::

    python tests/seeded_scenarios.py            # all, or name some: verdicts additions ...

It starts the scripted server on 127.0.0.1, runs the rules engine on ``tests/fixtures/harbour.txt``
for the seed, sends that seed to the model once per scenario with vcrpy recording, and rewrites
``cassettes/scripted_seeded_*.yaml``. The scripted server ignores the answer schema, as a server
without json_schema grammars does, so it can answer ids that do not exist.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openai_scenarios import FIXTURE, engine_options

if TYPE_CHECKING:
    from openai_server import Reply

    from briefer.contract import Article, Briefing
    from briefer.engines.drafts import Draft
    from briefer.engines.openai import OpenAIEngine

ROOT = Path(__file__).resolve().parent.parent
LABEL = (
    "scripted OpenAI-protocol server (tests/openai_server.py) on 127.0.0.1, "
    "rules-seeded review (tests/seeded_scenarios.py)"
)

SCENARIOS = ("verdicts", "additions", "drops_everything", "invented_ids")

# The harbour seed's candidates, as the rules engine numbers them: C1-C9 claims, F1-F4 framing.
# C7 takes "the reckless rush to pour concrete" for a source; C9 files "declined to comment" as
# a claim with nothing said. Two of thirteen: well under the 50% guard.
WRONG = ("C7", "C9")

# A claim the rules engine misses: "backed the plan" has no reporting verb.
LETTER: dict[str, Any] = {
    "s": 7,
    "source": "The dockworkers' union",
    "kind": "institution",
    "cue": "in a letter to councillors",
    "content": "backed the plan",
}
# Real words of S2, cited as S12: grounding looks only around the sentence cited.
MISCITED: dict[str, Any] = {
    "s": 12,
    "source": "critics",
    "kind": "vague",
    "cue": "say",
    "content": "would bury the town's fishing heritage",
}
# Inside C4's content (the mayor's words): a repeat of a candidate, not a new claim.
REPEAT: dict[str, Any] = {
    "s": 5,
    "source": "Mayor Ines Calder",
    "kind": "official",
    "cue": "told reporters",
    "content": 'the town "cannot afford to stand still',
}
# Ids a grammar-free server can invent: none of them is a candidate.
INVENTED = {"C99": "drop", "X1": "drop"}


def article() -> Article:
    from briefer.contract import Article

    return Article(text=FIXTURE.read_text(encoding="utf-8"))


def seed(of: Article) -> Draft:
    """The rules engine's draft, made the way the pipeline makes it for a seeded engine."""
    from briefer.pipeline import crosscheck

    draft = crosscheck.rules_draft(of)
    assert draft is not None, "the rules engine is unavailable"
    return draft


def candidate_ids(of: Article, rules: Draft) -> list[str]:
    """The ids the seeded prompt gives the rules engine's items, in prompt order."""
    from briefer.engines.openai import seeded

    shown = seeded.numbered_sentences(of.text)
    return [c.id for c in seeded.candidates(of.text, rules, shown)]


def answer(name: str, ids: list[str]) -> dict[str, Any]:
    """The model's answer (message content) in one scenario, for candidates ``ids``."""
    keep_all = dict.fromkeys(ids, "keep")
    if name == "verdicts":
        assert set(WRONG) <= set(ids), "the seed's candidates changed: review WRONG"
        return {"verdicts": {**keep_all, **dict.fromkeys(WRONG, "drop")}, "added": []}
    if name == "additions":
        return {"verdicts": keep_all, "added": [LETTER, MISCITED, REPEAT]}
    if name == "drops_everything":
        return {"verdicts": dict.fromkeys(ids, "drop"), "added": []}
    if name == "invented_ids":
        return {"verdicts": dict(INVENTED), "added": []}
    raise KeyError(name)


def replies(name: str, ids: list[str]) -> list[Reply]:
    """The scripted server's replies for one scenario: one answer, no repair round."""
    from openai_server import Reply

    return [Reply.answer(answer(name, ids), prompt_tokens=820, completion_tokens=110)]


def engine(name: str, base_url: str, cache_path: Path, **extra: Any) -> OpenAIEngine:
    """The engine a scenario is recorded and replayed with: the scripted cassettes' options
    (json_schema, no cache, no cross-check) in seeded extraction mode."""
    from briefer.engines.openai import OpenAIEngine

    options = engine_options(f"seeded_{name}", base_url, cache_path)
    return OpenAIEngine(**{**options, "extraction": "seeded", **extra})


def run(of: Article, rules: Draft, reviewer: OpenAIEngine) -> Briefing:
    """The seeded review of ``of`` as ``brief()`` runs it: analyze_seeded, then finish."""
    from briefer.pipeline import finish

    return finish(of, reviewer.analyze_seeded(of, rules), reviewer, rules=rules)


def record(names: tuple[str, ...] = SCENARIOS) -> None:
    import tempfile

    from cassettes_support import recording
    from openai_server import ScriptedServer

    of = article()
    rules = seed(of)
    ids = candidate_ids(of, rules)
    for name in names:
        server = ScriptedServer().start()
        try:
            server.push(*replies(name, ids))
            with tempfile.TemporaryDirectory() as folder:
                reviewer = engine(name, server.base_url, Path(folder) / "c.sqlite3")
                cassette = f"scripted_seeded_{name}.yaml"
                with recording(cassette, LABEL):
                    briefing = run(of, rules, reviewer)
                codes = [flag.code for flag in briefing.flags]
                print(name, "->", len(briefing.claims), "claims", codes)
        finally:
            server.stop()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "tests"))
    record(tuple(sys.argv[1:]) or SCENARIOS)
