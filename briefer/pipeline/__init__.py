"""The public ``brief()`` call: article -> engine -> cross-check -> grounding -> Briefing."""

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
    Relay,
    Span,
)
from briefer.engines import Engine, strict_engine
from briefer.engines.drafts import Draft, DraftClaim, DraftFraming, DraftRelay, SpanRef
from briefer.ground import align, excerpt
from briefer.ingest import require_text
from briefer.pipeline import crosscheck
from briefer.pipeline.entities import source_entities
from briefer.pipeline.profile import sourcing_profile


def as_article(article: str | Article) -> Article:
    """The Article to brief; empty or whitespace-only text is refused as the CLI refuses it."""
    if isinstance(article, str):
        article = Article(text=article)
    elif not isinstance(article, Article):
        raise TypeError(f"brief() takes a str or an Article, not {type(article).__name__}")
    require_text(article.text, name="the article")
    return article


def brief(article: str | Article, *, engine: str | Engine = "auto", **options: Any) -> Briefing:
    """Brief one article. ``article`` is text or an ``Article``; ``engine`` a name or instance.

    A named engine refuses an option it does not take (``TypeError``); with ``auto``, the
    options of the engines not chosen are dropped.
    """
    art = as_article(article)
    chosen = _engine(engine, options)
    seed = _seed(art, chosen)
    draft = chosen.analyze(art) if seed is None else chosen.analyze_seeded(art, seed)
    return finish(art, draft, chosen, rules=seed)


async def brief_async(
    article: str | Article, *, engine: str | Engine = "auto", **options: Any
) -> Briefing:
    """``brief`` on the running loop, for engines that do I/O (``analyze_async``)."""
    art = as_article(article)
    chosen = _engine(engine, options)
    seed = _seed(art, chosen)
    if seed is None:
        draft = await chosen.analyze_async(art)
    else:
        draft = await chosen.analyze_seeded_async(art, seed)
    return finish(art, draft, chosen, rules=seed)


def finish(
    article: Article, draft: Draft, engine: Engine, *, rules: Draft | None = None
) -> Briefing:
    """The steps after the engine: the cross-check it asks for, then assembly. ``rules`` is
    the rules engine's draft when the pipeline already made one (to seed the engine)."""
    if engine.crosscheck:
        rules = rules if rules is not None else crosscheck.rules_draft(article)
        draft = crosscheck.check(article, draft, rules)
    return assemble(article, draft, engine_name=engine.name)


def _seed(article: Article, engine: Engine) -> Draft | None:
    """The rules engine's draft, for an engine that reviews it instead of starting blank."""
    return crosscheck.rules_draft(article) if engine.seeded else None


def _engine(engine: str | Engine, options: dict[str, Any]) -> Engine:
    if not isinstance(engine, Engine):
        return strict_engine(engine, **options)
    if options:
        # An engine instance already has its options; silently dropping these would hide a typo.
        raise TypeError(
            f"brief() got options {', '.join(sorted(options))} with an engine instance; "
            "pass them when creating the engine"
        )
    return engine


def assemble(article: Article, draft: Draft, *, engine_name: str) -> Briefing:
    """Ground a draft's spans, drop what cannot be grounded (flagged), number the items, group
    the claims' sources into entities, and profile the sourcing of what is left."""
    text = article.text
    flags: list[Flag] = [
        flag for flag in draft.flags if flag.span is None or flag.span.slices(text)
    ]
    claims, sources = source_entities(text, _claims(text, draft.claims, flags))
    framing = _framing(text, draft.framing, flags)
    return Briefing(
        article=article,
        bluf=draft.bluf,
        claims=claims,
        framing=framing,
        sources=sources,
        flags=flags,
        provenance=_provenance(draft, engine_name),
        profile=sourcing_profile(text, claims, framing),
    )


def _claims(text: str, drafted: list[DraftClaim], flags: list[Flag]) -> list[Claim]:
    """The claims whose content and cue are in ``text``, numbered; a flag for each dropped
    one and for each source phrase that is not in the text."""
    claims: list[Claim] = []
    for item in drafted:
        content, content_match = _ground(text, item.content)
        cue, cue_match = _ground(text, item.cue)
        if content is None or cue is None:
            missing = item.content if content is None else item.cue
            what = "content" if content is None else "cue"
            flags.append(
                Flag(
                    code="ungrounded_claim",
                    message=f"dropped a claim by {item.source_name!r}: its {what} "
                    f"{excerpt(missing.text)!r} is not in the article",
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
        match = _worst([m for m in (content_match, cue_match, source_match) if m])
        claims.append(
            Claim(
                id=f"c{len(claims) + 1}",
                statement=item.statement.strip() or content.text,
                source=ClaimSource(name=item.source_name, kind=item.source_kind, span=source_span),
                cue=cue,
                content=content,
                quote=item.quote,
                via=list(item.via),
                relays=_relays(text, item.relays),
                alignment=_alignment(match),
                match=match,  # type: ignore[arg-type]
            )
        )
    return claims


def _framing(text: str, drafted: list[DraftFraming], flags: list[Flag]) -> list[Framing]:
    """The framing items in ``text``, once per span and device, numbered; a flag for each
    one dropped."""
    framing: list[Framing] = []
    seen: set[tuple[int, int, str]] = set()
    for item in drafted:
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
        if key in seen:
            continue
        seen.add(key)
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
    return framing


def _provenance(draft: Draft, engine_name: str) -> Provenance:
    return Provenance(
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
    )


def _relays(text: str, drafted: list[DraftRelay]) -> list[Relay]:
    """The chain links whose cue and content are in ``text``; ``via`` keeps every name, so a
    link that cannot be pointed at is left out rather than flagged."""
    relays = []
    for link in drafted:
        cue, _ = _ground(text, link.cue)
        content, _ = _ground(text, link.content)
        if cue is not None and content is not None:
            source, _ = _ground(text, link.source)
            relays.append(Relay(name=link.name, source=source, cue=cue, content=content))
    return relays


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
