"""Source phrases: what kind of source a phrase names, and a short name for it."""

# The kind is decided on the phrase's head chunk (the words before a relative clause, participle or
# comma), so "a report published in a newspaper" is a document, not a media outlet.

from __future__ import annotations

import re
from functools import lru_cache

from briefer.engines.rules.case_fold import Folded
from briefer.engines.rules.grammar import WEEKDAY

PRONOUNS = frozenset("he she they we i you it who which that whom".split())
PERSONAL_PRONOUNS = frozenset("he she they we i you".split())
RELATIVES = frozenset("who which that whom".split())


class _Caseless:
    """An IGNORECASE pattern asked whether a short phrase matches, and where.

    Over an ASCII phrase its flagless twin scans the lower-cased phrase, which finds the same
    spans several times faster (see case_fold.py: under the flag a long alternation cannot
    skip a branch by its first letter); any other phrase gets the pattern itself. A match may
    be over the lower-cased copy: its offsets hold, its text is lower case."""

    __slots__ = ("_folded", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self._folded = pattern, Folded.of(pattern).folded

    def _pick(self, phrase: str) -> tuple[re.Pattern[str], str]:
        if self._folded is not None and phrase.isascii():
            return self._folded, phrase.lower()
        return self.pattern, phrase

    def search(self, phrase: str) -> re.Match[str] | None:
        pattern, phrase = self._pick(phrase)
        return pattern.search(phrase)

    def match(self, phrase: str) -> re.Match[str] | None:
        pattern, phrase = self._pick(phrase)
        return pattern.match(phrase)

    def fullmatch(self, phrase: str) -> re.Match[str] | None:
        pattern, phrase = self._pick(phrase)
        return pattern.fullmatch(phrase)


_MEDIA_NAMES = (
    r"associated\s+press|ap|reuters|afp|agence\s+france[-\s]presse|bbc|cnn|msnbc|cnbc|nbc|cbs|"
    r"abc|npr|pbs|fox(?:\s+news|\s+business)?|bloomberg|politico|axios|al\s+jazeera|"
    r"al[-\s]arabiya|sky\s+news|the\s+hill|breitbart|huffpost|huffington\s+post|buzzfeed|"
    r"vox|slate|salon|newsweek|time\s+magazine|the\s+atlantic|the\s+economist|"
    r"wall\s+street\s+journal|"
    r"usa\s+today|xinhua|tass|interfax|ria\s+novosti|irna|isna|fars|tasnim|yonhap|kyodo|"
    r"anadolu|dpa|efe|ansa"
)
_MEDIA_WORDS = (
    r"newspaper|paper|magazine|network|broadcaster|outlet|news\s+agency|agency\s+report|"
    r"reporters?|journalists?|correspondents?|columnists?|editors?|writers?|anchor|host|"
    r"tabloid|daily|weekly|wire\s+service|news\s+site|website|blog(?:ger)?|podcast|"
    r"television|tv|radio|station|channel"
)
_DOCUMENT_WORDS = (
    r"report|reports|letter|letters|documents?|statements?|study|studies|survey|surveys|"
    r"polls?|polling|statistics|data|figures|numbers|memos?|memorandum|cables?|e-?mails?|"
    r"records?|filings?|ruling|verdict|indictment|complaint|lawsuit|investigation|inquiry|"
    r"probe|analysis|analyses|findings|notes|intelligence|information|evidence|research|"
    r"book|article|transcripts?|videos?|footage|tweets?|posts?|papers|census|assessment|"
    r"estimates?|projections?|forecasts?|audit|review|testimony|minutes|archive|cache|files|"
    r"dossier|communiqu[eé]|declaration|resolution|bill|law|order|guidance|leaflet|manifesto|"
    r"report\s+card|paper\s+trail|transcript|the\s+message|messages|results|index|motion|"
    r"petition|amendment|legislation|proposal"
)
_OFFICIAL_WORDS = (
    r"president|vice\s+president|prime\s+minister|minister|secretary|spokes(?:man|woman|"
    r"person|people)|press\s+secretary|senators?|sen\.|rep\.|representatives?|governors?|"
    r"gov\.|mayors?|ambassadors?|envoys?|generals?|gen\.|admiral|commanders?|chiefs?|"
    r"directors?|officials?|officers?|aides?|advis[eo]rs?|chairm[ae]n|chairwom[ae]n|chair|"
    r"congressm[ae]n|congresswom[ae]n|lawmakers?|legislators?|attorney\s+general|"
    r"prosecutors?|judges?|justices?|diplomats?|ministers?|king|queen|emir|sheikh|"
    r"crown\s+prince|ayatollah|supreme\s+leader|chancellor|premier|deputy|undersecretary|"
    r"commissioner|inspector|sheriff|police\s+chief|administrator|regulators?|ceo|cfo|"
    r"executives?|head|leader|leaders|candidates?|nominee|frontrunner|front-runner|"
    r"campaign\s+manager|strategist|pollster|staff(?:er|ers)?|authorities|authority"
)
_INSTITUTION_WORDS = (
    r"un|u\.n\.|united\s+nations|security\s+council|ministry|department|court|government|"
    r"administration|agency|council|commission|committee|parliament|congress|senate|house|"
    r"white\s+house|pentagon|kremlin|cia|fbi|nsa|nato|eu|european\s+union|iaea|who|imf|"
    r"world\s+bank|party|campaign|university|institute|foundation|bank|company|corporation|"
    r"corp\.?|inc\.?|firm|military|army|navy|police|office|bureau|board|centre|center|"
    r"organi[sz]ation|union|association|federation|league|group|society|church|"
    r"state\s+department|justice\s+department|embassy|consulate|cabinet|regime|state|"
    r"revolutionary\s+guards?|irgc|hospital|school|club|team|fund|authority|tribunal|"
    r"think\s+tank|federal\s+reserve|fed|census\s+bureau|institution"
)
_GROUP_WORDS = (
    r"supporters|protesters|protestors|voters|republicans|democrats|residents|families|"
    r"activists|militants|rebels|fighters|members|citizens|people|americans|women|men|"
    r"students|workers|farmers|parents|conservatives|liberals|progressives|evangelicals|"
    r"donors|delegates|lawyers|doctors|scientists|economists|investors|businesses|"
    r"al[-\s]qaeda|isis|isil|islamic\s+state|hamas|hezbollah|taliban|houthis|"
    r"opposition|coalition|movement|crowd|audience|community|allies|leaders|officers|"
    r"locals|villagers|witnesses|survivors|victims|refugees|migrants|immigrants|"
    r"the\s+public|the\s+family|family|relatives|friends|colleagues|employees|staff|team|"
    r"teachers|nurses|police\s+officers|soldiers|troops|forces|they|we|both|two|three"
)
_ANONYMOUS = re.compile(
    r"\b(?:anonymity|anonymous(?:ly)?|unnamed|unidentified|not\s+authori[sz]ed|"
    r"asked\s+not\s+to\s+be\s+(?:named|identified)|declined\s+to\s+be\s+(?:named|identified)|"
    r"familiar\s+with|sources?\b|insiders?|a\s+person\s+close|people\s+close|those\s+close|"
    r"someone\s+close|one\s+official|an\s+official|a\s+senior\s+official|"
    r"officials?\s+who\s+spoke|person\s+with\s+knowledge|people\s+with\s+knowledge)",
    re.IGNORECASE,
)
# Generic, unverifiable groups: "experts", "some", "critics", "observers".
_VAGUE_HEADS = (
    r"experts?|some|many|others|critics|observers|analysts|commentators|pundits|"
    r"skeptics|sceptics|people|everyone|everybody|someone|somebody|few|most|several|"
    r"they|those|many\s+people|some\s+people|scholars|specialists|researchers|"
    r"insiders|onlookers|watchers|detractors|opponents|proponents|supporters|"
    r"conspiracy\s+theorists|rumou?rs|reports|studies|voices|circles|quarters"
)
_VAGUE = re.compile(
    r"(?:(?:some|many|most|several|other|few|certain|various|numerous|a\s+number\s+of|"
    r"a\s+lot\s+of|lots\s+of|plenty\s+of|a\s+few|not\s+all|not\s+everyone|"
    r"[a-z]+(?:al|ic|ive|ary|ent|ant|ish|ern|ous|ful|less|ed|ing))\s+){0,3}"
    rf"(?:{_VAGUE_HEADS})",
    re.IGNORECASE,
)


# "some residents", "many voters": an unnamed, uncounted share of a group.
_QUANTIFIED = re.compile(
    r"(?:some|many|several|few|most|certain|various|numerous|other|a\s+few|a\s+number\s+of)"
    r"\s+(?:[a-z-]+\s+){0,2}[a-z-]+s",
    re.IGNORECASE,
)


def _words(pattern: str) -> _Caseless:
    return _Caseless(re.compile(rf"(?<![\w.])(?:{pattern})(?![\w])", re.IGNORECASE))


# A masthead: capitalised words ending in a newspaper word ("the Valley Courier").
_MASTHEAD = re.compile(
    r"(?:[Tt]he\s+)?(?:[A-Z][\w.'\u2019-]*\s+){0,3}(?:Times|Post|Journal|Guardian|Telegraph|"
    r"Herald|Tribune|Gazette|Observer|Independent|Examiner|Chronicle|Globe|Mail|Mirror|Sun|"
    r"Express|Courier|Star|News|Bulletin|Dispatch|Inquirer|Register|Sentinel|Standard|Ledger|"
    r"Courant|Monitor|Press|Review|Reporter|Daily|Weekly|Magazine|Radio|TV|Television|Network|"
    r"Broadcasting|Agency)(?:\s+(?:of|de)\s+[A-Z][\w-]*)?"
)
_MEDIA_NAME_RE = re.compile(rf"(?<![\w.])(?:{_MEDIA_NAMES})(?![\w])|{_MASTHEAD.pattern}")
_MEDIA_WORD_RE = _words(_MEDIA_WORDS)
_DOCUMENT_RE = _words(_DOCUMENT_WORDS)
_OFFICIAL_RE = _words(_OFFICIAL_WORDS)
_INSTITUTION_RE = _words(_INSTITUTION_WORDS)
_GROUP_RE = _words(_GROUP_WORDS)
_MEDIA_NAME_CI_RE = re.compile(rf"(?<![\w.])(?:{_MEDIA_NAMES})(?![\w])", re.IGNORECASE)
_OUTLET_RE = re.compile(
    r"^(?:this|our)\s+(?:newspaper|paper|publication|site|website|magazine|outlet|"
    r"network|station|reporters?|correspondents?|editorial\s+board)$|^the\s+editorial\s+board$",
    re.IGNORECASE,
)
# Where a source phrase's head chunk ends: a relative clause, a participle, a comma...
_HEAD_END = re.compile(
    r",|\s(?:who|which|that|whose|whom|where|when)\s|\s\(|\s[-\u2013\u2014]\s|"
    # A participle opening a modifier: "documents obtained by", "a report published in".
    r"\s(?:[a-z]+ed|[a-z]+ing|written|seen|given|sent|known|shown|made|held|drawn|taken)\s"
    r"(?=(?:by|in|on|at|for|from|to|with|the|a|an|last|this|after|during|over|earlier|"
    r"yesterday|today|(?i:" + WEEKDAY + r"))\b)"
)
_PERSON_HEAD = re.compile(
    r"\b(?:member|resident|voter|supporter|fan|worker|student|man|woman|mother|father|son|"
    r"daughter|wife|husband|friend|neighbor|neighbour|witness|survivor|veteran|teacher|nurse|"
    r"doctor|lawyer|activist|donor|delegate|farmer|owner|citizen|person|individual|relative|"
    r"brother|sister|colleague|employee|protester|protestor)$",
    re.IGNORECASE,
)
_WIRE_AGENCY = re.compile(r"\b(?:press|news|wire)\s+(?:agency|service)$", re.IGNORECASE)
_PREPOSITION = re.compile(r"\s(?:of|by|in|from|about|on|at|for|with|to)\s")
_DETERMINERS = re.compile(r"^(?:the|a|an|this|that|these|those)\s+", re.IGNORECASE)

# Only ever asked whether a phrase matches: their case-folded twins answer.
_ANONYMOUS, _VAGUE, _QUANTIFIED, _OUTLET_RE, _PERSON_HEAD, _WIRE_AGENCY, _MEDIA_NAME_CI_RE = (
    _Caseless(pattern)
    for pattern in (
        _ANONYMOUS,
        _VAGUE,
        _QUANTIFIED,
        _OUTLET_RE,
        _PERSON_HEAD,
        _WIRE_AGENCY,
        _MEDIA_NAME_CI_RE,
    )
)


def head_chunk(phrase: str) -> str:
    """The words of a source phrase before a relative clause, participle or comma."""
    phrase = " ".join(phrase.split())
    found = _HEAD_END.search(phrase)
    return phrase[: found.start()].strip() if found else phrase


def source_name(phrase: str, limit: int = 18) -> str:
    """A readable name: the phrase itself, cut at a relative clause or comma when it is long."""
    clean = " ".join(phrase.split()).strip(" ,;:")
    if len(clean.split()) <= 6:
        return clean
    head = head_chunk(clean)
    named = any(word[:1].isupper() for word in head.split()[1:])
    # "A report" says little; keep the words that name whose report it is.
    if head and len(head.split()) >= 2 and (named or not _has_capital(clean[len(head) :])):
        clean = head
    else:
        cut = re.search(r",", clean)
        if cut is not None and len(clean[: cut.start()].split()) >= 2:
            clean = clean[: cut.start()]
    if len(clean.split()) > 10:
        # Cut a long name before what the source is about.
        topic = re.search(r"\s(?:about|regarding|concerning|over|on)\s", clean)
        if topic is not None and len(clean[: topic.start()].split()) >= 3:
            clean = clean[: topic.start()]
    words = clean.split()
    return " ".join(words[:limit]) if len(words) > limit else " ".join(words)


def _has_capital(text: str) -> bool:
    return any(word[:1].isupper() for word in text.split())


def is_vague(phrase: str) -> bool:
    """A generic group no reader can check: "experts", "some", "critics", "many observers"."""
    clean = " ".join(phrase.split()).strip(" ,")
    if any(char.isupper() for char in clean[1:]):
        return False
    if re.match(r"(?:the|these|those|this|that|his|her|their|its|our)\s", clean, re.IGNORECASE):
        return False  # definite reference points back to something named
    return _VAGUE.fullmatch(clean) is not None or _QUANTIFIED.fullmatch(clean) is not None


# A pure function of the phrase, asked again for every mention of a source ("he", "the
# council") and by antecedent resolution: remembering recent answers halves its calls.
@lru_cache(maxsize=4096)
def classify(phrase: str | None) -> str:
    """The source kind of a phrase (``vague`` when there is no phrase at all)."""
    if not phrase or not phrase.strip():
        return "vague"
    clean = " ".join(phrase.split()).strip(" ,")
    lowered = clean.lower()
    if _PERSON_HEAD.search(_PREPOSITION.split(clean, maxsplit=1)[0]):
        return "person"  # "a senior member of the party", "one resident"
    if lowered in PERSONAL_PRONOUNS:
        return "group" if lowered in {"they", "we"} else "person"
    if _OUTLET_RE.match(clean):
        return "outlet"
    if _ANONYMOUS.search(clean):
        return "anonymous"
    if is_vague(clean):
        return "vague"
    head = head_chunk(clean)
    head = _PREPOSITION.split(head, maxsplit=1)[0] or head
    head_body = _DETERMINERS.sub("", head)
    # The last word of the head chunk is its noun; test it before any modifier.
    last = head_body.split()[-1] if head_body.split() else head_body
    if _WIRE_AGENCY.search(head_body):
        return "media"  # "the Meridian Press Agency": a wire service, not a state agency
    for kind, pattern in (
        ("document", _DOCUMENT_RE),
        ("official", _OFFICIAL_RE),
        ("media", _MEDIA_WORD_RE),
        ("institution", _INSTITUTION_RE),
        ("group", _GROUP_RE),
    ):
        if pattern.fullmatch(last):
            if kind == "document" and _MEDIA_NAME_RE.fullmatch(head_body):
                return "media"
            return kind
    if (
        _MEDIA_NAME_RE.fullmatch(head_body)
        or _MEDIA_NAME_CI_RE.fullmatch(head_body)
        or _MASTHEAD.fullmatch(head)
    ):
        return "media"
    if _MEDIA_NAME_RE.search(head_body) and not _has_person_name(head_body):
        return "media"
    if _OFFICIAL_RE.search(head) and _has_person_name(head_body):
        return "official"  # "Council leader Martin Hale": a person holding an office
    if _INSTITUTION_RE.search(head_body) and head_body[:1].isupper():
        return "institution"
    if _OFFICIAL_RE.search(head):
        return "official"
    if _has_person_name(head_body):
        return "person"
    if _GROUP_RE.search(head):
        return "group"
    if _DOCUMENT_RE.search(head):
        return "document"
    return "person" if head_body[:1].isupper() else "group"


def speaks(phrase: str) -> bool:
    """Whether a phrase can name a speaker: a pronoun, a proper name, or a noun phrase headed
    by a person, office, organisation, outlet, group or document noun.

    ``classify`` always returns some kind, so it cannot tell a speaker from a topic; a colon
    after "The Harbour Affair" introduces a subject, after "The minister" someone's words.
    """
    clean = " ".join(phrase.split()).strip(" ,")
    if not clean:
        return False
    if clean.lower() in PERSONAL_PRONOUNS or _ANONYMOUS.search(clean) or is_vague(clean):
        return True
    head = head_chunk(clean)
    head = _PREPOSITION.split(head, maxsplit=1)[0] or head
    body = _DETERMINERS.sub("", head)
    words = body.split()
    if not words:
        return False
    last = words[-1]
    if _PERSON_HEAD.search(last) or any(
        pattern.fullmatch(last)
        for pattern in (_OFFICIAL_RE, _MEDIA_WORD_RE, _INSTITUTION_RE, _GROUP_RE, _DOCUMENT_RE)
    ):
        return True
    if (
        _MEDIA_NAME_RE.fullmatch(body)
        or _MEDIA_NAME_CI_RE.fullmatch(body)
        or _MASTHEAD.fullmatch(head)
    ):
        return True
    # A capitalised run with no article is a name ("Elena Markovic", "Reuters"); behind "the"
    # or "a" it is a title or topic ("The Harbour Affair") unless its head noun can speak.
    return body == head and clean[:1].isupper()


_NAME = re.compile(r"(?:Mr|Mrs|Ms|Dr)\.?\s+[A-Z]|[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019.-]+)+$")


def _has_person_name(text: str) -> bool:
    return _NAME.search(text) is not None


def names_kind(phrase: str) -> bool:
    """Whether a phrase's kind rests on its words (a title, a name, a group or document noun).

    ``classify`` falls back to "person" or "group" for anything else; a pronoun's antecedent
    must not be chosen on such a guess.
    """
    clean = " ".join(phrase.split()).strip(" ,")
    head = head_chunk(clean)
    body = _DETERMINERS.sub("", head)
    return (
        any(
            pattern.search(head)
            for pattern in (
                _DOCUMENT_RE,
                _OFFICIAL_RE,
                _MEDIA_WORD_RE,
                _INSTITUTION_RE,
                _GROUP_RE,
                _MEDIA_NAME_RE,
                _PERSON_HEAD,
            )
        )
        or _has_person_name(body)
        or (len(body.split()) == 1 and body[:1].isupper())
    )
