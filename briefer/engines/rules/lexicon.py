"""Attribution cue lexicon: reporting, cognition and intention verbs with their inflections."""

# Words are grouped by how they behave syntactically, because the attribution finder needs to know,
# e.g., that "told" takes a recipient before its content and that "report" is often a noun. Every
# list here is written from general English grammar, not extracted from any corpus.

from __future__ import annotations

import re
from collections.abc import Iterable

# Verbs of saying and writing.
SPEECH = """
say tell add confirm reveal report mention claim argue warn note state insist deny acknowledge
suggest write announce explain accuse allege assert declare contend maintain stress emphasize
emphasise observe remark comment reply respond answer ask tweet testify predict promise pledge
vow threaten concede admit complain criticize criticise praise urge demand propose recommend
reiterate repeat recall describe characterize dismiss reject question joke quip boast brag lament
disclose indicate estimate signal hint imply counter retort shout yell proclaim tout blame charge
caution inform assure reassure swear guarantee conclude cite quote attest recount concur
dispute contradict rebut refute protest object decry denounce condemn slam blast mock ridicule
applaud hail welcome endorse defend insinuate speculate theorize theorise posit surmise muse
grumble scoff sneer snap vent marvel gush lecture preach acknowledge apologize apologise
tease taunt chide scold rebuke reprimand berate lambaste castigate pan deride disparage
announce unveil outline detail elaborate clarify specify affirm reaffirm aver avow profess
certify verify corroborate document disclose divulge leak relay convey communicate express
voice echo pronounce decree rule order instruct direct request plead beg implore
petition invite challenge dare taunt remind notify update inform
call label dub brand thank congratulate criticize assail attack
discuss retweet
""".split()

# Thoughts, attitudes and intentions (annotated as attribution in PolNeAR-style schemes).
COGNITION = """
believe think know feel expect hope fear worry doubt suspect assume presume guess reckon
imagine consider realize realise recognize recognise understand want wish intend plan prefer
decide remember forget learn hear agree disagree regret anticipate foresee envision envisage
trust suppose deem judge conclude figure acknowledge accept appreciate sense perceive notice
show find demonstrate support oppose refuse decline seek favor favour champion
see view regard
""".split()

# Perception verbs that report a view only as "see X as Y" ("voters see the race as close"),
# not "saw the film".
AS_ONLY = frozenset("see view regard".split())

# Verbs that only report speech next to a quotation: '"...," she continued.'
QUOTE_ONLY = frozenset("continue begin start interject finish conclude chant read".split())

# Verbs with common non-reporting senses ("maintain a road", "find a seat"): cues only before
# a clause ("that ...", "whether ...", a quotation or a colon) or after a quotation.
CLAUSAL_ONLY = frozenset(
    """hear maintain demonstrate accept rule invite direct remark register deem trust
    appreciate perceive notice sense figure judge""".split()
)

# Verbs whose object is a recipient before the content: "told reporters that ...".
RECIPIENT = frozenset(
    """tell inform assure reassure remind notify brief warn advise urge ask instruct order
    direct command caution promise persuade convince invite implore beg""".split()
)

# Left out on purpose: "counsel", "brief", "command", "appeal" and "advise", whose news senses
# are mostly nouns or deeds ("general counsel", "a briefing", "commanded fees", "appealing to
# voters", "advising Pfizer on the deal"), not speech.

# Lemmas also common as nouns ("the report", "a claim"); a bare or -s form only counts as a
# cue when the context shows a verb.
NOUN_LIKE = frozenset(
    """report claim plan hope fear note comment answer reply doubt question estimate charge
    demand pledge vow promise quote tweet blame attack support guess judge order request plea
    appeal challenge dare update brief figure slam blast pan leak rule decree document echo
    voice concern record state counter protest object dispute joke quip boast lament trust
    sense notice regret cite post signal hint welcome hail outline detail command direct
    question wish count mention release suspect show find call label brand remark favor
    favour""".split()
)

# Multi-word cues (matched as phrases; inflect the first word).
PHRASES = [
    phrase.strip()
    for phrase in """point out, call for, call on, weigh in, speak out, lash out, go on to say,
    make clear, make it clear, make the case, express concern, express confidence, express hope,
    voice concern,
    raise concern, raise questions, take issue with, push back, sign off, cast doubt, shrug off,
    play down, talk about, speak about, warn against, argue against, rail against,
    come out against, come out for, refer to, put it, point to""".split(",")
]

IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote", "written", "writing"),
    "think": ("thinks", "thought", "thinking"),
    "know": ("knows", "knew", "known", "knowing"),
    "feel": ("feels", "felt", "feeling"),
    "swear": ("swears", "swore", "sworn", "swearing"),
    "hear": ("hears", "heard", "hearing"),
    "understand": ("understands", "understood", "understanding"),
    "forget": ("forgets", "forgot", "forgotten", "forgetting"),
    "foresee": ("foresees", "foresaw", "foreseen", "foreseeing"),
    "speak": ("speaks", "spoke", "spoken", "speaking"),
    "go": ("goes", "went", "gone", "going"),
    "make": ("makes", "made", "making"),
    "take": ("takes", "took", "taken", "taking"),
    "come": ("comes", "came", "coming"),
    "cast": ("casts", "cast", "casting"),
    "learn": ("learns", "learned", "learnt", "learning"),
    "shrug": ("shrugs", "shrugged", "shrugging"),
    "leak": ("leaks", "leaked", "leaking"),
    "forecast": ("forecasts", "forecast", "forecasted", "forecasting"),
    "lead": ("leads", "led", "leading"),
    "seek": ("seeks", "sought", "seeking"),
    "put": ("puts", "put", "putting"),
    "show": ("shows", "showed", "shown", "showing"),
    "see": ("sees", "saw", "seen", "seeing"),
    "find": ("finds", "found", "finding"),
    "read": ("reads", "read", "reading"),
}
# Final consonant doubles before -ed/-ing.
_DOUBLING = frozenset(
    """admit regret commit rebut quip plan prefer refer omit snap stop chat drop brag scrap
    scan dub slam pan bar label""".split()
)

