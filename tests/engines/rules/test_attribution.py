"""The rules engine's attribution patterns, on sentences written for these tests."""

from __future__ import annotations

import pytest
from rules_fixtures import triples

from briefer.contract import Article
from briefer.engines.rules import RulesEngine
from briefer.engines.rules.attribution import Attribution, find_all, find_attributions


def only(text: str) -> Attribution:
    found = find_attributions(text)
    assert len(found) == 1, triples(text)
    return found[0]


def statements(text: str) -> list[str]:
    return [claim.statement for claim in RulesEngine().analyze(Article(text=text)).claims]


# ---- patterns --------------------------------------------------------------------------------


def test_source_said_that_content() -> None:
    text = "Mayor Ilse Brandt said that the new bridge will open in the spring."
    assert triples(text) == [
        ("Mayor Ilse Brandt", "said", "that the new bridge will open in the spring")
    ]


def test_auxiliaries_and_adverbs_belong_to_the_cue() -> None:
    text = "The harbour authority has also warned that the pier is unsafe."
    assert triples(text) == [
        ("The harbour authority", "has also warned", "that the pier is unsafe")
    ]


def test_according_to_at_sentence_start() -> None:
    text = "According to the Valley Courier, the mill will close by June."
    item = only(text)
    assert text[item.source[0] : item.source[1]] == "the Valley Courier"
    assert text[item.cue[0] : item.cue[1]] == "According to"
    assert text[item.content[0] : item.content[1]] == "the mill will close by June"
    assert item.kind == "media"


def test_according_to_after_the_content() -> None:
    text = "Rents rose by a fifth last year, according to city housing statistics."
    assert triples(text) == [
        ("city housing statistics", "according to", "Rents rose by a fifth last year")
    ]
    assert only(text).kind == "document"


def test_quote_first_with_source_before_cue() -> None:
    text = "\u201cWe will rebuild the school,\u201d Governor Tam Okafor said on Friday."
    item = only(text)
    assert text[item.source[0] : item.source[1]] == "Governor Tam Okafor"
    assert text[item.cue[0] : item.cue[1]] == "said"
    assert text[item.content[0] : item.content[1]] == "\u201cWe will rebuild the school,\u201d"
    assert item.quote == "direct"
    assert item.kind == "official"


def test_quote_first_with_inverted_cue_and_appositive() -> None:
    text = '"The river is rising fast," said Noor Haddad, a ferry pilot.'
    assert triples(text) == [
        ("Noor Haddad, a ferry pilot", "said", '"The river is rising fast,"'),
    ]


def test_quotation_running_on_into_the_next_sentence() -> None:
    text = '"We lost the harvest," said Aldo Reyes. "Nobody came to help us."\n\nLater, rain fell.'
    item = only(text)
    # The content is the whole attributed stretch, speaker tag included (as PolNeAR annotates
    # it); the statement leaves the tag out.
    assert text[item.content[0] : item.content[1]] == (
        '"We lost the harvest," said Aldo Reyes. "Nobody came to help us."'
    )
    assert statements(text) == [
        'Aldo Reyes said: "We lost the harvest" \u2026 "Nobody came to help us."'
    ]


def test_a_tag_with_its_own_attribution_keeps_the_quotations_apart() -> None:
    text = (
        '"The tolls are fair," Mayor Jo Lind said, adding that the council agreed. '
        '"Nobody pays twice."\n\nLater, rain fell.'
    )
    found = find_attributions(text)
    mayor = next(item for item in found if text[item.cue[0] : item.cue[1]] == "said")
    assert text[mayor.content[0] : mayor.content[1]] == '"The tolls are fair,"'
    assert mayor.continued is not None
    assert text[mayor.continued[0] : mayor.continued[1]] == '"Nobody pays twice."'
    assert "adding" in [text[item.cue[0] : item.cue[1]] for item in found]


def test_content_before_source_without_quotes() -> None:
    text = "The ferry will not run this winter, the operator said."
    assert triples(text) == [("the operator", "said", "The ferry will not run this winter")]


def test_told_skips_the_recipient() -> None:
    text = "Ms. Varga told reporters that the talks had collapsed."
    assert triples(text) == [("Ms. Varga", "told", "that the talks had collapsed")]


def test_colon_quote() -> None:
    text = "The coach said: \u201cWe played our best game.\u201d"
    assert triples(text) == [("The coach", "said:", "\u201cWe played our best game.\u201d")]


def test_passive_attribution_has_no_source() -> None:
    text = "It was reported that the minister had resigned."
    item = only(text)
    assert item.source is None
    assert text[item.cue[0] : item.cue[1]] == "was reported"
    assert text[item.content[0] : item.content[1]] == "that the minister had resigned"


def test_pronoun_source() -> None:
    text = "Rhee arrived late. She said the roads were closed."
    assert triples(text) == [("She", "said", "the roads were closed")]
    assert only(text).kind == "person"


