"""Cue patterns for outlet-voice framing: unattributed assertions, speculation, headings."""

# Written from general knowledge of news style, like the loaded terms (see loaded_lexicon.py):
# nothing here is extracted from an evaluation corpus.

from __future__ import annotations

from briefer.engines.rules.loaded_lexicon import entries, verb_forms

# ---- unattributed evaluative assertions -----------------------------------------------------

# Goals that, ascribed without attribution ("tried to falsify"), read a motive into an action;
# neutral goals ("tried to reach a deal") are left alone.
MOTIVE_GOALS = """
appropriate falsify hide conceal cover whitewash rewrite distort discredit undermine sabotage
derail blame deflect distract divert exploit capitalize capitalise cash score curry smear
silence muzzle intimidate bully manipulate mislead deceive justify excuse downplay minimize
minimise obscure muddy spin claim take steal grab hijack usurp rig game weaken erode dismantle
destroy crush suppress stifle obstruct shield save salvage paper gloss shift sow stoke inflame
provoke incite legitimize legitimise normalize normalise rehabilitate annex dominate impose
coerce pressure appease placate pander court woo portray paint frame present pass blur extend
consolidate entrench cement tighten monopolize monopolise control export infiltrate
"""

PRESCRIPTIVE = "prescribes what ought to happen"

# Each group: a short reason used in notes, and regex fragments (lower case, matched
# case-insensitively at word boundaries).
ASSERTION_CUES: dict[str, tuple[str, ...]] = {
    "asserts motive or intent": (
        r"(?:(?:has|have|had) been |(?:is|are|was|were) )?(?:tr(?:y|ies|ied|ying)|seek(?:s|ing)?|"
        r"sought|attempt(?:s|ed|ing)?|striv(?:e|es|ed|ing)|scrambl(?:e|es|ed|ing)) to "
        r"(?:" + "|".join(MOTIVE_GOALS.split()) + r")",
        r"(?:is|are|was|were) desperate to",
        r"in (?:a|an) (?:bid|attempt|effort|ploy|apparent attempt|apparent bid) to",
        r"calculated to",
        r"(?:under|on) the pretext of",
        r"with the (?:aim|goal|intention|purpose) of",
        r"(?:hoping|aiming|seeking|looking) to (?:win|curry|score|deflect|distract|divert|shore|"
        r"bolster|appease|rally|mask|hide|conceal|exploit|gain|cash|capitali[sz]e)",
        r"curry(?:ing)? favou?r",
        r"score political points",
        r"at the expense of",
    ),
    "asserts causation or influence": (
        r"play(?:s|ed|ing)? (?:a|an|the) (?:most )?(?:key|major|important|crucial|pivotal|"
        r"central|significant|decisive|prominent|leading|vital|big|large|instrumental|"
        r"critical|essential|main|primary|huge|dominant) role",
        r"(?:is|are|was|were|has been|have been) (?:heavily |deeply |strongly )?"
        r"(?:influenced|driven|fuel(?:l)?ed|inspired|shaped|dictated|orchestrated|"
        r"engineered|masterminded) by",
        r"which (?:makes|made|proves|proved|confirms|confirmed|demonstrates|demonstrated)",
        r"paved? the way for",
        r"paving the way for",
        r"(?:is|was|are|were) (?:to blame|responsible) for",
        r"(?:thanks|owing) to",
        r"as a (?:direct )?(?:result|consequence) of",
        r"(?:fuel(?:l)?ed|sparked|triggered|unleashed|emboldened|bankrolled) (?:the|a|an|by)",
        r"hence",
        r"the (?:real|true|underlying) (?:reason|motive|goal|aim|purpose|agenda)",
    ),
    "states a judgement as fact": (
        r"obviously",
        r"undoubtedly",
        r"unquestionably",
        r"undeniably",
        r"indisputably",
        r"of course",
        r"needless to say",
        r"no doubt",
        r"without (?:a )?doubt",
        r"it is (?:clear|obvious|evident|undeniable|no secret|no surprise|telling|ironic) "
        r"(?:that|how|why)?",
        r"(?:the|a) (?:fact|truth|reality) (?:is|remains) that",
        r"in reality",
        r"in truth",
        r"make no mistake",
        r"there is no (?:doubt|question|denying)",
        r"(?:is|are|was|were) nothing (?:but|more than|less than|short of)",
        r"(?:is|are|was|were) (?:merely|just|little more than) (?:a|an|the)",
        r"not seasonal",
        r"(?:a|the) (?:permanent|strategic|historic|historical|ideological) "
        r"(?:relationship|alliance|partnership|bond|ties)",
        r"(?:historical|ideological|strategic) (?:and|as well as) (?:historical|ideological|"
        r"strategic|political)",
    ),
    PRESCRIPTIVE: (
        r"(?:should|shouldn['\u2019]t|ought to|ought not to) "
        r"(?!(?:be [a-z]+(?:ed|en|wn|ne|lt|pt|ught)|be (?:ready|available|open|closed)|have|now)"
        r"\b)[a-z]+",
        r"(?:needs|need) to (?:stop|start|end|be held|be stopped|be removed|wake up|face|"
        r"answer|resign|go|step down|listen|learn|admit|realize|realise|understand)",
        r"it is (?:time|high time) (?:to|for|that)",
    ),
    "uses an intensified evaluation": (
        r"(?:extremely|deeply|utterly|wildly|grossly|woefully|hugely|incredibly|remarkably|"
        r"staggeringly|shockingly|astonishingly|painfully|patently|blatantly|profoundly|"
        r"thoroughly|truly|exceptionally|insanely|terribly|horribly|fantastically|"
        r"spectacularly|dangerously|alarmingly|sorely|badly|vastly) "
        r"(?!(?:\d|percent|per cent|more|less|than|the|a|an|to|in|on|at|of|and|or|that|this|"
        r"with|for|by|from|into|as|about|held|needed|divided)\b)[a-z][a-z-]+",
        r"(?:much|far|ever) (?:stronger|weaker|worse|better|more dangerous|more powerful)",
        r"the (?:most|least) (?:prominent|dangerous|powerful|important|significant|notorious|"
        r"infamous|effective|experienced|capable|brutal|extreme|radical|corrupt|reckless)",
        r"(?:the )?(?:worst|best|greatest|biggest) [a-z]+ (?:ever|in (?:history|decades|"
        r"years|memory|a generation))",
    ),
}

