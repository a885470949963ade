"""Render the prompt templates (``prompts/*.j2``) into chat messages for one article or chunk.

The article goes in as numbered paragraphs between ``<article>`` delimiters so the model can
cite by number and copy only short strings; ``Paragraph`` keeps each number's offsets so
grounding can search just the cited paragraph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, StrictUndefined, Template, TemplateError

from briefer.engines.openai.schema import LLM_SCHEMA_VERSION, LLMBriefing, LLMRepair, schema_text
from briefer.errors import ConfigError
from briefer.resources import resource_dir
from briefer.segment import paragraphs as split_paragraphs

TEMPLATES = ("system.j2", "user.j2", "repair.j2")
# The rules-seeded review (``engine.extraction = "seeded"``).
SEEDED_TEMPLATES = ("seeded_system.j2", "seeded_user.j2")
# The rules-checked extraction (``engine.extraction = "checked"``).
CHECK_TEMPLATES = ("check_system.j2", "check_user.j2")
_VERSION = re.compile(r"\{#\s*version:\s*([^\s#]+)\s*#\}")
# The closing delimiter inside an article must not end the data block early.
_DELIMITER = re.compile(r"</?\s*article\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Paragraph:
    number: int
    start: int
    end: int
    text: str


def number_paragraphs(text: str) -> list[Paragraph]:
    """The article's paragraphs numbered from 1, with their offsets."""
    return [
        Paragraph(number, unit.start, unit.end, unit.text(text))
        for number, unit in enumerate(split_paragraphs(text), start=1)
    ]


@dataclass
class PromptSet:
    """The three templates, from a user folder where present, else the shipped ones.

    Sources are read once per instance, so one engine briefs a batch with one set of prompts.
    """

    folder: Path | None = None
    _sources: dict[str, str] = field(default_factory=dict, repr=False)
    _compiled: dict[str, Template] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.folder is not None and not Path(self.folder).is_dir():
            raise ConfigError(
                f"prompts folder {self.folder} does not exist (check --prompts / engine.prompts)"
            )
        self.folder = Path(self.folder) if self.folder is not None else None

    @property
    def folders(self) -> list[Path]:
        shipped = resource_dir("prompts")
        return [self.folder, shipped] if self.folder is not None else [shipped]

    def source(self, name: str) -> str:
        if name in self._sources:
            return self._sources[name]
        for folder in self.folders:
            path = folder / name
            if path.is_file():
                text = self._sources[name] = path.read_text(encoding="utf-8")
                return text
        raise ConfigError(f"prompt template {name} not found in {self.folders[0]}")

    @cached_property
    def version(self) -> str:
        """Declared versions, e.g. ``1``; ``custom-<hash>`` when a user folder overrides one."""
        return self._version(TEMPLATES, self.digest)

    @cached_property
    def digest(self) -> str:
        """Hash of the template sources and the response schema: part of the cache key."""
        return self._digest(TEMPLATES, LLM_SCHEMA_VERSION)

    @cached_property
    def seeded_version(self) -> str:
        """The seeded review's templates' version, ``seeded-1``; ``+custom`` if overridden."""
        return "seeded-" + self._version(SEEDED_TEMPLATES, self.seeded_digest)

    @cached_property
    def seeded_digest(self) -> str:
        return self._digest(SEEDED_TEMPLATES)

    @cached_property
    def check_version(self) -> str:
        """The checked extraction's templates' version, ``checked-1``; ``+custom`` if overridden."""
        return "checked-" + self._version(CHECK_TEMPLATES, self.check_digest)

    @cached_property
    def check_digest(self) -> str:
        return self._digest(CHECK_TEMPLATES)

    def _version(self, names: Sequence[str], digest: str) -> str:
        declared = []
        for name in names:
            match = _VERSION.search(self.source(name))
            declared.append(match.group(1) if match else "0")
        version = declared[0] if len(set(declared)) == 1 else "-".join(declared)
        if self.folder is not None and any((self.folder / n).is_file() for n in names):
            version = f"{version}+custom.{digest[:8]}"
        return version

    def _digest(self, names: Sequence[str], suffix: str = "") -> str:
        blob = "\0".join(self.source(name) for name in names) + suffix
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def render(self, name: str, **context: object) -> str:
        try:
            template = self._compiled.get(name)
            if template is None:
                template = self._compiled[name] = _ENVIRONMENT.from_string(self.source(name))
            return template.render(**context).strip()
        except TemplateError as exc:
            raise ConfigError(f"prompt template {name} cannot be rendered: {exc}") from None


_ENVIRONMENT = Environment(
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=StrictUndefined,
    autoescape=False,  # plain-text chat messages, not HTML
)


def article_messages(
    prompts: PromptSet,
    paragraphs: Sequence[Paragraph],
    *,
    json_object: bool,
    title: str | None = None,
    outlet: str | None = None,
    part: int | None = None,
    parts: int | None = None,
) -> list[dict[str, str]]:
    """System and user messages for one article (or one chunk of it)."""
    system = prompts.render(
        "system.j2", json_object=json_object, schema=schema_text(LLMBriefing) if json_object else ""
    )
    shown = [
        Paragraph(p.number, p.start, p.end, _DELIMITER.sub(_defuse, p.text)) for p in paragraphs
    ]
    if title and any(" ".join(p.text.split()) == " ".join(title.split()) for p in paragraphs[:2]):
        title = None  # the heading is already [P1]; do not pay for it twice
    user = prompts.render(
        "user.j2", paragraphs=shown, title=title, outlet=outlet, part=part, parts=parts
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def repair_message(
    prompts: PromptSet, errors: Sequence[str], *, whole: bool, json_object: bool
) -> dict[str, str]:
    """The one re-ask: the specific errors, and what to send back."""
    text = prompts.render("repair.j2", errors=list(errors), whole=whole)
    if json_object and not whole:
        text += "\nJSON schema of the answer: " + schema_text(LLMRepair)
    return {"role": "user", "content": text}


def item_repair_messages(
    prompts: PromptSet,
    system: dict[str, str],
    cited: Sequence[Paragraph],
    errors: Sequence[str],
    *,
    json_object: bool,
) -> list[dict[str, str]]:
    """The item re-ask as a fresh conversation: the system prompt, only the paragraphs the
    failed items cite, and their errors (the items themselves are quoted in the errors)."""
    shown = [Paragraph(p.number, p.start, p.end, _DELIMITER.sub(_defuse, p.text)) for p in cited]
    paragraphs = prompts.render("user.j2", paragraphs=shown, title=None, outlet=None, part=None)
    return [
        system,
        {"role": "user", "content": paragraphs},
        repair_message(prompts, errors, whole=False, json_object=json_object),
    ]


def with_schema_prompt(prompts: PromptSet, messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """The same messages with the system prompt re-rendered for ``json_object`` mode (the
    schema in the prompt), for a server that turned ``json_schema`` down."""
    system = prompts.render("system.j2", json_object=True, schema=schema_text(LLMBriefing))
    return [{"role": "system", "content": system}, *messages[1:]]


def defuse(text: str) -> str:
    """``text`` with anything that could close the article's delimiters made harmless."""
    return _DELIMITER.sub(_defuse, text)


def _defuse(match: re.Match[str]) -> str:
    return match.group(0).replace("<", "\u2039").replace(">", "\u203a")