def test_relative_pronoun_source_is_named_after_its_antecedent() -> None:
    text = "The plan was backed by Omar Siddiqui, who said it would save money."
    item = only(text)
    assert text[item.source[0] : item.source[1]] == "who"
    assert item.name == "Omar Siddiqui"


def test_coordinated_verbs_share_the_subject() -> None:
    text = "The senator criticized the budget and said schools would suffer."
    assert triples(text) == [
        ("The senator", "criticized", "the budget"),
        ("The senator", "said", "schools would suffer"),
    ]


def test_thoughts_and_intentions_are_attributions() -> None:
    text = "Farmers fear that the drought will last another year."
    assert triples(text) == [("Farmers", "fear", "that the drought will last another year")]


def test_nouns_are_not_cues() -> None:
    assert find_attributions("The report on the flood was long and detailed.") == []
    assert find_attributions("Her claim about the vote drew attention.") == []


def test_cues_inside_quotations_are_not_separate_attributions() -> None:
    text = '"I think the dam will hold," the engineer said.'
    assert triples(text) == [("the engineer", "said", '"I think the dam will hold,"')]


def test_parenthetical_attribution_takes_the_sentence_around_it() -> None:
    text = "The delay, Ms. Ortega writes, began with a dispute over the contract."
    assert triples(text) == [
        (
            "Ms. Ortega",
            "writes",
            "The delay, Ms. Ortega writes, began with a dispute over the contract",
        )
    ]


def test_speaker_label_and_headline_colon() -> None:
    text = "Mayor Lin: Budget Cuts Are Coming Soon\n\nThe board met. Time: 10 a.m. on Monday."
    assert triples(text) == [("Mayor Lin", ":", "Budget Cuts Are Coming Soon")]


def test_quotation_credited_after_a_dash() -> None:
    text = "\u201cWe will vote early this year.\u201d \u2015 Maria Lopez\nMore text follows here."
    assert triples(text) == [("Maria Lopez", "\u2015", "\u201cWe will vote early this year.\u201d")]


def test_question_then_speaker_in_the_next_sentence() -> None:
    text = '"Will the bridge hold?" Kim asked. "Probably," said Lee.'
    assert triples(text) == [
        ("Kim", "asked", '"Will the bridge hold?"'),
        ("Lee", "said", '"Probably,"'),
    ]


def test_sourceless_question() -> None:
    text = "Asked whether she would run again, the mayor smiled."
    item = only(text)
    assert item.source is None
    assert text[item.content[0] : item.content[1]] == "whether she would run again"


def test_participle_continues_the_same_speaker() -> None:
    text = '"We are ready," she said, adding that the crew had trained for a month.'
    assert triples(text) == [
        ("she", "said", '"We are ready,"'),
        ("she", "adding", "that the crew had trained for a month"),
    ]


# ---- nesting and vagueness -------------------------------------------------------------------


def test_nested_attribution_keeps_the_chain() -> None:
    text = (
        "According to the Harbor Gazette, the audit commissioned by the council reveals that "
        "the port lost money for a decade."
    )
    found = find_attributions(text)
    inner = next(a for a in found if text[a.cue[0] : a.cue[1]] == "reveals")
    assert text[inner.source[0] : inner.source[1]] == "the audit commissioned by the council"
    assert inner.kind == "document"
    assert inner.via == ["the Harbor Gazette"]
    assert text[inner.content[0] : inner.content[1]] == "that the port lost money for a decade"
    # One statement, one claim: the Gazette is the chain, not a second claim beside it.
    assert found == [inner]
    # The chain keeps the Gazette's own words as ranges: its name, cue and what it relays.
    (link,) = inner.relays
    assert link.name == "the Harbor Gazette"
    assert text[link.source[0] : link.source[1]] == "the Harbor Gazette"
    assert text[link.cue[0] : link.cue[1]] == "According to"
    assert text[link.content[0] : link.content[1]].startswith("the audit commissioned")


def test_vague_sources() -> None:
    text = "Experts believe the glacier is shrinking faster than expected."
    item = only(text)
    assert item.kind == "vague"
    assert item.vague


def test_vague_attribution_folded_into_another_is_still_reported() -> None:
    text = "Observers say the truce is only temporary, as some imagine."
    kept, folded = find_all(text)
    assert [a.kind for a in kept] == ["vague"]
    assert [text[a.source[0] : a.source[1]] for a in folded] == ["some"]


# ---- datelines, mid-quote speaker tags, pronouns, relative clauses ---------------------------


