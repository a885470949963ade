"""For render tests: a briefing to render (``make_briefing``) and a reader of the HTML page's
article text (``parse``)."""

from __future__ import annotations

import html.parser

from briefer.contract import (
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

# An invented article: nested spans (a cue inside claim content inside a framing passage), a
# multi-line paragraph, markup that must stay inert, and Markdown-hostile characters.
TEXT = (
    "LANTERN BRIDGE WILL COLLAPSE, TOWN IS TOLD\n"
    "\n"
    'Engineers from the Vell Institute said on Tuesday that the bridge "cannot carry buses" '
    "after the spring floods.\n"
    "According to a letter seen by the Courier, the mayor had ignored the warning, a reckless "
    "gamble, critics say the engineers warned | twice.\n"
    "\n"
    "# Some residents believe the repairs will never come. <script>alert(1)</script> "
    '"><img src=x onerror=alert(2)>\n'
)


def at(needle: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(needle, start + 1)
    return Span.of(TEXT, start, start + len(needle))


def make_briefing(**overrides: object) -> Briefing:
    claims = [
        Claim(
            id="c1",
            statement="The bridge cannot carry buses after the floods.",
            source=ClaimSource(
                name="Vell Institute",
                kind="institution",
                span=at("Engineers from the Vell Institute"),
            ),
            cue=at("said"),
            content=at('the bridge "cannot carry buses" after the spring floods'),
            quote="mixed",
        ),
        Claim(
            id="c2",
            statement="The mayor ignored the engineers' warning.",
            source=ClaimSource(name="letter", kind="document", span=at("a letter")),
            cue=at("According to"),
            content=at(
                "the mayor had ignored the warning, a reckless gamble, critics say the engineers"
            ),
            quote="indirect",
            via=["Courier"],
        ),
        Claim(
            id="c3",
            statement="The engineers warned twice.",
            source=ClaimSource(name="Vell Institute", kind="institution"),
            cue=at("warned"),
            content=at("warned | twice"),
            quote="indirect",
            alignment="fuzzy",
            match="fuzzy",
        ),
    ]
    framing = [
        Framing(
            id="f1",
            span=at("LANTERN BRIDGE WILL COLLAPSE, TOWN IS TOLD"),
            device="assertive_heading",
            note="Headline states the collapse as certain.",
        ),
        Framing(
            id="f2",
            span=at("ignored the warning, a reckless gamble, critics say"),
            device="loaded_language",
            note="Evaluative <script>alert(3)</script> wording in the outlet's voice.",
        ),
        Framing(
            id="f3",
            span=at("# Some residents believe the repairs will never come."),
            device="vague_attribution",
            note="Unnamed residents | no source.",
        ),
    ]
    values: dict[str, object] = {
        "article": Article(
            text=TEXT,
            title="Bridge <script>alert(4)</script> | report",
            outlet="The Courier",
            url="https://courier.example/bridge",
            published="2026-03-03",
        ),
        "bluf": "Engineers say the Lantern bridge cannot carry buses; the outlet calls it doomed.",
        "claims": claims,
        "framing": framing,
        "sources": [
            SourceEntry(name="Vell Institute", kind="institution", claim_ids=["c1", "c3"]),
            SourceEntry(name="letter", kind="document", claim_ids=["c2"]),
        ],
        "flags": [
            Flag(code="vague_source", message="Residents are not named.", span=at("Some residents"))
        ],
        "provenance": Provenance(
            engine="rules", created_at="2026-03-03T08:00:00Z", warnings=["one span was fuzzy"]
        ),
    }
    values.update(overrides)
    return Briefing.model_validate(values)


class ArticleText(html.parser.HTMLParser):
    """Collects the article text of a rendered page, minus the item refs, and its anchors."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.segments: list[tuple[str, set[str]]] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self._depth = 0  # > 0 inside the article container
        self._skip = 0
        self._classes: list[set[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")
        if attributes.get("href"):
            self.hrefs.append(attributes["href"] or "")
        if tag == "br":
            return
        classes = set((attributes.get("class") or "").split())
        if attributes.get("id") == "article-text":
            self._depth = 1
        elif self._depth:
            self._depth += 1
        if self._depth:
            self._skip += "ref" in classes
            self._classes.append(classes)

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag != "br":
            classes = self._classes.pop()
            self._skip -= "ref" in classes
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth and not self._skip:
            self.text.append(data)
            layers = set().union(*self._classes) & {"content", "cue", "source", "framing"}
            self.segments.append((data, layers))


def entity_briefing(members: list[str] | None = None) -> Briefing:
    """c1 and c3 from one entity (with a mention no claim's source span covers), c2 from a
    letter; ``members`` are the entity's."""
    vell = SourceEntry(
        id="s1",
        name="Vell Institute",
        kind="institution",
        claim_ids=["c1", "c3"],
        mentions=[at("Engineers from the Vell Institute"), at("the engineers")],
        members=members or [],
    )
    letter = SourceEntry(id="s2", name="letter", kind="document", claim_ids=["c2"])
    base = make_briefing()
    claims = [
        c.model_copy(update={"source_id": "s2" if c.id == "c2" else "s1"}) for c in base.claims
    ]
    return make_briefing(claims=claims, sources=[vell, letter])


def parse(page: str) -> ArticleText:
    parser = ArticleText()
    parser.feed(page)
    parser.close()
    return parser