# Hedged predictions and guesses in the outlet's voice.
SPECULATION_CUES: tuple[str, ...] = (
    r"(?:is|are|was|were|seems|seem|appears|appear) (?:very |highly |more |most |less )?"
    r"(?:likely|unlikely|poised|bound|destined) to",
    r"(?:it|this|that|which) (?:seems|appears|looks|would seem|would appear)",
    r"(?:seems|seem|seemed|appears|appear|appeared) to (?:be|have)",
    r"may well",
    r"might well",
    r"could well",
    r"(?:could|might|may) (?:soon |eventually |ultimately |yet |also |even |easily )?"
    # "could be built" is a passive possibility, not a guess; "could not" and "could have"
    # report the past, and "could see/hear" after a person is perception, not prediction.
    r"(?:be(?! [a-z]+(?:ed|en|wn|ne|lt|pt|ught)\b)|(?!be\b|not\b|have\b|see\b|hear\b|"
    r"feel\b|tell\b|only\b|also\b|no\b|never\b)[a-z]{2,})\b",
    r"perhaps",
    r"possibly",
    r"probably",
    r"presumably",
    r"apparently",
    r"arguably",
    r"conceivably",
    r"in all likelihood",
    r"(?:would|will) (?:likely|probably|almost certainly|surely)",
    r"(?:it is|it's) (?:possible|likely|plausible|conceivable|probable) that",
    r"(?:it )?remains to be seen",
    r"only time will tell",
    r"(?:the|a) (?:likely|probable) (?:outcome|result|scenario|consequence)",
)

# ---- headings ---------------------------------------------------------------------------------

# Section labels that organise rather than assert ("Background", "What happens next").
NEUTRAL_HEADING_WORDS = frozenset(
    """background context analysis summary overview introduction conclusion conclusions timeline
    related reaction reactions response responses update updates correction corrections details
    history faq advertisement photos video watch listen notes sources source references what
    what's next happens key points facts glance brief numbers more read see also share editor's
    note q&a""".split()
)

