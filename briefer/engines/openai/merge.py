"""Merging the chunks of one article into one Draft: items deduplicated, usage summed, the
first chunk's BLUF, and a flag when the BLUF cannot be trusted."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from briefer.contract import Flag
from briefer.engines.drafts import Draft, DraftClaim, DraftFraming
from briefer.engines.openai.grounding import Grounded
from briefer.engines.openai.usage import Usage, cost


@dataclass
class _Merged:
    claims: list[DraftClaim] = field(default_factory=list)
    framing: list[DraftFraming] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    blufs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)


def merge(
    results: Sequence[tuple[Grounded, Usage]],
    *,
    model: str,
    prompt_version: str,
    chunk_tokens: int,
    token_warnings: Sequence[str],
    prices: Mapping[str, tuple[float, float]],
) -> Draft:
    """One Draft from each chunk's grounded answer and usage, in article order.

    ``token_warnings`` (the tokenizer's: counts are estimates) are kept only where briefer's
    own counts mattered: they sized the chunks, or stood in for the server's.
    """
    merged = _collect(results)
    parts = len(results)
    estimated = any(usage.estimated for _, usage in results)
    warnings = [*(token_warnings if estimated or parts > 1 else []), *merged.notes]
    if parts > 1:
        warnings.append(
            f"the article exceeded {chunk_tokens:,} tokens and was briefed in {parts} "
            "chunks; the BLUF is the first chunk's"
        )
    if estimated:
        warnings.append(
            "the server reported no token usage; input/output tokens are briefer's count"
        )
    flags = merged.flags
    kept = len(merged.claims) + len(merged.framing)
    dropped = sum(1 for f in flags if f.code.startswith(("ungrounded_", "invalid_item")))
    if merged.blufs and dropped and dropped >= kept:
        # The BLUF cannot be grounded; when most items failed, it is likely invented too.
        flags.append(
            Flag(
                code="unreliable_bluf",
                message=f"the model's items mostly failed grounding ({dropped} dropped, "
                f"{kept} kept), so its BLUF is unverified",
            )
        )
    usage = merged.usage
    return Draft(
        bluf=merged.blufs[0] if merged.blufs else "",
        bluf_method="abstractive",
        claims=merged.claims,
        framing=merged.framing,
        flags=flags,
        model=model,
        prompt_version=prompt_version,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cost_usd=cost(model, usage.input_tokens, usage.output_tokens, prices),
        warnings=warnings,
    )


def _collect(results: Sequence[tuple[Grounded, Usage]]) -> _Merged:
    merged = _Merged()
    seen_claims: set[tuple[int, int]] = set()
    seen_framing: set[tuple[int, int, str]] = set()
    for grounded, usage in results:
        merged.usage.add(usage.input_tokens, usage.output_tokens)
        merged.flags.extend(grounded.flags)
        merged.notes.extend(grounded.notes)
        if grounded.bluf.strip():
            merged.blufs.append(grounded.bluf.strip())
        for claim, where in grounded.claims:
            if where in seen_claims:
                continue  # the same content cited twice (a repair, or chunk overlap)
            seen_claims.add(where)
            merged.claims.append(claim)
        for item, where in grounded.framing:
            key = (*where, item.device)
            if key not in seen_framing:
                seen_framing.add(key)
                merged.framing.append(item)
    return merged
