"""Loaded-language word lists for outlet-voice framing, and the inflected forms they match."""

# Written from general knowledge of news style guides (terms that "editorialise": charged nouns,
# characterising speech verbs, evaluative adjectives and adverbs). Entries are lemmas; the
# ``*_forms`` helpers add inflections, and over-generated non-words are harmless because they
# never match real text. Terms that are neutral in ordinary wire copy ("attack", "terrorist",
# "major", "liberal") are left out on purpose: they would flood neutral reporting with false
# alarms. Nothing here is extracted from an evaluation corpus; words first met while reading
# gold annotations to learn their conventions were taken out again, so measured scores stay
# honest.

from __future__ import annotations

from collections.abc import Iterable

# Speech verbs that characterise how something was said; the outlet chooses them even when the
# words that follow are someone else's.
LOADED_SPEECH_VERBS = """
insist admit tout downplay boast dodge duck sidestep evade deflect skirt backtrack walk_back
slam blast lambaste lambast lash_out rail_against rail rant fume seethe gloat brag whine whinge
gripe moan bleat sneer scoff berate scold harangue hector assail excoriate castigate savage
skewer eviscerate trash bash rip_into tear_into snipe snap bark growl bristle balk thunder spew
spout parrot regurgitate trumpet hawk peddle hype brag_about boast_about purport pontificate
sermonise sermonize grandstand posture whitewash gloss_over stonewall flip-flop backpedal dig_in
cave cave_in capitulate kowtow grovel fawn pander cozy_up suck_up grouse carp harrumph sputter
bellow hiss snarl smirk opine gush jab needle goad upbraid admonish badger waffle equivocate
obfuscate
"""

LOADED_VERBS = """
plot scheme connive machinate manipulate exploit hijack usurp grab plunder pillage ravage wreak
unleash falsify fabricate distort twist misrepresent doctor rig fudge cover_up hush_up brainwash
indoctrinate radicalise radicalize incite stoke inflame foment whip_up stir_up fearmonger
weaponise weaponize politicise politicize demonise demonize vilify smear slander libel defame
bully intimidate strong-arm browbeat bulldoze ram_through railroad steamroll steamroller muzzle
gag crush quash stifle trample persecute oppress subjugate terrorise terrorize brutalise
brutalize butcher deceive mislead dupe hoodwink swindle scam bilk fleece gouge squander fritter
bungle botch flub blunder fumble mishandle mismanage wreck sabotage torpedo derail gut decimate
obliterate annihilate eviscerate prop_up cling cling_to lurch flail flounder scurry cower renege
betray backstab sell_out flout defy thumb_one's_nose stoke_fears sow_discord sow_division
run_roughshod bully_into squirrel_away barge muscle pounce_on jump_on latch_onto ram hurl lob
lash_back swipe_at take_aim_at go_after pile_on brush_off brush_aside shrug_off wave_off
laugh_off wriggle_out weasel_out squirm stonewall tiptoe_around gloss_over paper_over
double-cross bamboozle rope_in arm-twist blindside sucker-punch upstage trounce clobber thrash
drub rout humiliate demolish shred crucify pillory hound harass badger swoop pummel tank crater
nosedive
"""