# Third-person finite verbs common in headlines ("Iran increases support for ...").
HEADLINE_VERBS = """
crack_down clamp_down increase decrease boost raise cut slash back reject accept deny admit warn
threaten vow pledge promise plan seek push urge demand call slam blast attack accuse blame claim
say tell reveal expose show prove confirm signal mark open close end launch begin start halt
stop block ban fine sue charge arrest jail sentence convict kill strike hit hurt help win lose
gain fail defeat beat lead join quit leave resign fire hire name appoint elect pick support fund
finance arm train host shelter harbor harbour protect defend shield hide cover expand extend
grow shrink drop fall rise soar plunge surge jump climb sink crash collapse recover rebuild
revive restore strengthen weaken undermine erode target court woo snub spurn appropriate exploit
use manipulate play steal grab seize take make turn move shift step face fear eye mull weigh
consider probe investigate examine review order approve pass sign veto ignore double triple
halve hike lift ease tighten loosen scrap axe ditch dump abandon reverse overturn overhaul
revamp unveil roll_out roll_back water_down shelve delay stall derail torpedo bury defy flout
dodge evade escape duck dismiss brush_off shrug_off mock ridicule humiliate embarrass shame
unmask betray desert miss outpace outstrip overtake dominate crush rout trounce sweep storm
take_over annex invade occupy bomb shell raid besiege blockade starve squeeze pressure force
compel coerce bully intimidate silence gag muzzle censor detain persecute purge oust topple sack
remove replace hijack abuse misuse squander waste loot plunder rob cheat lie mislead deceive
spin whitewash confess apologise apologize backtrack u-turn cave fold bow yield surrender
retreat escalate intensify ramp step_up stoke fuel inflame ignite spark trigger provoke unleash
deepen widen worsen harm damage endanger jeopardize jeopardise sabotage cripple paralyze
paralyse doom
"""

# Words that make a short heading evaluative even without a verb.
HEADING_EVALUATIVE = """
ideological strategic secret hidden dangerous deadly sinister shadowy covert unholy alliance
collusion complicity scandal crisis failure failed victory triumph defeat betrayal deception
lies myth truth real hypocrisy plot conspiracy scheme ploy game card gamble grip hand war
"""

GERUND_NOT_VERB = frozenset(
    """meeting building hearing briefing funding spending ruling morning evening wedding
    training offering housing clothing ceiling warning setting finding findings earnings
    beginning ending opening landing bombing shooting killing killings uprising
    gathering reading writing understanding proceedings something nothing anything
    everything thing king ring spring string sibling lightning pudding feeling during""".split()
)
PARTICIPLE_NOT_VERB = frozenset(
    """united red bed need seed feed speed deed shed bread head dead lead bled hundred
    kindred sacred naked wicked rugged ragged aged learned beloved alleged""".split()
)


def headline_verb_forms() -> set[str]:
    forms: set[str] = set()
    for lemma in entries(HEADLINE_VERBS):
        forms |= {form for form in verb_forms(lemma) if form != lemma}
    return forms


# ---- someone else's words ---------------------------------------------------------------------

# Words that open a clause carrying on an attributed claim (", which ...", ", adding ...").
CONTINUATION_OPENERS = r"""
which who whom whose where including citing saying adding noting arguing claiming insisting
warning calling describing accusing urging suggesting stressing explaining referring
pointing\s+out according\s+to
"""

# A crediting headline names its source in the first few words ("Port auditors find ...").
MAX_HEADLINE_SOURCE_WORDS = 6

# Neutral reporting verbs that credit a headline's content to its subject. Characterising
# verbs ("slams", "admits") stay the outlet's choice and are not here.
HEADLINE_REPORTING_VERBS = frozenset(
    """say says find finds warn warns report reports claim claims suggest suggests show shows
    reveal reveals predict predicts urge urges allege alleges argue argues tell tells ask asks
    confirm confirms deny denies estimate estimates conclude concludes believe believes fear
    fears expect expects demand demands question questions doubt doubts blame blames accuse
    accuses call calls insist insists contend contends indicate indicates""".split()
)

