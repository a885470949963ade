"""What the rules engine finds in a sentence, as the texts of its spans, for the rules tests."""

from __future__ import annotations

from briefer.engines.rules.attribution import find_attributions


def triples(text: str) -> list[tuple[str | None, str, str]]:
    """(source, cue, content) of every attribution in ``text``."""
    return [
        (
            text[a.source[0] : a.source[1]] if a.source else None,
            text[a.cue[0] : a.cue[1]],
            text[a.content[0] : a.content[1]],
        )
        for a in find_attributions(text)
    ]


def sources(text: str) -> list[str | None]:
    return [source for source, _, _ in triples(text)]


def cues(text: str) -> list[tuple[str | None, str]]:
    return [(source, cue) for source, cue, _ in triples(text)]