# Auxiliaries and adverbs that belong to the cue ("has also said", "did not deny").
AUXILIARIES = (
    "has|have|had|is|are|was|were|will|would|could|can|may|might|must|should|shall|did|does|do|"
    "'s|\u2019s|'ve|\u2019ve|'d|\u2019d|"
    + "|".join(
        f"{word}{mark}t"
        for word in "did do does would could should is was has have had are were n ca wo".split()
        for mark in ("n'", "n\u2019")
    )
)
CUE_ADVERBS = (
    "also|later|previously|repeatedly|recently|once|often|then|now|publicly|privately|"
    "reportedly|earlier|initially|already|long|since|never|always|even|still|again|further|"
    "quickly|specifically|explicitly|openly|first|just|simply|only|flatly|firmly|strongly|"
    "frequently|routinely|falsely|wrongly|correctly|rightly|allegedly|apparently|not|n't|"
    "emphatically|angrily|bluntly|candidly|confidently|sarcastically|jokingly|famously|"
    "subsequently|eventually|ultimately|finally|separately|additionally|likewise|similarly|"
    "consistently|herself|himself|themselves|itself|personally|actually|clearly|certainly"
)


def inflections(lemma: str) -> tuple[str, ...]:
    """The base form and its -s, -ed and -ing forms (regular rules plus a small irregular table)."""
    if lemma in IRREGULAR:
        return (lemma, *IRREGULAR[lemma])
    if lemma.endswith("y") and lemma[-2:-1] not in tuple("aeiou"):
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    if lemma.endswith("ee"):
        return (lemma, lemma + "s", lemma + "d", lemma + "ing")
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    if lemma in _DOUBLING:
        return (lemma, lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing")
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return (lemma, lemma + "es", lemma + "ed", lemma + "ing")
    return (lemma, lemma + "s", lemma + "ed", lemma + "ing")


# Attitudes stated with a copula: "she is skeptical of", "they were confident that".
ATTITUDES = [
    phrase.strip()
    for phrase in """critical of, skeptical of, sceptical of, concerned about, concerned that,
    worried about, worried that, confident that, convinced that, sure that, certain that,
    aware of, aware that, proud of, angry about, angry at, upset about, unhappy with,
    happy with, satisfied with, opposed to, in favor of, in favour of, optimistic about,
    pessimistic about, hopeful that, eager to, determined to, reluctant to, unwilling to,
    willing to""".split(",")
]


# Adverbs that attribute a clause to unnamed reports: "The firm is reportedly in talks".
HEARSAY = ("reportedly",)


def _form_table() -> dict[str, str]:
    table: dict[str, str] = {word: word for word in HEARSAY}
    for lemma in dict.fromkeys([*SPEECH, *COGNITION, *QUOTE_ONLY]):
        for form in inflections(lemma):
            table.setdefault(form, lemma)
    for phrase in ATTITUDES:
        table.setdefault(phrase, phrase)
    for phrase in PHRASES:
        first, _, rest = phrase.strip().partition(" ")
        for form in inflections(first):
            table.setdefault(f"{form} {rest}", phrase.strip())
    return table


# Surface form -> lemma (or the phrase's base form).
FORMS: dict[str, str] = _form_table()


def trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation factored as a prefix trie, so matching does not try every word."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(sorted(branches)) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def _spaced(pattern: str) -> str:
    # Phrases may be broken by any whitespace (line wraps, non-breaking spaces).
    return pattern.replace(r"\ ", r"\s+")


# A cue verb (or phrase) as a whole word.
CUE_RE = re.compile(
    r"(?<![\w'\u2019-])(?:" + _spaced(trie_pattern(FORMS)) + r")(?![\w-])", re.IGNORECASE
)
# "according to" and its relatives introduce a source, not a verb. (", citing X" is the
# subject's verb: what it cites is mostly a reason or a figure, not who speaks.)
ACCORDING_RE = re.compile(
    r"(?<!\w)(?:according\s+to|as\s+reported\s+by|as\s+cited\s+by|in\s+the\s+words\s+of)"
    r"(?=\s)",
    re.IGNORECASE,
)
# Passive attribution with no source: "it was reported that", "it is believed that".
PASSIVE_RE = re.compile(
    r"(?<!\w)it\s+(?:is|was|has\s+been|had\s+been|will\s+be|would\s+be)\s+(?:widely\s+|now\s+"
    r"|also\s+|generally\s+)?(?:said|reported|believed|thought|claimed|alleged|rumou?red|"
    r"understood|expected|feared|estimated|argued|suggested|known|learned|announced|"
    r"confirmed|revealed|assumed|widely\s+believed)(?=\s+that\b|\s*,)",
    re.IGNORECASE,
)


def lemma_of(form: str) -> str:
    return FORMS.get(" ".join(form.lower().split()), form.lower())
