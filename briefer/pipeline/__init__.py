"""The public ``brief()`` call: article -> engine -> ground -> validate -> Briefing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from briefer._version import __version__
from briefer.contract import (
    Alignment,
    Article,
    Briefing,
    Claim,
    ClaimSource,
    Flag,
    Framing,
    Provenance,
    SourceEntry,
    Span,
)
from briefer.engines import Engine, get_engine
from briefer.engines.drafts import Draft, SpanRef
from briefer.ground import align, excerpt, normalize
from briefer.ingest import require_text


def as_article(article: str | Article) -> Article:
    """The Article to brief; empty or whitespace-only text is refused as the CLI refuses it."""
    if isinstance(article, str):
        article = Article(text=article)
    elif not isinstance(article, Article):
        raise TypeError(f"brief() takes a str or an Article, not {type(article).__name__}")
    require_text(article.text, name="the article")
    return article


def brief(article: str | Article, *, engine: str | Engine = "auto", **options: Any) -> Briefing:
    """Brief one article. ``article`` is text or an ``Article``; ``engine`` a name or instance."""
    art = as_article(article)
    chosen = _engine(engine, options)
    draft = chosen.analyze(art)
    return assemble(art, draft, engine_name=chosen.name)


async def brief_async(
    article: str | Article, *, engine: str | Engine = "auto", **options: Any
) -> Briefing:
    art = as_article(article)
    chosen = _engine(engine, options)
    draft = await chosen.analyze_async(art)
    return assemble(art, draft, engine_name=chosen.name)


def _engine(engine: str | Engine, options: dict[str, Any]) -> Engine:
    if not isinstance(engine, Engine):
        return get_engine(engine, **options)
    if options:
        # An engine instance already has its options; silently dropping these would hide a typo.
        raise TypeError(
            f"brief() got options {', '.join(sorted(options))} with an engine instance; "
            "pass them when creating the engine"
        )
    return engine


def _ground(text: str, ref: SpanRef | None) -> tuple[Span | None, str | None]:
    if ref is None:
        return None, None
    found = align(text, ref)
    if found is None:
        return None, None
    return found.span(text), found.match


def _worst(matches: list[str]) -> str:
    for kind in ("fuzzy", "normalized"):
        if kind in matches:
            return kind
    return "exact"


def _alignment(match: str | None) -> Alignment:
    # The contract's two values; the finer MatchKind stays in ``match``.
    return "exact" if match == "exact" else "fuzzy"


def assemble(article: Article, draft: Draft, *, engine_name: str) -> Briefing:
    """Ground a draft's spans, drop what cannot be grounded (flagged), and number the items."""
    text = article.text
    flags: list[Flag] = [
        flag for flag in draft.flags if flag.span is None or flag.span.slices(text)
    ]
    claims: list[Claim] = []
    for item in draft.claims:
        content, content_match = _ground(text, item.content)
        cue, cue_match = _ground(text, item.cue)
        if content is None or cue is None:
            missing = "content" if content is None else "cue"
            flags.append(
                Flag(
                    code="ungrounded_claim",
                    message=f"dropped a claim by {item.source_name!r}: its {missing} "
                    f"{excerpt(item.content.text if content is None else item.cue.text)!r} "
                    "is not in the article",
                )
            )
            continue
        source_span, source_match = _ground(text, item.source)
        if item.source is not None and source_span is None:
            flags.append(
                Flag(
                    code="ungrounded_source",
                    message=f"source phrase {excerpt(item.source.text)!r} is not in the article; "
                    "the claim is kept without a source span",
                )
            )
        matches = [m for m in (content_match, cue_match, source_match) if m]
        match = _worst(matches)
        claims.append(
            Claim(
                id=f"c{len(claims) + 1}",
                statement=item.statement.strip() or content.text,
                source=ClaimSource(name=item.source_name, kind=item.source_kind, span=source_span),
                cue=cue,
                content=content,
                quote=item.quote,
                via=list(item.via),
                alignment=_alignment(match),
                match=match,  # type: ignore[arg-type]
            )
        )

    framing: list[Framing] = []
    seen_framing: set[tuple[int, int, str]] = set()
    for item in draft.framing:
        span, match = _ground(text, item.span)
        if span is None:
            flags.append(
                Flag(
                    code="ungrounded_framing",
                    message=f"dropped a {item.device} item: {excerpt(item.span.text)!r} "
                    "is not in the article",
                )
            )
            continue
        key = (span.start, span.end, item.device)
        if key in seen_framing:
            continue
        seen_framing.add(key)
        framing.append(
            Framing(
                id=f"f{len(framing) + 1}",
                span=span,
                device=item.device,
                note=item.note,
                alignment=_alignment(match),
                match=match,  # type: ignore[arg-type]
            )
        )

    return Briefing(
        article=article,
        bluf=draft.bluf,
        claims=claims,
        framing=framing,
        sources=source_inventory(claims),
        flags=flags,
        provenance=Provenance(
            engine=engine_name,
            model=draft.model,
            prompt_version=draft.prompt_version,
            input_tokens=draft.input_tokens,
            output_tokens=draft.output_tokens,
            cached=draft.cached,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            warnings=list(draft.warnings),
            bluf_method=draft.bluf_method,
            briefer_version=__version__,
            cost_usd=draft.cost_usd,
        ),
    )


def source_inventory(claims: list[Claim]) -> list[SourceEntry]:
    """One entry per distinct source name (case/space-insensitive), in first-mention order."""
    entries: dict[str, SourceEntry] = {}
    for claim in claims:
        key = normalize(claim.source.name)
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = SourceEntry(name=claim.source.name, kind=claim.source.kind)
        entry.claim_ids.append(claim.id)
    return list(entries.values())
