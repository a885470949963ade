"""Jinja templates: the environment, the override folder, rendering and template errors.

Markdown, HTML and text come from templates in the shipped ``templates`` folder; a folder given
as ``templates_dir`` (or ``BRIEFER_TEMPLATES``) is searched first, so users override one file
at a time. JSON is the Briefing contract itself. The HTML page's one script is inlined with
the SHA-256 its Content-Security-Policy allows it by, computed here from the exact text.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from briefer.config import templates_from_env
from briefer.contract import Briefing
from briefer.errors import BrieferError
from briefer.render.labels import DEVICE_LABELS, KIND_LABELS
from briefer.render.markup import FILTERS
from briefer.render.view import build_view
from briefer.resources import resource_dir

FORMATS: tuple[str, ...] = ("md", "html", "text", "json")
EXTENSIONS: dict[str, str] = {"md": ".md", "html": ".html", "text": ".txt", "json": ".json"}
TEMPLATES: dict[str, str] = {
    "md": "briefing.md.j2",
    "html": "briefing.html.j2",
    "text": "briefing.txt.j2",
}
# The HTML page's one script (the source filter), inlined and allowed by its hash.
SCRIPT = "briefing.js"


@dataclass(frozen=True)
class InlineScript:
    """A script's exact text for a ``<script>`` element, and the CSP source that allows it.

    Both are markup the page writes as they are (``|safe``): the text is a shipped or the
    user's own template file, never article text, and the CSP source is quotes and base64."""

    text: str
    csp: str


def inline_script(name: str = SCRIPT, *, templates_dir: Path | None = None) -> InlineScript:
    """The named script (override folder first), with ``'sha256-...'`` of exactly that text."""
    env = environment(templates_folder(templates_dir))
    try:
        source, _, _ = env.loader.get_source(env, name) if env.loader else ("", None, None)
    except jinja2.TemplateNotFound:
        raise BrieferError(f"template {name} not found; reinstall briefer") from None
    if "</script" in source.lower() or "<!--" in source:
        raise BrieferError(f"template {name} contains '</script' or '<!--'; it cannot be inlined")
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return InlineScript(source, f"'sha256-{digest}'")


def render(briefing: Briefing, fmt: str, *, templates_dir: Path | None = None) -> str:
    """The briefing in ``fmt`` (one of FORMATS) as a string."""
    if fmt == "json":
        return briefing.model_dump_json(indent=2)
    if fmt not in TEMPLATES:
        raise BrieferError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    html = fmt == "html"
    return render_template(
        TEMPLATES[fmt],
        templates_dir=templates_dir,
        view=build_view(briefing, with_article=html),
        script=inline_script(templates_dir=templates_dir) if html else None,
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


def _autoescape(name: str | None) -> bool:
    # Escaping is on unless a template is plainly not HTML: a mistake then costs a stray entity
    # in Markdown, never a live tag in a page.
    if name is None:
        return True
    return not name.endswith((".md.j2", ".txt.j2", ".md", ".txt", ".css"))


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
