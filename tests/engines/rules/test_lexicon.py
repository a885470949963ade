"""The cue lexicon: inflections and whole-word cue matching."""

from __future__ import annotations

from briefer.engines.rules.lexicon import CUE_RE, inflections, lemma_of


def test_inflections_cover_regular_and_irregular_verbs() -> None:
    assert inflections("say") == ("say", "says", "said", "saying")
    assert inflections("deny") == ("deny", "denies", "denied", "denying")
    assert inflections("note") == ("note", "notes", "noted", "noting")
    assert inflections("admit")[2] == "admitted"
    assert lemma_of("told") == "tell"
    assert lemma_of("pointed  out") == "point out"


def test_cue_regex_matches_whole_words_only() -> None:
    text = "The sayings of Mr. Saidov: he said, then she pointed out, and they argued."
    found = [m.group() for m in CUE_RE.finditer(text)]
    assert found == ["said", "pointed out", "argued"]
