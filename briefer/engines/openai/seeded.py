"""Rules-seeded review: the rules engine's candidates go to the model by id with the article's
numbered sentences; the model answers one short verdict per candidate and may add what the
rules missed.

The verdicts are an object whose keys are exactly the candidate ids, so a server that turns the
schema into a decoding grammar (llama.cpp) cannot invent an id or skip one, and a kept candidate
costs a few tokens instead of a copy of its text. Kept candidates keep the rules engine's exact
offsets; additions are grounded in the sentence they cite, like any model item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from briefer.contract import Flag, SourceKind
from briefer.engines.drafts import Draft, DraftClaim, DraftFraming, SpanRef
from briefer.engines.openai.grounding import (
    MAX_CUE_WORDS,
    Grounded,
    cue_too_long,
    find,
    is_the_cue,
)
from briefer.engines.openai.prompting import PromptSet, defuse
from briefer.engines.openai.response import validation_summary
from briefer.engines.openai.schema import schema_text
from briefer.ground import excerpt
from briefer.segment import Unit, sentences

MAX_ADDED = 3
# The rules engine's claims are right about three times in four (PolNeAR dev, exact source
# precision 0.72): a review that calls most of them wrong is not reviewing. Measured on a 1.5B
# model, which dropped 57 of 57 candidates on one article.
MAX_DROPPED_SHARE = 0.5
# Content shown per candidate: enough to judge it, not the whole quotation.
_SHOWN_WORDS = 14
# A verdict is about 4 tokens with its key; an addition about 50.
_TOKENS_PER_VERDICT = 6
_TOKENS_PER_ADDITION = 60


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SeededAddition(_Strict):
    """A claim the candidates missed, cited by sentence number with exact short strings."""

    s: int = Field(description="number of the sentence [S#] that holds the claim")
    source: str = Field(max_length=80, description="the source exactly as written; '' if none")
    kind: SourceKind
    cue: str = Field(max_length=40, description="the attribution words exactly as written")
    content: str = Field(max_length=200, description="what was said, exactly as written")


@dataclass(frozen=True)
class Numbered:
    number: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Candidate:
    id: str
    line: str
    start: int
    end: int
    claim: DraftClaim | None = None
    framing: DraftFraming | None = None


def numbered_sentences(text: str) -> list[Numbered]:
    """Every sentence of the article, numbered from 1."""
    return [
        Numbered(number, unit.start, unit.end, _one_line(text, unit))
        for number, unit in enumerate(sentences(text), start=1)
    ]


def within(numbered: list[Numbered], lo: int, hi: int) -> list[Numbered]:
    """The sentences that start in ``[lo, hi)``: one chunk's, keeping the article's numbers."""
    return [sentence for sentence in numbered if lo <= sentence.start < hi]


def candidates(text: str, seed: Draft, shown: list[Numbered]) -> list[Candidate]:
    """The seed's claims (C#) and framing items (F#) whose text lies in the sentences shown."""
    lo, hi = (shown[0].start, shown[-1].end) if shown else (0, 0)
    found: list[Candidate] = []
    for index, claim in enumerate(seed.claims, start=1):
        start, end = _offsets(claim.content)
        if not lo <= start < hi:
            continue
        source = claim.source.text if claim.source is not None else ""
        line = (
            f"C{index} [S{_sentence(shown, start)}] source={_quoted(source)} "
            f"({claim.source_kind}) cue={_quoted(claim.cue.text)} "
            f"content={_quoted(_short(text[start:end]))}"
        )
        found.append(Candidate(f"C{index}", line, start, end, claim=claim))
    for index, item in enumerate(seed.framing, start=1):
        start, end = _offsets(item.span)
        if not lo <= start < hi:
            continue
        shown_text = _quoted(_short(item.span.text))
        line = f"F{index} [S{_sentence(shown, start)}] {item.device}: {shown_text}"
        found.append(Candidate(f"F{index}", line, start, end, framing=item))
    return found