LOADED_NOUNS = """
regime propaganda propagandist mouthpiece puppet stooge crony cronyism henchman thug goon zealot
fanatic fanaticism demagogue demagoguery despot despotism tyrant tyranny cabal clique mob horde
rabble cult scheme ploy stunt charade farce sham hoax scam falsehood smear smear_campaign
con_job hit_job hatchet_job witch_hunt witch-hunt power_grab land_grab cash_grab slush_fund
boondoggle handout giveaway pork_barrel fiasco debacle catastrophe meltdown mayhem bloodbath
onslaught crusade vendetta tirade rant diatribe screed tantrum temper_tantrum gaffe spectacle
circus feeding_frenzy firestorm brouhaha kerfuffle bombshell smoking_gun apologist shill lackey
minion flunky toady sycophant traitor treachery turncoat sellout hypocrite hypocrisy bigot
bigotry xenophobe xenophobia ideologue agitator provocateur rabble-rouser firebrand kleptocracy
kleptocrat atrocity aggressor indoctrination brainwashing whitewash cover-up hand-wringing
pearl-clutching virtue_signalling virtue_signaling snowflake elitist elites fearmongering
fear-mongering scaremongering scaremonger doublespeak spin_doctor spin_machine media_machine
talking_point talking_points flip-flop u-turn climbdown capitulation appeasement blunder
incompetence ineptitude debauchery decadence nepotism favouritism favoritism grandstanding
posturing pandering obstructionism obstructionist nanny_state big_government death_panel
job-killer job_killer tax-and-spend infestation swarm flood_of terror_regime puppet_master
ringleader lapdog attack_dog hatchet_man bagman cheerleader tongue-lashing dressing-down
broadside salvo jeremiad philippic melodrama soap_opera three-ring_circus clown_show
dumpster_fire train_wreck trainwreck shambles omnishambles quagmire morass cesspool
swamp_creatures drain_the_swamp
"""

LOADED_ADJECTIVES = """
so-called self-styled self-proclaimed self-appointed wannabe notorious infamous brazen blatant
flagrant egregious outrageous shameless shameful disgraceful disgraced despicable deplorable
reprehensible vile heinous abhorrent odious sinister nefarious insidious devious shady dubious
murky corrupt crooked rogue reckless irresponsible incompetent inept hapless clueless feckless
spineless cowardly craven fringe fanatical rabid hysterical unhinged deranged crazed insane
lunatic bizarre absurd ridiculous ludicrous laughable preposterous nonsensical farcical pathetic
lame dismal disastrous catastrophic calamitous horrific horrendous horrible terrible awful
dreadful atrocious shocking stunning staggering astonishing astounding jaw-dropping
mind-boggling explosive divisive polarising polarizing inflammatory incendiary toxic poisonous
draconian brutal savage ruthless merciless vicious cruel barbaric barbarous bloodthirsty
murderous oppressive repressive dictatorial tyrannical despotic illegitimate phony phoney fake
fraudulent spurious baseless unfounded groundless misleading deceptive dishonest disingenuous
duplicitous hypocritical cynical self-serving opportunistic one-sided slanted elitist
out-of-touch tone-deaf scandal-plagued scandal-ridden scandal-hit crisis-ridden botched bungled
doomed ill-fated ill-advised ill-conceived misguided wrongheaded foolish stupid idiotic dumb
naive gullible arrogant smug pompous condescending patronising patronizing bombastic brash
abrasive combative belligerent bellicose prickly petulant vitriolic venomous scathing withering
blistering fiery stinging relentless heroic courageous valiant visionary iconic legendary
beloved revered acclaimed brilliant stellar towering whopping astronomical crippling punishing
sky-high exorbitant lavish extravagant bloated wasteful mammoth gargantuan alarming troubling
disturbing worrying chilling ominous dire bleak menacing helpless defenseless defenceless mere
meager meagre paltry measly scant lacklustre lackluster mediocre shoddy sloppy haphazard
dysfunctional mercurial erratic impulsive thin-skinned vindictive petty vengeful racist sexist
bigoted xenophobic misogynist misogynistic homophobic hateful anti-american un-american
unpatriotic treasonous traitorous seditious subversive left-wing_radical fascistic woke
globalist heavy-handed high-handed knee-jerk half-baked cockamamie harebrained hare-brained
crackpot wacky kooky loony nutty zany outlandish fanciful far-fetched delusional paranoid
fevered frenzied frantic humiliating humiliated embarrassing embarrassed scandalous sordid seedy
sleazy slimy smarmy unscrupulous underhanded underhand cunning wily crafty sly shrewd
manipulative predatory exploitative rapacious greedy avaricious venal grasping parasitic cushy
punitive mean-spirited heartless callous cold-hearted soulless inhumane unconscionable
indefensible inexcusable unforgivable unacceptable intolerable unbearable untenable
unsustainable irredeemable hopeless pointless senseless needless gratuitous wanton cavalier
flippant glib dismissive contemptuous scornful disdainful derisive sneering snide sarcastic
caustic acerbic acrimonious rancorous nasty ugly dirty mudslinging cutthroat dog-eat-dog lowly
feeble flimsy tepid anemic anaemic moribund decrepit crumbling rotten rotting festering seething
shaky wobbly flawed floundering faltering sputtering monumental epic seismic blockbuster
startling sensational vaunted storied fabled much-hyped much-touted much-maligned long-suffering
tireless fearless audacious daring gutsy feisty scrappy plucky unapologetic unabashed
unrepentant zealous dyed-in-the-wool card-carrying rock-ribbed firebrand strident shrill
hyperbolic overblown overheated breathless histrionic melodramatic apocalyptic alarmist
sensationalist grandiose lofty triumphant triumphal jubilant gleeful giddy ecstatic euphoric
elated fantastic terrific magnificent splendid superb marvellous marvelous glorious phenomenal
impressive illustrious distinguished venerable hallowed coveted rarefied opulent posh swanky
glitzy flashy gaudy tawdry cheap cheesy tacky squalid filthy grubby gritty hardscrabble bruised
scarred haunted tormented heartbreaking heart-wrenching gut-wrenching harrowing terrifying
horrifying sickening disgusting revolting repugnant repulsive obscene grotesque monstrous evil
wicked diabolical demonic satanic ungodly godless immoral amoral unethical depraved perverse
degenerate debased decadent corrupting cheating fearsome mighty powerful-sounding swaggering
cocky bullish jingoistic chauvinistic warmongering ghoulish narcissistic megalomaniacal
demagogic psychotic sociopathic moronic asinine inane vapid banal juvenile childish infantile
puerile sophomoric whiny thuggish tyrannous hateful spiteful malicious malevolent mendacious
scurrilous slanderous libellous libelous defamatory salacious lurid tawdry prurient obscene
obstinate truculent pugnacious touchy peevish cranky grumpy irritable ornery apoplectic
"""