def test_dateline_is_not_content_and_nested_report_keeps_the_chain() -> None:
    text = (
        "PORT ELLIS \u2014 According to the Tidewater News Agency, a study by the county's "
        "engineers reveals that the sea wall is sinking."
    )
    found = find_attributions(text)
    assert not [item for item in found if item.pattern == "according"]  # it is the chain
    study = next(item for item in found if text[item.cue[0] : item.cue[1]] == "reveals")
    assert study.name == "a study by the county's engineers"
    assert study.kind == "document"
    assert study.via == ["the Tidewater News Agency"]
    assert text[study.content[0] : study.content[1]] == "that the sea wall is sinking"
    assert statements(text)[-1] == (
        "According to the Tidewater News Agency, a study by the county's engineers reveals "
        "that the sea wall is sinking"
    )


def test_dateline_with_region_and_wire_credit_is_skipped() -> None:
    text = "HALDEN, Norway (Wire) \u2014 Officials said the bridge would close."
    assert triples(text) == [("Officials", "said", "the bridge would close")]


def test_mid_quote_speaker_tag_stays_out_of_the_statement() -> None:
    text = (
        "\u201cThe ferry is safe,\u201d Harbour Minister Oda Lund told reporters on Monday. "
        "\u201cI would put my own children on it.\u201d"
    )
    item = only(text)
    assert text[item.content[0] : item.content[1]] == text
    assert text[item.source[0] : item.source[1]] == "Harbour Minister Oda Lund"
    assert statements(text) == [
        "Harbour Minister Oda Lund told reporters on Monday: \u201cThe ferry is safe\u201d "
        "\u2026 \u201cI would put my own children on it.\u201d"
    ]
    # The quotation after the tag is the minister's, not the outlet's own voice.
    draft = RulesEngine().analyze(Article(text=text))
    assert not [f for f in draft.framing if "children" in f.span.text]


def test_pronoun_sources_are_named_after_their_antecedent() -> None:
    text = (
        "The 40-page review, which the ministry ordered in May, was completed last week. "
        "It found that two of the cranes had cracked welds.\n\n"
        "Harbour chief Nils Berg said the cranes would be replaced. "
        "He added that no one had been hurt."
    )
    found = find_attributions(text)
    it = next(item for item in found if text[item.source[0] : item.source[1]] == "It")
    assert (it.name, it.kind) == ("The 40-page review", "document")
    he = next(item for item in found if text[item.source[0] : item.source[1]] == "He")
    assert (he.name, he.kind) == ("Harbour chief Nils Berg", "official")


def test_pronoun_without_a_compatible_antecedent_keeps_its_span_and_is_described() -> None:
    # The previous sentence's subject is plural; "she" must not be pinned on it.
    text = "The dock workers walked out on Tuesday. She said the strike would last a week."
    item = only(text)
    assert text[item.source[0] : item.source[1]] == "She"
    assert (item.name, item.kind, item.unresolved) == (
        'unidentified speaker ("She")',
        "person",
        True,
    )


def test_relative_clause_source_does_not_swallow_the_head_noun() -> None:
    text = (
        "The 80-page survey, which the council said it had commissioned, was published on Friday."
    )
    item = only(text)
    assert text[item.source[0] : item.source[1]] == "the council"
    assert text[item.content[0] : item.content[1]] == "it had commissioned"


def test_participle_after_a_determiner_subject_takes_the_whole_noun_phrase() -> None:
    text = (
        "The harbour board has asked the court to drop the case, contending that the "
        "limits were published."
    )
    sources = {text[a.source[0] : a.source[1]] for a in find_attributions(text) if a.source}
    assert "The" not in sources
    assert "The harbour board" in sources


def test_participle_inside_a_reported_clause_takes_that_clause_subject() -> None:
    text = (
        "Court filings show that three bakeries are seeking damages from the city, arguing that "
        "the permit fees were unlawful."
    )
    arguing = next(
        item for item in find_attributions(text) if text[item.cue[0] : item.cue[1]] == "arguing"
    )
    assert text[arguing.source[0] : arguing.source[1]] == "three bakeries"


def test_pronoun_after_a_subordinate_clause_takes_its_subject() -> None:
    text = (
        "The mill closed in May. When the county officials visited the site, they found "
        "that the boilers had been disconnected."
    )
    item = next(a for a in find_attributions(text) if text[a.source[0] : a.source[1]] == "they")
    assert item.name == "the county officials"


def test_bare_surname_takes_the_full_name_given_earlier() -> None:
    text = (
        "Health Minister Ingrid Solberg said the clinic would stay open. "
        "Later, Solberg said the budget was fixed."
    )
    names = [item.name for item in find_attributions(text)]
    assert names == ["Health Minister Ingrid Solberg", "Health Minister Ingrid Solberg"]


def test_the_noun_takes_the_one_earlier_name_ending_in_it() -> None:
    text = (
        "According to the Northern Wire Agency, the mill will close. "
        "The agency said the owners had been told in May."
    )
    names = [item.name for item in find_attributions(text)]
    assert names == ["the Northern Wire Agency", "the Northern Wire Agency"]