# "calls off", "asks out": the verb is an action, not speech.
PARTICLES_NOT_SPEECH = frozenset("off out up down away over in".split())
DETERMINERS = frozenset("a an the this that these those its his her their our my your".split())

# Words that cannot sit in a headline's subject before its reporting verb: auxiliaries and
# joining words (the headline's own verbs are added where this is used).
HEADLINE_AUXILIARIES = frozenset(
    """is are was were be been being will would can could may might should must shall has
    have had do does did not to after before as if when while amid despite""".split()
)

# Nouns naming a source, for headlines such as "Audit: ..." or "... : economists".
SOURCE_NOUNS = frozenset(
    """report reports study studies poll polls survey surveys audit audits auditor auditors
    police official officials source sources expert experts analyst analysts court courts
    judge judges prosecutor prosecutors researcher researchers scientist scientists doctor
    doctors witness witnesses lawyer lawyers minister ministry spokesman spokeswoman
    spokesperson journalist journalists economist economists inquiry probe
    investigators regulator regulators un who imf nato""".split()
)

_CREDIT_VERBS = (
    r"(?:says?|said|warns?|finds?|reports?|claims?|suggests?|shows?|argues?|tells?|predicts?|"
    r"believes?|fears?|estimates?)"
)
# "..., officials say", "... - study finds", "..., says the mayor", "...: economists".
TRAILING_CREDIT = (
    r"(?:,|\s[\u2014\u2013-])\s*(?:[\w.'\u2019-]+\s+){0,5}" + _CREDIT_VERBS + r"\s*$"
    r"|,\s*" + _CREDIT_VERBS + r"\s+[^,:]{1,50}$"
    r"|:\s*(?:[\w.'\u2019-]+\s+){0,4}(?:" + "|".join(sorted(SOURCE_NOUNS)) + r")\s*$"
)


# ---- reported attitudes, approximations and the newsroom's own voice ---------------------------

# A modal after these reports someone's expectation ("fears that the strike could spread"),
# not the outlet's own guess.
ATTITUDE_CONTEXT = (
    r"(?:concerns?|concerned|fears?|feared|worr(?:y|ies|ied)|hopes?|hoped|expectations?|"
    r"expects?|expected|warnings?|believes?|believed|beliefs?|thinks?|thought|predictions?|"
    r"speculation|doubts?|suspicions?|suspects?|suspected|optimism|pessimism|confidence|"
    r"confident|anxiety|anxious|nervous) (?:that|of)"
)
# "perhaps 15 stories tall", "possibly as many as 200": an estimate, not a prediction.
APPROXIMATION = (
    r"(?:perhaps|possibly|probably) (?:as (?:many|much|few|little) as |about |around |some |"
    r"up to |more than |fewer than |less than )?\$?\d"
)
# A modal inside a subordinate clause opened by one of these is a purpose, a time or an
# embedded question ("so that they could buy", "before a vote could be held", "who might
# replace him"), not a forecast.
EMBEDDING_OPENERS = r"(?:so that|so|before|until|unless|whether|how|what|whatever|who|whom|where)"

# First person that is the newsroom at work, not the writer's opinion ("my colleagues report",
# "told us", "we spoke with").
NEWSROOM_FIRST_PERSON = (
    r"(?:my|our) (?:colleagues?|reporters?|correspondents?|newsroom|readers?|listeners?|"
    r"viewers?|audience|coverage|reporting|sister|partners?|newsletter|podcast|guests?|show|"
    r"program|programme|site|website|team|staff|photographers?|editors?|analysis|poll|survey|"
    r"investigation|sources?)"
    r"|(?:tell|told|tells|telling|contact|email|e-mail|follow|join|write to|send|reach|reached|"
    r"asked|contacted|sign up|subscribe to|listen to|watch|wrote to|emailed|confirmed to) us"
    r"|[Ww]e (?:speak|spoke|talk|talked|asked|reached|contacted|interviewed|obtained|reviewed|"
    r"analy[sz]ed|examined|reported|have reported|will update|updated|are tracking|will keep|"
    r"have asked|have reached|have contacted|were unable|could not reach|could not confirm|"
    r"cannot confirm|have not confirmed|have not independently)"
)