# Insults and epithets for people and groups.
LOADED_EPITHETS = """
egomaniac narcissist megalomaniac crook liar idiot moron clown buffoon charlatan huckster
grifter con_man conman fraudster coward loser hack creep sleazeball scumbag lowlife deadbeat
freeloader moocher parasite leech bootlicker sycophant yes-man crybaby whiner snowflake troll
hatemonger warmonger fearmonger racists sexists bigots zealots fanatics nut_job nutjob crackpot
kook lunatic madman maniac psychopath sociopath tyrants despots thugs goons
"""

# Partisan buzzwords: each side's shorthand that carries its verdict with it.
LOADED_BUZZWORDS = """
politically_correct political_correctness cancel_culture mainstream_media lamestream_media
lamestream open_borders illegals illegal_aliens illegal_alien anchor_babies anchor_baby
chain_migration death_tax job-killing job-killer socialized_medicine government_takeover
tax_cuts_for_the_rich tax_breaks_for_the_wealthy tax_cuts_for_the_wealthy corporate_greed
big_pharma big_oil war_on_women gun_grabbers gun_grabber pro-abortion anti-life baby_killers
deep_state radical_left radical_right alt-left libtard libtards snowflakes rinos rino trumpers
never-trumpers globalists elitists sjw sjws social_justice_warrior social_justice_warriors
virtue-signaling virtue-signalling gaslighting gaslight orwellian dystopian kafkaesque
mccarthyite mccarthyism witch-hunts war_on_christmas war_on_coal nanny-state welfare_queen
welfare_queens handouts entitlement_mentality bleeding-heart bleeding_hearts tree-huggers
tree_huggers climate_alarmists climate_deniers climate_denier science_deniers flat-earthers
conspiracy_theorists tinfoil
"""