def test_the_noun_stays_when_two_earlier_names_end_in_it() -> None:
    text = (
        "The Harbour Agency said the quay was unsafe. The Rail Agency said the line was fine. "
        "The agency said repairs would start in June."
    )
    names = [item.name for item in find_attributions(text)]
    assert names[-1] == "The agency"


# ---- false positives: titles, thin content, hedges, sentence adverbs -------------------------


@pytest.mark.parametrize(
    "text",
    [
        # A topic before the colon ("The ... Affair") is not anyone who could speak.
        "The Harbour Affair: Dock Board Lost Millions\n\nThe board met on Monday.",
        # A bare title followed by a headline deck ("How ...") is a title, not a quotation.
        "Harbour Scandal: How the Money Vanished\n\nThe board met on Monday.",
        "The Harbour Affair: How the Dock Board Lost Millions\n\nThe board met on Monday.",
        "The problem: nobody checked the invoices at all.",
    ],
)
def test_topical_colon_is_not_an_attribution(text: str) -> None:
    assert triples(text) == []


def test_speaker_colon_in_a_heading_still_counts() -> None:
    text = "Mayor Lin: Why I Will Run Again\n\nThe board met on Monday."
    assert triples(text) == [("Mayor Lin", ":", "Why I Will Run Again")]


@pytest.mark.parametrize(
    "text", ["Its designers knew it.", "The senator said so.", "The inspector denied that."]
)
def test_content_of_only_function_words_is_no_claim(text: str) -> None:
    assert triples(text) == []


def test_short_content_with_a_content_word_is_kept() -> None:
    text = "The senator said no deal was possible."
    assert triples(text) == [("The senator", "said", "no deal was possible")]


def test_equative_as_clause_inside_a_condition_is_a_hedge() -> None:
    text = "If the plan is as costly as the figures suggest, the city will struggle."
    assert triples(text) == []


def test_future_memory_of_a_generic_plural_is_speculation() -> None:
    assert triples("Heads must roll, and voters will not forget who looked away.") == []
    assert triples("Residents will not forget who closed the clinic.") == []
    # A named person, a quantified group or a present-tense report stays an attribution.
    assert triples("Jo Li will not forget the day the clinic closed.") != []
    assert triples("Many residents will remember that the clinic closed.") != []
    assert triples("Residents remember that the clinic closed in May.") != []


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Separately, the regulator said the fees were too high.", "the regulator"),
        ("Unsurprisingly the firm denied that it had erred.", "the firm"),
        ("Yesterday the mayor said taxes would rise.", "the mayor"),
        ("Meanwhile officials said the bridge would reopen.", "officials"),
        ("Kelly said the market was calm.", "Kelly"),
    ],
)
def test_sentence_adverbs_are_not_part_of_the_source(text: str, source: str) -> None:
    assert only(text).name == source


def test_participle_keeps_its_adjunct_in_the_source() -> None:
    text = "The motion passed on Tuesday instructs lawyers to examine whether fees are due."
    item = only(text)
    assert text[item.source[0] : item.source[1]] == "The motion passed on Tuesday"
    assert item.kind == "document"


def test_appositive_after_a_speaker_noun_phrase() -> None:
    text = (
        "A spokeswoman for Dune Freight, the smaller of the two carriers, told reporters "
        "that the firm had paid."
    )
    item = only(text)
    assert item.name == "A spokeswoman for Dune Freight"
    assert text[item.content[0] : item.content[1]] == "that the firm had paid"


def test_content_never_starts_inside_a_word() -> None:
    text = (
        "The row was with Omar Haddad, who wanted to unite the factions, but Saif Rahim "
        "ordered his fighters to wait until the winter."
    )
    for item in find_attributions(text):
        start = item.content[0]
        assert start == 0 or not text[start - 1].isalnum(), triples(text)


# ---- one claim per statement, pronouns described ---------------------------------------------


def _shares_half(first: Attribution, second: Attribution) -> bool:
    a, b = first.content, second.content
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return 2 * overlap >= min(a[1] - a[0], b[1] - b[0])


def test_speaker_relayed_by_according_to_is_one_claim_via_the_outer_source() -> None:
    text = (
        "Harbour chief Nils Berg said the dredging would start in May. "
        "Berg added that the channel would be closed for a week, according to the port bulletin."
    )
    added = [a for a in find_attributions(text) if "channel" in text[a.content[0] : a.content[1]]]
    assert len(added) == 1
    assert text[added[0].cue[0] : added[0].cue[1]] == "added"
    assert added[0].via == ["the port bulletin"]
    assert text[added[0].content[0] : added[0].content[1]] == (
        "that the channel would be closed for a week"
    )


def test_a_poll_share_is_not_a_relayed_speaker() -> None:
    text = "According to the county survey, 62 percent of residents said the ferry was too slow."
    item = only(text)
    assert item.name == "the county survey"
    assert item.via == []