def answer_model(found: list[Candidate]) -> type[BaseModel]:
    """The answer's schema for these candidates: one verdict per id, and a few additions."""
    verdict = Literal["keep", "drop"]
    verdicts = create_model(  # type: ignore[call-overload]
        "SeededVerdicts",
        __config__=ConfigDict(extra="forbid"),
        **{c.id: (verdict, ...) for c in found},
    )
    return create_model(  # type: ignore[call-overload]
        "SeededAnswer",
        __config__=ConfigDict(extra="forbid"),
        verdicts=(verdicts, ...),
        added=(list[SeededAddition], Field(max_length=MAX_ADDED)),
    )


def output_cap(found: list[Candidate]) -> int:
    """Output tokens an answer needs: a verdict per candidate and the additions, with room."""
    return 40 + _TOKENS_PER_VERDICT * len(found) + _TOKENS_PER_ADDITION * MAX_ADDED


@dataclass(frozen=True)
class Review:
    """One chunk's review: the sentences shown, the candidates in them, the answer's schema."""

    shown: list[Numbered]
    found: list[Candidate]
    schema: type[BaseModel]

    @classmethod
    def of(cls, text: str, seed: Draft, numbered: list[Numbered], lo: int, hi: int) -> Review:
        """The review of the sentences starting in ``[lo, hi)`` (one chunk's)."""
        shown = within(numbered, lo, hi)
        found = candidates(text, seed, shown)
        return cls(shown, found, answer_model(found))

    def messages(
        self, prompts: PromptSet, *, json_object: bool, title: str | None, outlet: str | None
    ) -> list[dict[str, str]]:
        return messages(
            prompts,
            self.shown,
            self.found,
            self.schema,
            json_object=json_object,
            title=title,
            outlet=outlet,
        )