# Adverbs that carry a judgement; adjectives above also get "-ly" forms generated.
LOADED_ADVERBS = """
notoriously brazenly blatantly flagrantly shamelessly recklessly grossly woefully sorely
conveniently curiously suspiciously ironically predictably unsurprisingly tellingly pointedly
bizarrely outrageously absurdly desperately frantically furiously defiantly falsely wrongly
wrongfully mistakenly baselessly dubiously cynically deliberately knowingly supposedly
purportedly ostensibly shockingly staggeringly astonishingly incredibly unbelievably
ridiculously laughably embarrassingly disgracefully stubbornly obstinately grudgingly
begrudgingly reluctantly sheepishly smugly arrogantly condescendingly viciously ruthlessly
mercilessly brutally savagely callously heartlessly wildly harshly unapologetically crudely
vulgarly rudely hastily hurriedly sneakily
"""

# Fixed idioms an outlet uses to characterise rather than report.
LOADED_PHRASES = """
in hot water
on the warpath
fanning the flames
fan the flames
add fuel to the fire
added fuel to the fire
poured cold water
pour cold water
threw cold water
throw cold water
turned a blind eye
turn a blind eye
turns a blind eye
swept under the rug
sweep under the rug
swept under the carpet
a slap in the face
slap in the face
slap on the wrist
the last straw
rubber-stamp
rubber stamp
knee-jerk reaction
out of touch
tone deaf
head in the sand
bury their heads
buried their heads
lashed out
lashing out
lashes out
threw under the bus
thrown under the bus
throw under the bus
shot himself in the foot
shot herself in the foot
in the pocket of
bought and paid for
blood on their hands
blood on his hands
blood on her hands
dog whistle
dog-whistle
red meat
the elephant in the room
gravy train
cash cow
cash grab
political football
political theater
political theatre
publicity stunt
smoke and mirrors
whipping boy
scapegoat
scapegoats
scapegoated
scapegoating
pie in the sky
house of cards
iron fist
iron-fisted
reign of terror
killing machine
war machine
propaganda machine
media machine
crocodile tears
lip service
paid lip service
pays lip service
hollow promises
empty promises
empty rhetoric
hot air
fig leaf
trojan horse
"""

# ---- descriptive terms ----------------------------------------------------------------------

# Graded out of the loaded lists: words with a plain denotation that straight wire copy uses to
# classify or measure, so on their own they carry no verdict of the outlet's. Speech verbs that
# name the kind of speech act ("mocked", "decried") are descriptive; those that judge its truth,
# honesty or motive ("admitted", "insisted", "touted", "downplayed") stay loaded. Ideology and
# movement labels ("far-right", "militant", "extremist" for an armed group), kinds of
# government ("junta", "authoritarian"), sizes and rates ("huge", "soaring"), the reported mood
# of people ("furious", "grieving"), standard descriptions of events and situations ("chaotic",
# "embattled") and the plain names of crimes ("embezzle", "treason"). They are matched so the
# grade is explicit, and reported only when their context makes them a verdict: an intensifier
# before them ("dangerously radical") or a pejorative head after them ("radical agenda").
DESCRIPTIVE_SPEECH_VERBS = """
decry deride mock ridicule bemoan lament taunt jeer chide fire_back hit_back shoot_back
"""

DESCRIPTIVE_VERBS = """
crack_down clamp_down massacre slaughter infiltrate censor rampage scramble falter upend
embezzle extort blackmail bribe siphon defraud loot conspire collude stalk
"""

DESCRIPTIVE_NOUNS = """
extremist extremism extremists radical radicals dictator dictatorship autocrat autocracy
strongman warlord junta oligarch hardliner hard-liner militant militants aggression mullahs
ayatollahs chaos carnage outrage uproar furor furore disaster collaborator graft racketeering
kickback treason alt-right far_left far_right conservative conservatives
"""