def test_a_participle_claim_cuts_the_content_it_sits_in() -> None:
    text = "The mayor praised the lifeguards, noting that nobody had drowned all summer."
    found = find_attributions(text)
    assert [text[a.content[0] : a.content[1]] for a in found] == [
        "the lifeguards",
        "that nobody had drowned all summer",
    ]


def test_no_two_claims_share_half_their_content() -> None:
    text = (
        "According to the Valley Courier, the ministry's audit shows that the dam leaked for "
        "years. The engineer Ada Voss urged residents to leave, saying, "
        "\u201cThe wall is weak.\u201d"
    )
    found = find_attributions(text)
    assert found
    assert not [(a, b) for i, a in enumerate(found) for b in found[i + 1 :] if _shares_half(a, b)]


def test_first_person_outside_a_quotation_is_the_author() -> None:
    text = "I think the new ferry timetable is a mistake."
    item = only(text)
    assert text[item.source[0] : item.source[1]] == "I"
    assert (item.name, item.kind, item.unresolved) == ('the author ("I")', "outlet", False)
    assert statements(text) == ['The author ("I"): I think the new ferry timetable is a mistake']


def test_unresolved_pronoun_is_flagged_and_never_a_bare_name() -> None:
    text = "The regatta was cancelled. He said the wind was too strong."
    draft = RulesEngine().analyze(Article(text=text))
    assert [c.source_name for c in draft.claims] == ['unidentified speaker ("He")']
    assert draft.claims[0].source is not None and draft.claims[0].source.text == "He"
    assert [f.code for f in draft.flags] == ["unresolved_source"]
    assert draft.flags[0].span is not None and draft.flags[0].span.text == "He"  # findable


def test_resolved_pronoun_is_not_flagged() -> None:
    text = (
        "Harbour chief Nils Berg said the cranes would be replaced. He added that no one was hurt."
    )
    draft = RulesEngine().analyze(Article(text=text))
    assert [c.source_name for c in draft.claims] == ["Harbour chief Nils Berg"] * 2
    assert draft.flags == []


def test_a_possessive_short_name_takes_the_words_of_its_span() -> None:
    text = "Her campaign said the rally would go ahead."
    assert only(text).name == "Her campaign"


# ---- content before an inverted cue, clauses that stay or leave -----------------------------


def test_inverted_cue_after_a_plain_clause() -> None:
    text = "The ferry line has carried 40,000 riders since May, said Oskar Lind, its director."
    assert triples(text) == [
        ("Oskar Lind, its director", "said", "The ferry line has carried 40,000 riders since May")
    ]


def test_appositive_comma_before_the_cue_is_not_an_inversion() -> None:
    text = "Mira Holt, who ran the port for a decade, said Harbor Street would flood again."
    assert triples(text) == [
        ("Mira Holt, who ran the port for a decade,", "said", "Harbor Street would flood again")
    ]


def test_adjunct_with_a_reported_clause_is_content_not_a_speaker_tag() -> None:
    text = (
        "Councillor Ada Brun, who never said the tunnel was unsafe, said on Monday that "
        "the inspection had been rushed."
    )
    found = {(cue, content) for _, cue, content in triples(text)}
    assert ("said", "that the inspection had been rushed") in found


def test_relative_clause_continues_the_reported_clause() -> None:
    text = (
        "The audit said the ferry fund is backed by the regional bank, which has grown much "
        "stronger since the merger."
    )
    assert only(text).content == (
        text.index("the ferry fund"),
        text.index("the merger") + len("the merger"),
    )


def test_relative_clause_with_its_own_speaker_leaves_the_content() -> None:
    text = "Lind said the tolls would rise, which the council said was unlawful."
    assert ("Lind", "said", "the tolls would rise") in triples(text)


def test_actions_inside_a_reported_clause_stay_in_it() -> None:
    text = (
        "The notes add that the talks went through the envoy Ilse Marr, who wanted a quick "
        "deal, but Oskar Lind ordered his staff to wait until spring."
    )
    [item] = find_attributions(text)
    assert text[item.cue[0] : item.cue[1]] == "add"
    assert text[item.content[0] : item.content[1]].endswith("to wait until spring")


