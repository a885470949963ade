"""Plain text: wrapped for a terminal, free of markup and control characters."""

from __future__ import annotations

from render_fixtures import make_briefing

from briefer.render import render


def test_text_is_wrapped_and_free_of_markup() -> None:
    briefing = make_briefing(bluf="word " * 60)
    output = render(briefing, "text")
    assert max(len(line) for line in output.splitlines()) <= 88
    assert "**" not in output and "<p>" not in output and "###" not in output
    assert "ATTRIBUTED CLAIMS" in output and "OUTLET FRAMING" in output


def test_text_neutralises_terminal_control_characters() -> None:
    briefing = make_briefing(bluf="Red \x1b[31malert\x1b[0m text.")
    for fmt in ("text", "md"):
        assert "\x1b" not in render(briefing, fmt)


def test_text_shows_claims_under_their_source_with_evidence() -> None:
    output = render(make_briefing(), "text")
    vell = output.index("Vell Institute (institution)")
    assert vell < output.index("c1  The bridge") < output.index("letter (document), via Courier")
    assert '| the bridge "cannot carry buses" after the spring floods' in output
    assert "[99–154]" in output