DESCRIPTIVE_ADJECTIVES = """
far-left far-right hard-left hard-right ultra-conservative ultraconservative ultra-liberal
ultra-nationalist ultranationalist militant hardline hard-line radical extreme leftist marxist
fascist neo-nazi jihadi takfiri nativist isolationist hawkish dovish authoritarian totalitarian
diehard die-hard hard-core hardcore ardent fervent outspoken conservative right-wing left-wing
huge enormous colossal immense tremendous dramatic soaring plummeting skyrocketing formidable
striking devastating bloody chaotic turbulent tumultuous volatile heated bruising bitter grim
furious irate livid enraged fuming grieving heartbroken distraught anguished exasperated
incensed outraged indignant rattled shaken panicked jittery desperate defiant hostile battered
embattled beleaguered besieged troubled ailing cash-strapped hard-pressed crisis-hit elite
would-be sluggish stagnant
"""

DESCRIPTIVE_ADVERBS = """
secretly covertly stealthily openly abruptly angrily bitterly fiercely bluntly
"""

DESCRIPTIVE_PHRASES = """
under fire
came under fire
at war with
"""

# What turns a descriptive adjective or noun into a verdict: an intensifier before it ("utter
# chaos", "dangerously radical"), or a head after it that sneers ("left-wing mob"), or a fringe
# label pinned on mainstream politics ("radical Democrats", "extreme agenda"). A label on an
# armed group or a movement ("extremist group", "far-right party") stays a plain descriptor.
PROMOTING_INTENSIFIERS = """
too truly dangerously wildly hopelessly frighteningly alarmingly shockingly absurdly insanely
ridiculously outrageously rabidly virulently utter utterly total totally complete completely
absolute absolutely sheer pure downright outright
"""
SNEERING_HEADS = """
mob mobs rantings nonsense lunacy cabal screed tirade zealot zealots ideologue ideologues
fanatics loons crazies nutjobs thugs hordes
"""
# Fringe labels: a verdict when pinned on mainstream politics, a descriptor on a group.
FRINGE_LABELS = """
radical radicals extreme extremist extremists far-left far-right hard-left hard-right
ultra-conservative ultraconservative ultra-liberal ultra-nationalist ultranationalist militant
leftist marxist fascist
"""
MAINSTREAM_HEADS = """
agenda agendas rhetoric democrats democrat democratic republicans republican gop liberals
progressives conservatives leftists policies policy ideas ideology views positions proposals
plan plans bill bills legislation platform candidate candidates politicians lawmakers
congresswoman congressman senator senators governor mayor judges justices prosecutors teachers
media press
"""

# Verbs whose bare/-s forms are everyday nouns; only their -ed/-ing forms count as loaded.
NOUN_LIKE_VERBS = frozenset(
    entry.replace("_", " ")
    for entry in """doctor rig grab loot plot gut gag censor butcher crush fleece fudge scam
    cling bully massacre slaughter wreck smear blunder bungle fumble scramble whitewash prop_up
    stir_up whip_up cover_up hush_up sell_out cave_in dig_in bribe libel scurry rampage
    flounder flail lurch""".split()
)

# Third-person forms that are unambiguous headline verbs ("X slams Y").
SPEECH_VERB_S_FORMS = """
slams lambasts lambastes berates scolds excoriates castigates assails gloats brags boasts
whines grumbles gripes insists admits sneers scoffs rips_into tears_into lashes_out rails_against
backpedals backtracks
"""

IRREGULAR_FORMS = """
spun tore_into torn_into dug_in sold_out
"""

# ---- inflection ----------------------------------------------------------------------------


def entries(block: str) -> list[str]:
    return [entry.replace("_", " ") for entry in block.split()]


def verb_forms(lemma: str) -> set[str]:
    """Base, -s, -ed and -ing forms (over-generating is fine: non-words never match)."""
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    forms = {head}
    if head.endswith("e"):
        stem = head[:-1]
        forms |= {head + "s", head + "d", stem + "ing"}
    elif head.endswith("y") and len(head) > 2 and head[-2] not in "aeiou":
        stem = head[:-1]
        forms |= {stem + "ies", stem + "ied", head + "ing"}
    else:
        plural = head + "es" if head.endswith(("s", "sh", "ch", "x", "z", "o")) else head + "s"
        forms |= {plural, head + "ed", head + "ing"}
        if len(head) >= 3 and head[-1] not in "aeiouwxy" and head[-2] in "aeiou":
            forms |= {head + head[-1] + "ed", head + head[-1] + "ing"}
    return {form + tail for form in forms}