def test_a_coordinated_speech_act_is_still_its_own_claim() -> None:
    text = "Lind said the tolls would rise, but the mayor argued that they would fall."
    assert ("the mayor", "argued", "that they would fall") in triples(text)
    assert ("Lind", "said", "the tolls would rise") in triples(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "They admit that the pier is old, but say the repairs can wait until spring.",
            ("They", "say", "the repairs can wait until spring"),
        ),
        (
            "Harbour pilots are worried that the channel will silt up again.",
            ("Harbour pilots", "are worried", "that the channel will silt up again"),
        ),
        (
            "Most skippers see the new quota as a death sentence for small boats.",
            ("Most skippers", "see", "the new quota as a death sentence for small boats"),
        ),
    ],
)
def test_chained_attitude_and_view_cues(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


def test_seeing_without_a_view_is_no_claim() -> None:
    assert triples("The skippers saw the storm coming and stayed in port.") == []


def test_a_partial_quotation_runs_across_its_speaker_tag() -> None:
    text = 'The toll was a "hidden tax," she said, aimed at "drivers who have no choice."'
    assert only(text).content == (0, len(text))


def test_a_cue_keeps_its_preposition() -> None:
    text = "Harbour pilots warned about the silt in the eastern channel."
    assert triples(text) == [("Harbour pilots", "warned about", "the silt in the eastern channel")]


def test_an_opening_conjunction_is_not_the_subject_of_a_coordinated_cue() -> None:
    text = "But the harbour master stayed calm on Monday and said the channel was safe."
    assert triples(text) == [("the harbour master", "said", "the channel was safe")]


def test_a_named_recipient_before_a_bare_clause_is_not_content() -> None:
    text = "Councillor Ada Brun told The Harbour Courier she would vote against the tolls."
    assert triples(text) == [("Councillor Ada Brun", "told", "she would vote against the tolls")]


def test_a_noun_like_cue_before_an_object_pronoun_is_a_verb() -> None:
    text = "Most skippers call them the quiet years of the port."
    assert ("Most skippers", "call", "them the quiet years of the port") in triples(text)


def test_an_impersonal_passive_names_no_source() -> None:
    text = "The council chair is widely expected to call a vote on the levy next week."
    assert triples(text) == [
        (
            None,
            "is widely expected",
            "The council chair is widely expected to call a vote on the levy next week",
        )
    ]
    # Active uses keep their subject as the source.
    assert triples("Okafor expected that the board would vote.") == [
        ("Okafor", "expected", "that the board would vote")
    ]


def test_citing_is_the_subjects_verb_not_a_source_marker() -> None:
    text = "“This is not a hard race,” Ruiz said, citing the low turnout in the county."
    assert ("Ruiz", "citing", "the low turnout in the county") in triples(text)
    assert triples("The board delayed the vote, citing a report by county auditors.") == [
        ("The board", "citing", "a report by county auditors")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Ruiz campaign did not immediately respond to a request for comment.",
            ("The Ruiz campaign", "did not immediately respond to", "a request for comment"),
        ),
        (
            "Asked about the vote on Friday, Ruiz said it was fair.",
            (None, "Asked about", "the vote on Friday"),
        ),
        (
            "Ruiz was asked about the vote during an interview on Friday.",
            (None, "was asked about", "the vote during an interview on Friday"),
        ),
        (
            "The riders were also asked whether the fare was fair.",
            (None, "were also asked", "whether the fare was fair"),
        ),
    ],
)
def test_questions_and_responses_keep_their_preposition_and_passive_questions_no_source(
    text: str, expected: tuple[str | None, str, str]
) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ruiz denounced the levy after Okafor said it would stay.",
            [("Ruiz", "denounced", "the levy"), ("Okafor", "said", "it would stay")],
        ),
        (
            "Many riders have said they will not pay the fare and others have said they are "
            "not interested.",
            [
                ("Many riders", "have said", "they will not pay the fare"),
                ("others", "have said", "they are not interested"),
            ],
        ),
    ],
)
def test_a_later_speaker_in_a_clause_of_its_own_is_a_claim_of_its_own(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The convention is expected to bring 50,000 visitors to the city.",
            [
                (
                    None,
                    "is expected",
                    "The convention is expected to bring 50,000 visitors to the city",
                )
            ],
        ),
        (
            "The summit, which is expected to draw large crowds, opens Monday.",
            [(None, "is expected", "which is expected to draw large crowds")],
        ),
        (
            "Many of her supporters are expected to back him in November, aides said.",
            [("aides", "said", "Many of her supporters are expected to back him in November")],
        ),
    ],
)
def test_an_expectation_is_held_by_no_one_named(
    text: str, expected: list[tuple[str | None, str, str]]
) -> None:
    assert triples(text) == expected


def test_continued_before_a_quotation_is_a_cue_and_before_anything_else_not() -> None:
    assert triples("Limbaugh continued: “The vote was fair.”") == [
        ("Limbaugh", "continued:", "“The vote was fair.”")
    ]
    assert triples("Ruiz continued to work on the plan.") == []


def test_a_poll_headline_reports_the_poll() -> None:
    text = "Harbor vote\n\nPoll: Ruiz and Okafor in a dead heat before the county vote."
    assert ("Poll", ":", "Ruiz and Okafor in a dead heat before the county vote") in triples(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "“The levee will hold,” the engineers’ report said.",
            [("the engineers’ report", "said", "“The levee will hold,”")],
        ),
        (
            "“Fares rise in May,” the transit board statement read.",
            [("the transit board statement", "read", "“Fares rise in May,”")],
        ),
    ],
)
def test_a_document_named_after_a_quotation_is_its_source(
    text: str, expected: list[tuple[str | None, str, str]]
) -> None:
    # "report" and "statement" look like cue words, but after another word of the phrase they
    # are nouns, not a second speech verb claiming the quotation.
    assert triples(text) == expected