def messages(
    prompts: PromptSet,
    shown: list[Numbered],
    found: list[Candidate],
    schema: type[BaseModel],
    *,
    json_object: bool,
    title: str | None,
    outlet: str | None,
) -> list[dict[str, str]]:
    system = prompts.render(
        "seeded_system.j2",
        json_object=json_object,
        schema=schema_text(schema) if json_object else "",
        max_added=MAX_ADDED,
    )
    user = prompts.render(
        "seeded_user.j2", sentences=shown, candidates=found, title=title, outlet=outlet
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def apply(
    text: str, found: list[Candidate], data: dict[str, Any] | None, shown: list[Numbered]
) -> Grounded:
    """The candidates the model kept (all of them when it gave no usable verdict), and its
    additions that ground in the sentence they cite and cover no candidate."""
    result = Grounded()
    given = data.get("verdicts") if isinstance(data, dict) else None
    ids = {candidate.id for candidate in found}
    # Only a real id with a real verdict counts: a server without a grammar may invent either.
    verdicts = {
        key: value
        for key, value in (given.items() if isinstance(given, dict) else ())
        if key in ids and value in ("keep", "drop")
    }
    dropping = [c for c in found if verdicts.get(c.id) == "drop"]
    if found and len(dropping) > MAX_DROPPED_SHARE * len(found):
        result.flags.append(_implausible(len(dropping), len(found)))
        verdicts = {}
    for candidate in found:
        if verdicts.get(candidate.id, "keep") == "drop":
            result.flags.append(_dropped(candidate))
            continue
        where = (candidate.start, candidate.end)
        if candidate.claim is not None:
            result.claims.append((candidate.claim, where))
        elif candidate.framing is not None:
            result.framing.append((candidate.framing, where))
    if not verdicts and not dropping:
        result.notes.append("the model gave no usable verdicts; every candidate was kept")
    added = data.get("added") if isinstance(data, dict) else None
    covered = [(c.start, c.end) for c in found if c.claim is not None]
    repeats = 0
    for raw in added if isinstance(added, list) else []:
        grounded = _ground_addition(text, raw, shown)
        if isinstance(grounded, str):
            result.failed.append(("claim", grounded, raw))
            continue
        claim, where = grounded
        if any(_overlap(where, other) >= 0.5 for other in covered):
            repeats += 1
            continue
        covered.append(where)
        result.claims.append((claim, where))
    if repeats:
        result.notes.append(f"{repeats} model addition(s) repeated a candidate and were left out")
    # No repair round: an addition is cheap to lose, and re-asking would cost a whole prompt.
    for _, why, _ in result.failed:
        result.flags.append(
            Flag(code="ungrounded_claim", message=f"dropped a model addition: {why}")
        )
    result.failed.clear()
    return result


def truncated_flag(cap: int) -> Flag:
    return Flag(
        code="truncated_output",
        message=f"the model's review hit its output limit of {cap} tokens (finish_reason=length); "
        "candidates without a verdict were kept, later additions may be missing",
    )


def _ground_addition(
    text: str, raw: Any, shown: list[Numbered]
) -> tuple[DraftClaim, tuple[int, int]] | str:
    try:
        item = SeededAddition.model_validate(raw)
    except ValidationError as error:
        return f"an addition is not valid ({validation_summary(error)})"
    by_number = {s.number: s for s in shown}
    cited = by_number.get(item.s)
    if cited is None:
        return f"addition cites S{item.s}, which is not in the article part shown"
    around = [s for s in shown if abs(s.number - item.s) <= 1]
    region = (around[0].start, around[-1].end)
    content = find(text, item.content, [region])
    if content is None:
        return f"addition content {excerpt(item.content)!r} is not in S{item.s} or beside it"
    if not item.cue.strip() or cue_too_long(item.cue):
        return f"addition cue {excerpt(item.cue)!r} is not a cue of at most {MAX_CUE_WORDS} words"
    cue = find(text, item.cue, [region])
    if cue is None:
        return f"addition cue {excerpt(item.cue)!r} is not in S{item.s} or beside it"
    if is_the_cue(cue, content):
        return f"addition content {excerpt(item.content)!r} is the cue itself"
    source_ref = None
    if item.source.strip():
        source = find(text, item.source, [region])
        if source is None:
            return f"addition source {excerpt(item.source)!r} is not in S{item.s} or beside it"
        source_ref = SpanRef(text=text[source[0] : source[1]], start=source[0], end=source[1])
    name = item.source.strip()
    claim = DraftClaim(
        statement=f"{name or 'An unnamed source'} {item.cue.strip()} {item.content.strip()}",
        source_name=name or "unnamed source",
        source_kind=item.kind if name else "anonymous",
        source=source_ref,
        cue=SpanRef(text=text[cue[0] : cue[1]], start=cue[0], end=cue[1]),
        content=SpanRef(text=text[content[0] : content[1]], start=content[0], end=content[1]),
    )
    return claim, content


def _implausible(dropped: int, total: int) -> Flag:
    return Flag(
        code="review_not_applied",
        message=f"the model judged {dropped} of the rules engine's {total} items wrong, more "
        f"than {MAX_DROPPED_SHARE:.0%}: that is not a review, so every item was kept",
    )


def _dropped(candidate: Candidate) -> Flag:
    what = "claim" if candidate.claim is not None else "framing item"
    return Flag(
        code="dropped_by_model",
        message=f"the model judged the rules engine's {what} {candidate.id} wrong: "
        f"{excerpt(candidate.line, 140)}",
    )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return max(0, shared) / max(1, a[1] - a[0])


def _offsets(ref: SpanRef) -> tuple[int, int]:
    return (ref.start or 0, ref.end or 0)


def _sentence(shown: list[Numbered], offset: int) -> int:
    for sentence in shown:
        if sentence.start <= offset < sentence.end:
            return sentence.number
    return shown[0].number if shown else 0


def _short(value: str) -> str:
    words = value.split()
    if len(words) <= _SHOWN_WORDS:
        return " ".join(words)
    return " ".join(words[:8]) + " ... " + " ".join(words[-4:])


def _quoted(value: str) -> str:
    return '"' + defuse(value).replace('"', "'") + '"'


def _one_line(text: str, unit: Unit) -> str:
    return defuse(" ".join(text[unit.start : unit.end].split()))