def noun_forms(lemma: str) -> set[str]:
    if " " in lemma:
        return {lemma, lemma + "s"}
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return {lemma, lemma + "es"}
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        return {lemma, lemma[:-1] + "ies"}
    return {lemma, lemma + "s"}


def adverb_forms(adjective: str) -> set[str]:
    if " " in adjective or "-" in adjective:
        return {adjective}
    if adjective.endswith("ic"):
        return {adjective, adjective + "ally"}
    if adjective.endswith("le"):
        return {adjective, adjective[:-1] + "y"}
    if adjective.endswith("y"):
        return {adjective, adjective[:-1] + "ily"}
    return {adjective, adjective + "ly"}


EVALUATIVE = "evaluative"
DESCRIPTIVE = "descriptive"


def loaded_terms() -> dict[str, str]:
    """Every evaluative (reported) surface form, lower case, mapped to its class for notes."""
    return {form: kind for form, (kind, grade) in graded_terms().items() if grade == EVALUATIVE}


def graded_terms() -> dict[str, tuple[str, str]]:
    """Every matched surface form, lower case, mapped to (class, grade)."""
    terms: dict[str, tuple[str, str]] = {}
    for grade, blocks in (
        (EVALUATIVE, _LOADED_BLOCKS),
        (DESCRIPTIVE, _DESCRIPTIVE_BLOCKS),
    ):
        for kind, forms in _class_forms(*blocks):
            for form in forms:
                terms.setdefault(form.lower(), (kind, grade))
    return terms


_LOADED_BLOCKS = (
    LOADED_PHRASES,
    LOADED_SPEECH_VERBS,
    LOADED_VERBS,
    LOADED_NOUNS,
    LOADED_ADJECTIVES,
    LOADED_ADVERBS,
    LOADED_EPITHETS,
    LOADED_BUZZWORDS,
)
_DESCRIPTIVE_BLOCKS = (
    DESCRIPTIVE_PHRASES,
    DESCRIPTIVE_SPEECH_VERBS,
    DESCRIPTIVE_VERBS,
    DESCRIPTIVE_NOUNS,
    DESCRIPTIVE_ADJECTIVES,
    DESCRIPTIVE_ADVERBS,
    "",
    "",
)


def _class_forms(
    phrases: str,
    speech_verbs: str,
    verbs: str,
    nouns: str,
    adjectives: str,
    adverbs: str,
    epithets: str,
    buzzwords: str,
) -> Iterable[tuple[str, Iterable[str]]]:
    """Each block's inflected forms with the class used to phrase notes."""
    yield "phrase", [phrase.strip() for phrase in phrases.strip().splitlines()]
    for lemma in entries(speech_verbs):
        # Bare and -s forms double as nouns ("a blast", "fumes"); past and -ing forms do not.
        yield "speech verb", _marked_forms(lemma)
    if speech_verbs is LOADED_SPEECH_VERBS:
        yield "speech verb", entries(SPEECH_VERB_S_FORMS)
        yield "verb", entries(IRREGULAR_FORMS)
    for lemma in entries(verbs):
        yield "verb", _marked_forms(lemma) if lemma in NOUN_LIKE_VERBS else verb_forms(lemma)
    for lemma in entries(nouns):
        yield "term", noun_forms(lemma)
    for lemma in entries(adjectives):
        yield "term", adverb_forms(lemma)
    yield "term", entries(adverbs)
    yield "epithet", entries(epithets)
    yield "buzzword", entries(buzzwords)


def _marked_forms(lemma: str) -> set[str]:
    head = lemma.partition(" ")[0]
    return {
        form
        for form in verb_forms(lemma)
        if form.partition(" ")[0].endswith(("ed", "ing")) and form.partition(" ")[0] != head
    }