def test_police_and_staff_are_sources_without_a_plural_s() -> None:
    assert triples("A ferry worker was hurt at the pier, police said.") == [
        ("police", "said", "A ferry worker was hurt at the pier")
    ]
    assert triples("Clinic staff say the new wing opens in June.") == [
        ("Clinic staff", "say", "the new wing opens in June")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dockers chanted “No cuts!” outside the hall.", [("Dockers", "chanted", "“No cuts!”")]),
        ("“Save the pier!” the crowd chanted.", [("the crowd", "chanted", "“Save the pier!”")]),
        (
            "One banner read “Hands off our harbor.”",
            [("One banner", "read", "“Hands off our harbor.”")],
        ),
        ("The mayor read the report twice before the vote.", []),
        ("The crowd chanted for an hour.", []),
    ],
)
def test_chanting_and_reading_report_words_only_beside_a_quotation(
    text: str, expected: list[tuple[str | None, str, str]]
) -> None:
    assert triples(text) == expected


def test_making_it_clear_is_a_cue() -> None:
    assert triples("Ruiz made it clear that she would not resign.") == [
        ("Ruiz", "made it clear", "that she would not resign")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The port authority is reportedly weighing a new toll on freight.",
            [
                (
                    None,
                    "reportedly",
                    "The port authority is reportedly weighing a new toll on freight",
                )
            ],
        ),
        (
            "Okafor reportedly said the toll was unfair.",
            [("Okafor", "reportedly said", "the toll was unfair")],
        ),
    ],
)
def test_reportedly_attributes_the_clause_to_unnamed_reports(
    text: str, expected: list[tuple[str | None, str, str]]
) -> None:
    assert triples(text) == expected
    if expected[0][0] is None:
        assert find_attributions(text)[0].kind == "anonymous"


def test_a_poll_opening_the_sentence_is_its_source() -> None:
    text = "In a Harbor Gazette poll released Monday, 54 percent backed the new toll."
    assert triples(text) == [
        ("a Harbor Gazette poll released Monday", "In", "54 percent backed the new toll")
    ]
    # Polling places are no poll.
    text = "In a letter about the polling places, the clerk asked for more staff."
    assert [t[1] for t in triples(text)] != ["In"]


def test_a_name_or_reputation_is_not_flagged_as_vague_attribution() -> None:
    # "known as" names a thing and "known for" gives a reputation: no one's claim is borrowed.
    naming = RulesEngine().analyze(Article(text="The pier, known as the Long Mole, reopened."))
    assert not [f for f in naming.framing if f.device == "vague_attribution"]
    believed = RulesEngine().analyze(Article(text="The pier is widely believed to be unsafe."))
    assert [f.device for f in believed.framing] == ["vague_attribution"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # What follows the name is a clause: the name alone is the source.
        (
            "“Tolls will rise,” said Lind, whose home port is a target for the new toll.",
            [("Lind", "said", "“Tolls will rise,”")],
        ),
        # "think tank." ends the sentence: a noun, not the verb "think".
        (
            "“Tolls will rise,” said Rosa Lind, an economist at the Harbor Institute, a liberal "
            "think tank.",
            [
                (
                    "Rosa Lind, an economist at the Harbor Institute, a liberal think tank",
                    "said",
                    "“Tolls will rise,”",
                )
            ],
        ),
        # An -s form after a name, closing a quotation's sentence, is the verb.
        ("“The pier is safe,” Okafor notes.", [("Okafor", "notes", "“The pier is safe,”")]),
        # "it" after a quotation: the body named before.
        ("“The pier is safe,” it said.", [("it", "said", "“The pier is safe,”")]),
    ],
)
def test_speaker_tags_after_a_quotation(
    text: str, expected: list[tuple[str | None, str, str]]
) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An aside between the name and its verb: the verb is the sentence's, not a participle.
        (
            "Mayor Ruiz, meanwhile, warned that the pier could close.",
            [("Mayor Ruiz", "warned", "that the pier could close")],
        ),
        (
            "But Jo Okafor, the port's finance chief, noted that tolls had doubled.",
            [("Jo Okafor, the port's finance chief,", "noted", "that tolls had doubled")],
        ),
        (
            "Okafor's lawyer, Dana Reyes, declined to comment.",
            [("Dana Reyes", "declined", "to comment")],
        ),
        # A capitalised -ly word is a name, not an adverb of the cue.
        (
            "Connolly noted that tolls had doubled.",
            [("Connolly", "noted", "that tolls had doubled")],
        ),
        # A quantifier floating after the auxiliary belongs to the cue.
        (
            "Ruiz and Okafor have both argued that the toll is unfair.",
            [("Ruiz and Okafor", "have both argued", "that the toll is unfair")],
        ),
        # An aside set off by dashes goes with the source before it.
        (
            "Dock workers — including crane operators and pilots — said the toll is unfair.",
            [
                (
                    "Dock workers — including crane operators and pilots —",
                    "said",
                    "the toll is unfair",
                )
            ],
        ),
    ],
)
def test_source_phrases_with_asides(text: str, expected: list[tuple[str | None, str, str]]) -> None:
    assert triples(text) == expected


