"""Rules-checked extraction: each of the rules engine's claims goes to the model as one short
yes/no question ("is this cue a verb of saying, with this source as the speaker?"), and the
probability of "Yes" read from the answer's logprobs decides whether the claim stays.

A one-token answer costs no output to speak of, and a probability lets a cautious threshold
drop only what the model is fairly sure of; a small model asked for a whole verdict list flips
between keeping and dropping everything (measured in ``seeded.py``'s review). Framing items are
kept as the rules engine found them: no question about them has been measured yet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from briefer.contract import Flag
from briefer.engines.drafts import Draft, DraftClaim
from briefer.engines.openai.grounding import Grounded
from briefer.engines.openai.prompting import PromptSet, defuse
from briefer.engines.openai.seeded import MAX_DROPPED_SHARE, Numbered
from briefer.ground import excerpt

_YES = "yes"
_NO = "no"


@dataclass(frozen=True)
class Question:
    """One claim of the seed and the messages that ask about it (None: not asked, kept)."""

    claim: DraftClaim
    where: tuple[int, int]
    messages: list[dict[str, str]] | None


def questions(prompts: PromptSet, seed: Draft, numbered: list[Numbered]) -> list[Question]:
    """One question per claim of the seed, about the sentence(s) its cue lies in."""
    system = prompts.render("check_system.j2")
    asked: list[Question] = []
    for claim in seed.claims:
        where = (claim.content.start or 0, claim.content.end or 0)
        if not _verb_cue(claim.cue.text):
            asked.append(Question(claim, where, None))
            continue
        cue_start, cue_end = claim.cue.start or 0, claim.cue.end or 0
        sentence = " ".join(s.text for s in numbered if s.end > cue_start and s.start < cue_end)
        source = claim.source.text if claim.source is not None else ""
        user = prompts.render(
            "check_user.j2",
            sentence=sentence,
            cue=_quotable(claim.cue.text),
            source=_quotable(source),
        )
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        asked.append(Question(claim, where, messages))
    return asked


def request_arguments(temperature: float | None) -> dict[str, Any]:
    """One token, with the top alternatives' logprobs (OpenAI, llama.cpp, vLLM know these)."""
    arguments: dict[str, Any] = {"max_tokens": 1, "logprobs": True, "top_logprobs": 10}
    if temperature is not None:
        arguments["temperature"] = temperature
    return arguments


def yes_probability(body: dict[str, Any]) -> float | None:
    """P(Yes) / (P(Yes) + P(No)) from the first answer token's top logprobs; without logprobs,
    1 or 0 from the sampled answer; None when the answer is neither."""
    choice = (body.get("choices") or [{}])[0]
    logprobs = (choice.get("logprobs") or {}).get("content") or []
    if logprobs and isinstance(logprobs[0], dict):
        yes = no = 0.0
        for option in logprobs[0].get("top_logprobs") or [logprobs[0]]:
            word = str(option.get("token", "")).strip().lower()
            if word in (_YES, _NO):
                chance = math.exp(float(option.get("logprob", -math.inf)))
                yes, no = (yes + chance, no) if word == _YES else (yes, no + chance)
        if yes + no > 0:
            return yes / (yes + no)
    answer = str((choice.get("message") or {}).get("content") or "").strip().lower()
    if answer.startswith(_YES):
        return 1.0
    if answer.startswith(_NO):
        return 0.0
    return None


def apply(asked: list[Question], answers: list[float | None], threshold: float) -> Grounded:
    """The claims the model did not reject, in the seed's order; rejections are flagged.
    ``answers`` holds one P(yes) per question, None where none was asked or none came."""
    result = Grounded()
    rejected = {i for i, chance in enumerate(answers) if chance is not None and chance < threshold}
    questioned = sum(1 for question in asked if question.messages is not None)
    if rejected and len(rejected) > MAX_DROPPED_SHARE * questioned:
        result.flags.append(
            Flag(
                code="review_not_applied",
                message=f"the model rejected {len(rejected)} of the {questioned} rules claims "
                f"it was asked about, more than {MAX_DROPPED_SHARE:.0%}: that is not a "
                "check, so every claim was kept",
            )
        )
        rejected = set()
    unanswered = 0
    for index, (question, chance) in enumerate(zip(asked, answers, strict=True)):
        unanswered += question.messages is not None and chance is None
        if index in rejected:
            result.flags.append(_rejected(question, chance or 0.0))
            continue
        result.claims.append((question.claim, question.where))
    if unanswered:
        result.notes.append(
            f"the model answered neither yes nor no for {unanswered} claim(s); they were kept"
        )
    return result


def _rejected(question: Question, chance: float) -> Flag:
    claim = question.claim
    source = claim.source.text if claim.source is not None else claim.source_name
    return Flag(
        code="dropped_by_model",
        message=f"the model doubted the rules engine's claim (P(yes) {chance:.2f}): source "
        f"{excerpt(source, 60)!r}, cue {excerpt(claim.cue.text, 40)!r}",
    )


def _verb_cue(cue: str) -> bool:
    """Whether the question (about a verb or phrase of saying) fits the cue: a colon or
    "according to" is a frame, not a verb, and the 1.5B model says "No" to those that are
    right (PolNeAR dev, 3 of 3 headline colons and "according to" cues)."""
    words = cue.lower().split()
    return any(c.isalpha() for c in cue) and words[:1] != ["according"]


def _quotable(value: str) -> str:
    return defuse(" ".join(value.split())).replace('"', "'")
