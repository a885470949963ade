"""Rendering a Briefing as Markdown, HTML, plain text or JSON.

Markdown, HTML and text come from Jinja2 templates in the shipped ``templates`` folder; a folder
given as ``templates_dir`` (or ``BRIEFER_TEMPLATES``) is searched first, so users override one
file at a time. Templates get a prepared view (claims grouped by source, the article cut into
highlight segments) so they hold layout, not logic. JSON is the Briefing contract itself.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import textwrap
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from briefer._version import __version__
from briefer.config import templates_from_env
from briefer.console import plain
from briefer.contract import Briefing, Claim, Framing, Span
from briefer.errors import BrieferError
from briefer.resources import resource_dir

FORMATS: tuple[str, ...] = ("md", "html", "text", "json")
EXTENSIONS: dict[str, str] = {"md": ".md", "html": ".html", "text": ".txt", "json": ".json"}
TEMPLATES: dict[str, str] = {
    "md": "briefing.md.j2",
    "html": "briefing.html.j2",
    "text": "briefing.txt.j2",
}
TEXT_WIDTH = 88

DEVICE_LABELS: dict[str, str] = {
    "unattributed_assertion": "Unattributed assertion",
    "loaded_language": "Loaded language",
    "vague_attribution": "Vague attribution",
    "speculation": "Speculation",
    "assertive_heading": "Assertive heading",
    "rhetorical_question": "Rhetorical question",
    "scare_quotes": "Scare quotes",
    "other": "Other framing",
}
KIND_LABELS: dict[str, str] = {
    "official": "official",
    "institution": "institution",
    "media": "media",
    "document": "document",
    "person": "person",
    "group": "group",
    "anonymous": "anonymous",
    "vague": "vague attribution",
    "outlet": "the outlet itself",
}
QUOTE_LABELS: dict[str, str] = {
    "direct": "direct quote",
    "indirect": "indirect (paraphrase)",
    "mixed": "mixed (partial quote)",
}
# Highlight layers in the HTML article text, and what the legend calls them.
LAYER_LABELS: dict[str, str] = {
    "content": "claim content",
    "cue": "attribution cue",
    "source": "source phrase",
    "framing": "outlet framing",
}


# ---- view model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimView:
    claim: Claim
    content: Span | None
    cue: Span | None
    source_span: Span | None
    via: list[str]

    @property
    def quote_label(self) -> str:
        return QUOTE_LABELS.get(self.claim.quote, self.claim.quote)

    @property
    def fuzzy(self) -> bool:
        return self.claim.alignment == "fuzzy"


@dataclass
class SourceGroup:
    name: str
    kind: str
    kind_label: str
    claims: list[ClaimView]
    # The attribution chain when every claim of the group shares it; otherwise per claim.
    via: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FramingView:
    framing: Framing
    span: Span | None

    @property
    def device_label(self) -> str:
        return DEVICE_LABELS.get(self.framing.device, self.framing.device)

    @property
    def fuzzy(self) -> bool:
        return self.framing.alignment == "fuzzy"


@dataclass(frozen=True)
class Mark:
    """One highlight covering a segment: which layer, which item, and a readable label."""

    layer: str
    item_id: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Piece:
    """A run of article text in the HTML view.

    ``kind`` is "text" (plain or highlighted, per ``marks``), "br" (a line break; ``text`` is the
    newline itself, kept so the page's text still equals the article's), or "ref" (a small link
    to an item, placed where that item's main span starts).
    """

    kind: str
    text: str = ""
    marks: tuple[Mark, ...] = ()
    href: str | None = None
    title: str = ""

    @property
    def classes(self) -> str:
        layers = sorted({mark.layer for mark in self.marks}, key=list(LAYER_LABELS).index)
        return " ".join(["hl", *layers])

    @property
    def items(self) -> str:
        return " ".join(dict.fromkeys(mark.item_id for mark in self.marks))


@dataclass(frozen=True)
class Block:
    """A paragraph of pieces, or ("gap") the whitespace between two paragraphs."""

    kind: str
    pieces: tuple[Piece, ...] = ()
    text: str = ""


@dataclass
class View:
    briefing: Briefing
    groups: list[SourceGroup]
    claims: list[ClaimView]
    framing: list[FramingView]
    blocks: list[Block]
    layers: dict[str, str]
    version: str


def _grounded(span: Span | None, text: str) -> Span | None:
    """The span if it really slices the article; anything else is never shown as evidence."""
    if span is None or span.start >= span.end or not span.slices(text):
        return None
    return span


def _claim_views(briefing: Briefing) -> list[ClaimView]:
    text = briefing.article.text
    return [
        ClaimView(
            claim=claim,
            content=_grounded(claim.content, text),
            cue=_grounded(claim.cue, text),
            source_span=_grounded(claim.source.span, text),
            via=list(claim.via),
        )
        for claim in briefing.claims
    ]


def _groups(briefing: Briefing, claims: list[ClaimView]) -> list[SourceGroup]:
    by_id = {view.claim.id: view for view in claims}
    groups: list[SourceGroup] = []
    placed: set[str] = set()
    for entry in briefing.sources:
        members = [by_id[i] for i in entry.claim_ids if i in by_id and i not in placed]
        placed.update(view.claim.id for view in members)
        groups.append(_group(entry.name, entry.kind, members))
    # A hand-built briefing may skip the inventory; group the rest by their own source.
    leftovers: dict[tuple[str, str], list[ClaimView]] = {}
    for view in claims:
        if view.claim.id not in placed:
            key = (view.claim.source.name, view.claim.source.kind)
            leftovers.setdefault(key, []).append(view)
    groups.extend(_group(name, kind, members) for (name, kind), members in leftovers.items())
    return groups


def _group(name: str, kind: str, members: list[ClaimView]) -> SourceGroup:
    chains = {tuple(view.via) for view in members}
    shared = list(chains.pop()) if len(chains) == 1 else []
    if shared:
        # The group header shows the shared chain once.
        members = [dataclasses.replace(view, via=[]) for view in members]
    return SourceGroup(name, kind, KIND_LABELS.get(kind, kind), members, shared)


def _framing_views(briefing: Briefing) -> list[FramingView]:
    text = briefing.article.text
    return [FramingView(item, _grounded(item.span, text)) for item in briefing.framing]


def _marks(claims: list[ClaimView], framing: list[FramingView]) -> list[Mark]:
    marks: list[Mark] = []
    for view in claims:
        claim = view.claim
        who = f"{claim.id}: {claim.source.name}"
        for layer, span in (("content", view.content), ("cue", view.cue)):
            if span is not None:
                marks.append(Mark(layer, claim.id, f"{who} ({LAYER_LABELS[layer]})", *_ends(span)))
        if view.source_span is not None:
            label = f"{who} (source phrase)"
            marks.append(Mark("source", claim.id, label, *_ends(view.source_span)))
    for item in framing:
        if item.span is not None:
            label = f"{item.framing.id}: outlet framing, {item.device_label.lower()}"
            marks.append(Mark("framing", item.framing.id, label, *_ends(item.span)))
    return marks


def _ends(span: Span) -> tuple[int, int]:
    return span.start, span.end


# Precedence when one segment could link to several items: the narrowest span wins, and at
# equal width a claim's cue, then its content, then its source phrase, then framing.
_LAYER_RANK = {"cue": 0, "content": 1, "source": 2, "framing": 3}


def segment(text: str, marks: Iterable[Mark]) -> list[tuple[int, int, tuple[Mark, ...]]]:
    """Cut ``text`` at every mark boundary: ``(start, end, marks covering it)``, in order.

    The segments tile the text exactly, so overlapping and nested highlights lose nothing and
    repeat nothing.
    """
    by_start = sorted(marks, key=lambda m: m.start)
    cuts = sorted({0, len(text), *(m.start for m in by_start), *(m.end for m in by_start)})
    pieces: list[tuple[int, int, tuple[Mark, ...]]] = []
    active: list[Mark] = []
    waiting = 0
    for start, end in itertools.pairwise(cuts):
        # Every mark boundary is a cut, so a mark active at ``start`` covers the whole segment.
        active = [m for m in active if m.end > start]
        while waiting < len(by_start) and by_start[waiting].start <= start:
            if by_start[waiting].end > start:
                active.append(by_start[waiting])
            waiting += 1
        covering = sorted(active, key=lambda m: (m.end - m.start, _LAYER_RANK[m.layer]))
        pieces.append((start, end, tuple(covering)))
    return pieces


# A paragraph: consecutive lines that are not blank. Everything else is gap whitespace.
_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")


@dataclass(frozen=True)
class _Ref:
    offset: int
    end: int
    item_id: str
    title: str


def _refs(claims: list[ClaimView], framing: list[FramingView]) -> list[_Ref]:
    """One link per item, where its main span starts (a claim's content), outer spans first."""
    refs = [
        _Ref(
            v.content.start, v.content.end, v.claim.id, f"claim {v.claim.id}: {v.claim.source.name}"
        )
        for v in claims
        if v.content is not None
    ]
    refs += [
        _Ref(f.span.start, f.span.end, f.framing.id, f"framing {f.framing.id}: {f.device_label}")
        for f in framing
        if f.span is not None
    ]
    return sorted(refs, key=lambda r: (r.offset, -r.end))


def _paragraphs(text: str) -> list[tuple[str, int, int]]:
    """``("paragraph" | "gap", start, end)`` ranges tiling the text; paragraphs are trimmed."""
    ranges: list[tuple[str, int, int]] = []
    position = 0
    for found in _PARAGRAPH.finditer(text):
        body = found.group()
        start = found.start() + len(body) - len(body.lstrip())
        end = found.end() - len(body) + len(body.rstrip())
        if start > position:
            ranges.append(("gap", position, start))
        ranges.append(("paragraph", start, end))
        position = end
    if position < len(text):
        ranges.append(("gap", position, len(text)))
    return ranges


def _blocks(text: str, marks: list[Mark], refs: list[_Ref]) -> list[Block]:
    """The article as paragraphs of pieces for the HTML template.

    Paragraph breaks become gaps between ``<p>`` elements and a lone newline a ``<br>``; the
    whitespace itself is kept in gaps and breaks so the page's text still equals the article's.
    """
    segments = segment(text, marks)
    blocks: list[Block] = []
    first = 0  # the first segment that can still reach the current paragraph
    next_ref = 0
    for kind, start, end in _paragraphs(text):
        if kind == "gap":
            blocks.append(Block("gap", text=text[start:end]))
            continue
        pieces: list[Piece] = []
        while first < len(segments) and segments[first][1] <= start:
            first += 1
        index = first
        while index < len(segments) and segments[index][0] < end:
            seg_start, seg_end, covering = segments[index]
            low, high = max(seg_start, start), min(seg_end, end)
            # Refs inside a gap (a span starting on whitespace) surface at the next paragraph.
            while next_ref < len(refs) and refs[next_ref].offset <= low:
                ref = refs[next_ref]
                pieces.append(Piece("ref", ref.item_id, href=f"#{ref.item_id}", title=ref.title))
                next_ref += 1
            href = f"#{covering[0].item_id}" if covering else None
            title = "; ".join(mark.label for mark in covering)
            for part in re.split(r"(\n)", text[low:high]):
                if part == "\n":
                    pieces.append(Piece("br", "\n"))
                elif part:
                    pieces.append(Piece("text", part, covering, href, title))
            index += 1
        blocks.append(Block("paragraph", tuple(pieces)))
    return blocks


def build_view(briefing: Briefing, *, with_article: bool = False) -> View:
    """What every template receives as ``view`` (the article segments only when needed)."""
    claims = _claim_views(briefing)
    framing = _framing_views(briefing)
    blocks: list[Block] = []
    if with_article:
        text = briefing.article.text
        blocks = _blocks(text, _marks(claims, framing), _refs(claims, framing))
    return View(
        briefing=briefing,
        groups=_groups(briefing, claims),
        claims=claims,
        framing=framing,
        blocks=blocks,
        layers=LAYER_LABELS,
        version=__version__,
    )


# ---- filters ---------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# Block markers Markdown would read at the start of a line: headings and bullets need a space
# after them, ordered lists "1." or "1)" too, setext underlines fill the line. A backslash only
# escapes punctuation, so "1. x" becomes "1\. x" and "0.1.0" or "127.0.0.1" stay as they are.
_MD_HEADING_OR_BULLET = re.compile(r"^(#{1,6}|[+-])(?=\s|$)")
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_MD_UNDERLINE = re.compile(r"^([=-])(?=[=-]*$)")


def md_inline(value: object) -> str:
    """Article-derived text as one line of Markdown that cannot open markup of its own."""
    text = " ".join(plain(value).split())
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_HEADING_OR_BULLET.sub(r"\\\1", text)
    text = _MD_ORDERED.sub(r"\1\\\2", text)
    return _MD_UNDERLINE.sub(r"\\\1", text)


def md_quote(value: object) -> str:
    """Text as the body of a Markdown blockquote, one quoted line per line of text."""
    lines = (md_inline(line) for line in plain(value).strip("\n").split("\n"))
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def md_url(value: object) -> str:
    """An http(s) URL as a Markdown autolink; anything else as escaped text."""
    url = plain(value).strip()
    if _is_web_url(url) and not re.search(r"[\s<>]", url):
        return f"<{url}>"
    return md_inline(url)


def wrap(value: object, width: int = TEXT_WIDTH, indent: str = "", first: str | None = None) -> str:
    """Wrap text for a terminal, paragraph by paragraph; ``first`` prefixes the first line."""
    first = indent if first is None else first
    out: list[str] = []
    for number, paragraph in enumerate(plain(value).split("\n")):
        words = " ".join(paragraph.split())
        lead = first if number == 0 else indent
        if not words:
            out.append(lead.rstrip())
            continue
        out.append(
            textwrap.fill(
                words,
                width=width,
                initial_indent=lead,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


def web_url(value: object) -> str | None:
    """The URL when it is safe to link (http or https), else None."""
    url = plain(value).strip()
    return url if _is_web_url(url) else None


def _is_web_url(url: str) -> bool:
    return re.match(r"https?://[^\s/]", url, flags=re.IGNORECASE) is not None


def offsets(span: Span | None) -> str:
    return "" if span is None else f"[{span.start}\u2013{span.end}]"


def chain(via: Iterable[str]) -> str:
    return " \u2192 ".join(via)


FILTERS: dict[str, Any] = {
    "plain": plain,
    "md": md_inline,
    "md_quote": md_quote,
    "md_url": md_url,
    "wrap": wrap,
    "web_url": web_url,
    "offsets": offsets,
    "chain": chain,
}


# ---- environment and rendering -------------------------------------------------------------


def _autoescape(name: str | None) -> bool:
    # Escaping is on unless a template is plainly not HTML: a mistake then costs a stray entity
    # in Markdown, never a live tag in a page.
    if name is None:
        return True
    return not name.endswith((".md.j2", ".txt.j2", ".md", ".txt", ".css"))


@functools.lru_cache(maxsize=16)
def environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment for an override folder (or none), built once and reused."""
    shipped = jinja2.FileSystemLoader(str(resource_dir("templates")))
    loaders: list[jinja2.BaseLoader] = [shipped]
    if templates_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(templates_dir)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.globals.update(device_labels=DEVICE_LABELS, kind_labels=KIND_LABELS)
    return env


def templates_folder(templates_dir: Path | str | None = None) -> Path | None:
    """The override folder: the argument, else ``BRIEFER_TEMPLATES``, else none."""
    chosen = templates_dir if templates_dir is not None else templates_from_env()
    if chosen is None or str(chosen) == "":
        return None
    folder = Path(chosen).expanduser()
    if not folder.is_dir():
        where = "--templates" if templates_dir is not None else "BRIEFER_TEMPLATES"
        raise BrieferError(f"{where} {folder} is not a folder; point it at a templates folder")
    return folder.resolve()


def render(briefing: Briefing, fmt: str, *, templates_dir: Path | None = None) -> str:
    """The briefing in ``fmt`` (one of FORMATS) as a string."""
    if fmt == "json":
        return briefing.model_dump_json(indent=2)
    if fmt not in TEMPLATES:
        raise BrieferError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return render_template(
        TEMPLATES[fmt],
        templates_dir=templates_dir,
        view=build_view(briefing, with_article=fmt == "html"),
    )


def render_template(name: str, *, templates_dir: Path | None = None, **context: Any) -> str:
    """Render one named template; a broken template becomes a one-line BrieferError."""
    folder = templates_folder(templates_dir)
    env = environment(folder)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise _template_error(where, exc.lineno, exc.message or str(exc), folder) from None
    except jinja2.TemplateNotFound as exc:
        searched = f"{folder} or the shipped templates" if folder else "the shipped templates"
        fix = f"add it to {folder}" if folder else "reinstall briefer"
        raise BrieferError(f"template {exc.name} not found in {searched}; {fix}") from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
        where, line = _template_frame(exc, name)
        raise _template_error(where, line, str(exc), folder) from None


def _template_frame(exc: BaseException, name: str) -> tuple[str, int]:
    """Jinja rewrites tracebacks to template lines; the innermost template frame is the culprit."""
    found: tuple[str, int] = (name, 0)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".j2", ".css")) and frame.lineno is not None:
            found = (frame.filename, frame.lineno)
    return found


def _template_error(
    where: str, line: int | None, message: str, folder: Path | None
) -> BrieferError:
    message = " ".join(message.split())
    at = f"{where}, line {line}" if line else where
    theirs = folder is not None and Path(where).resolve().is_relative_to(folder)
    fix = "fix it, or remove it to use the shipped one" if theirs else "reinstall briefer"
    return BrieferError(f"template error in {at}: {message} ({fix})")