def test_a_relative_clause_inside_a_source_ends_with_the_source() -> None:
    text = "Dockers who want to block the toll said the vote was rigged."
    assert ("Dockers who want to block the toll", "said", "the vote was rigged") in triples(text)


def test_a_possessive_before_an_ing_form_makes_it_a_noun() -> None:
    text = "A source familiar with Ruiz’s thinking said the toll would pass."
    assert triples(text) == [
        ("A source familiar with Ruiz’s thinking", "said", "the toll would pass")
    ]
    assert triples("She’s saying that the toll would pass.")[0][1] == "’s saying"


def test_several_observers_after_the_content_are_its_source() -> None:
    text = "The toll was a bigger shock to the docks than to anyone else, said several observers."
    assert triples(text) == [
        (
            "several observers",
            "said",
            "The toll was a bigger shock to the docks than to anyone else",
        )
    ]


def test_a_colon_closing_a_paragraph_introduces_the_next_one() -> None:
    text = (
        "The hearing ran late.\n\nRuiz continued:\n\n“The toll is unfair. It must go.”\n\nShe left."
    )
    assert triples(text) == [("Ruiz", "continued:", "“The toll is unfair. It must go.”")]
    # A heading is no quotation.
    assert triples("Ruiz said:\n\nTolls\n\nThe toll rose.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "As the harbor board noted, the pier has been closed twice.",
            [("the harbor board", "noted", "the pier has been closed twice")],
        ),
        (
            "As Okafor recently warned, the pier may close.",
            [("Okafor", "recently warned", "the pier may close")],
        ),
    ],
)
def test_a_sentence_opening_as_clause_credits_the_rest(
    text: str, expected: list[tuple[str | None, str, str]]
) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "First his deputy, harbor engineer Ana Voss, announced that the pier would close.",
            [("harbor engineer Ana Voss", "announced", "that the pier would close")],
        ),
        (
            "Dana Reyes, acting director of the port, which runs the ferries, said fares rise.",
            [
                (
                    "Dana Reyes, acting director of the port, which runs the ferries,",
                    "said",
                    "fares rise",
                )
            ],
        ),
    ],
)
def test_appositives_with_titles(text: str, expected: list[tuple[str | None, str, str]]) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ruiz tells audiences she will cut the toll.",
            [("Ruiz", "tells", "she will cut the toll")],
        ),
        (
            "Ferry fares doubled in a year, The Harbor Gazette reports.",
            [("The Harbor Gazette", "reports", "Ferry fares doubled in a year")],
        ),
        (
            "Okafor argued that the port had lost its way: “The pier is a ruin,” he said.",
            [
                ("Okafor", "argued", "that the port had lost its way"),
                ("he", "said", "“The pier is a ruin,”"),
            ],
        ),
    ],
)
def test_recipients_closing_tags_and_tagged_quotations(
    text: str, expected: list[tuple[str | None, str, str]]
) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Gazette, citing port records, reported that tolls doubled.",
            [("The Gazette", "reported", "that tolls doubled")],
        ),
        (
            "Officials at the port, which handles most of the freight, say tolls will rise.",
            [
                (
                    "Officials at the port, which handles most of the freight,",
                    "say",
                    "tolls will rise",
                )
            ],
        ),
        (
            'The page was replaced by a notice that said, "Sorry, but the page is gone."',
            [("that", "said", '"Sorry, but the page is gone."')],
        ),
    ],
)
def test_asides_and_relative_clauses_around_the_source(
    text: str, expected: list[tuple[str | None, str, str]]
) -> None:
    assert triples(text) == expected


def test_a_document_noun_closing_a_sentence_after_a_preposition_is_no_verb() -> None:
    text = "Li said the port was ready to help, according to the audit, from the Harbor documents."
    assert "documents" not in [t[1] for t in triples(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The pier will reopen in May, the mayor told her.",
            [("the mayor", "told", "The pier will reopen in May")],
        ),
        (
            "This is not about me, Ruiz told her aides as she left the stage.",
            [("Ruiz", "told", "This is not about me")],
        ),
        (
            "Tolls rose sharply this year, said union leader Ana Voss.",
            [("union leader Ana Voss", "said", "Tolls rose sharply this year")],
        ),
    ],
)
def test_tags_after_the_content_with_a_recipient_or_a_title(
    text: str, expected: list[tuple[str | None, str, str]]
) -> None:
    assert triples(text) == expected
