"""Render: a Briefing as Markdown, HTML or plain text (Jinja templates) or JSON (the contract)."""

from __future__ import annotations

from briefer.render.highlight import Block, Mark, Piece, segment
from briefer.render.labels import (
    DEVICE_LABELS,
    KIND_LABELS,
    LAYER_LABELS,
    PROFILE_LABELS,
    QUOTE_LABELS,
)
from briefer.render.markup import (
    FILTERS,
    TEXT_WIDTH,
    chain,
    md_inline,
    md_quote,
    md_url,
    offsets,
    web_url,
    wrap,
)
from briefer.render.sourcing import ProfileView, percents, profile_view
from briefer.render.templates import (
    EXTENSIONS,
    FORMATS,
    TEMPLATES,
    InlineScript,
    environment,
    inline_script,
    render,
    render_template,
    templates_folder,
)
from briefer.render.view import ClaimView, FramingView, SourceGroup, View, build_view

__all__ = [
    "DEVICE_LABELS",
    "EXTENSIONS",
    "FILTERS",
    "FORMATS",
    "KIND_LABELS",
    "LAYER_LABELS",
    "PROFILE_LABELS",
    "QUOTE_LABELS",
    "TEMPLATES",
    "TEXT_WIDTH",
    "Block",
    "ClaimView",
    "FramingView",
    "InlineScript",
    "Mark",
    "Piece",
    "ProfileView",
    "SourceGroup",
    "View",
    "build_view",
    "chain",
    "environment",
    "inline_script",
    "md_inline",
    "md_quote",
    "md_url",
    "offsets",
    "percents",
    "profile_view",
    "render",
    "render_template",
    "segment",
    "templates_folder",
    "web_url",
    "wrap",
]
