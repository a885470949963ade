"""The view templates get: only spans that slice the article are ever shown as evidence."""

from __future__ import annotations

from render_fixtures import TEXT, make_briefing, parse

from briefer.contract import Briefing, Span
from briefer.render import render


def test_a_span_that_does_not_slice_the_text_is_never_evidence() -> None:
    good = make_briefing()
    # Built without validation, as a buggy stage upstream might: the offsets point elsewhere.
    stray = Span.model_construct(start=0, end=7, text="invented words")
    claim = good.claims[0].model_copy(update={"content": stray})
    briefing = Briefing.model_construct(**{**dict(good), "claims": [claim, *good.claims[1:]]})
    for fmt in ("md", "text", "html"):
        output = render(briefing, fmt)
        assert "invented words" not in output
        assert "no evidence" in output.lower()
    assert "".join(parse(render(briefing, "html")).text) == TEXT
