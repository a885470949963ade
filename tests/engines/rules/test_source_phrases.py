"""Where the rules engine's source phrases start and end, on sentences written for these tests."""

from __future__ import annotations

import pytest
from rules_fixtures import cues, sources, triples

import briefer


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Pia Moreau, a farmer and former county clerk who ran for mayor in 2019, said the "
            "levy was unfair.",
            "Pia Moreau, a farmer and former county clerk who ran for mayor in 2019,",
        ),
        (
            "And on Friday, Omar Haddad, chair of the Roads and Bridges Committee, said that "
            "the tolls would stay.",
            "Omar Haddad, chair of the Roads and Bridges Committee,",
        ),
        (
            "Ines Varga, a Dayton, Ohio, nurse helping to run the clinic, said she was tired.",
            "Ines Varga, a Dayton, Ohio, nurse helping to run the clinic,",
        ),
        (
            "Bo Lund, whose farm was flooded by the river, said he would rebuild.",
            "Bo Lund, whose farm was flooded by the river,",
        ),
    ],
)
def test_a_name_with_its_asides_is_the_whole_source(text: str, source: str) -> None:
    assert sources(text) == [source]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Bo Lund, in a statement, said he would rebuild.", "Bo Lund"),
        ("Bo Lund, speaking to reporters, said he would rebuild.", "Bo Lund"),
        ("Bo Lund, however, said he would rebuild.", "Bo Lund"),
    ],
)
def test_scene_setting_asides_stay_out_of_the_source(text: str, source: str) -> None:
    assert sources(text) == [source]


def test_a_name_after_an_inverted_cue_is_the_source() -> None:
    text = "Few lawmakers expected the levy to pass, said Tom Reyes, a lobbyist who backed it."
    assert sources(text) == ["Tom Reyes, a lobbyist who backed it"]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("This spring, she left the meeting, saying it was too late.", "she"),
        (
            "Sen. Ada Cole, D-Vt., who faces a hard race, left the room, saying the bill "
            "was flawed.",
            "Sen. Ada Cole, D-Vt., who faces a hard race,",
        ),
        (
            "At a town hall in Ames, Iowa, on Sunday, Ms. Cole stood by the plan, saying it "
            "would pass.",
            "Ms. Cole",
        ),
    ],
)
def test_a_participle_cue_finds_the_subject_past_openers_and_asides(text: str, source: str) -> None:
    assert sources(text) == [source]


@pytest.mark.parametrize(
    "text",
    [
        "The firm's general counsel, Ada Moss, left in May.",
        "She commanded fees of $200,000 for a single speech.",
        "His plan appealed to older voters in the north.",
        "The bank is advising the port on the sale.",
    ],
)
def test_nouns_and_deeds_are_not_speech(text: str) -> None:
    assert sources(text) == []


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ('"We will rebuild," Ines Varga, the mayor, said.', "Ines Varga, the mayor,"),
        (
            "Throughout the spring, council members pushed for the levy, saying it was needed.",
            "council members",
        ),
        ("About four in 10 voters said the levy was fair.", "About four in 10 voters"),
        ("More than half said the levy was fair.", "More than half"),
        ("He met the growers, most of whom said the levy was fair.", "most of whom"),
        (
            "Ada Moss, Bo Lund, and other growers said the levy was fair.",
            "Ada Moss, Bo Lund, and other growers",
        ),
    ],
)
def test_source_phrase_boundaries(text: str, source: str) -> None:
    assert sources(text) == [source]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            '"We will rebuild," said Ada Moss, a fellow at the Hoover Institution.',
            "Ada Moss, a fellow at the Hoover Institution",
        ),
        (
            '"We will rebuild," said Ada Moss, who ran the fund for a decade.',
            "Ada Moss, who ran the fund for a decade",
        ),
        ('"We will rebuild," said Ada Moss at the rally.', "Ada Moss"),
    ],
)
def test_source_after_the_cue(text: str, source: str) -> None:
    assert sources(text) == [source]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Dairy farmers and local bakers said the levy was fair.",
            "Dairy farmers and local bakers",
        ),
        ("The growers' union and some economists said the levy was fair.", None),
        ("Moss beat Democrats and aides said the levy was fair.", "aides"),
    ],
)
def test_two_subjects_joined_by_and(text: str, source: str | None) -> None:
    expected = source or text.split(" said")[0]
    assert sources(text) == [expected]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Ada Moss, who has fought the levy all year, on Friday described it as unfair.",
            "Ada Moss, who has fought the levy all year,",
        ),
        (
            "It was a long shot, but Bo Lund was in Dover on Tuesday, arguing that it could pass.",
            "Bo Lund",
        ),
        ("Growers were quick to react, with Ada Moss warning that prices would rise.", "Ada Moss"),
        ("Here in Dover, the growers gathered on Monday, saying prices would rise.", "the growers"),
    ],
)
def test_who_a_cue_belongs_to_past_days_and_clauses(text: str, source: str) -> None:
    assert sources(text) == [source]


def test_it_can_be_the_source_and_takes_its_antecedent() -> None:
    text = "Headline\n\nThe county audit was released on Monday. It said the ferry lost money."
    (claim,) = briefer.brief(text, engine="rules").claims
    assert claim.source.span is not None and claim.source.span.text == "It"
    assert claim.source.name == "The county audit"


@pytest.mark.parametrize(
    "text",
    [
        "Dover (Reuters) - Mayor Ada Moss said on Friday that the levy was fair.",
        "Jan 4 (AFP) \u2013 Mayor Ada Moss said on Friday that the levy was fair.",
    ],
)
def test_a_wire_dateline_is_not_part_of_the_source(text: str) -> None:
    assert sources(text) == ["Mayor Ada Moss"]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Warren appeared with the mayor, saying that the levy was fair.", "Warren"),
        (
            "With 50 days to go, Ada Moss, a senior adviser to the growers, called the levy "
            '"a disgrace" on Friday.',
            "Ada Moss, a senior adviser to the growers,",
        ),
        (
            "U.S. District Judge Ada B. Moss imposed a fine, saying the levy was unpaid.",
            "U.S. District Judge Ada B. Moss",
        ),
        (
            "Sen. Ada Moss (a first-term Democrat from the coast) says the levy is unfair.",
            "Sen. Ada Moss (a first-term Democrat from the coast)",
        ),
        ("At least half of the growers say the levy is unfair.", "At least half of the growers"),
        (
            "Rep. Ada Moss (D-Vt.), chair of the farm caucus, said the levy was unfair.",
            "Rep. Ada Moss (D-Vt.), chair of the farm caucus,",
        ),
        (
            "Bo Lund, who farms by the river, in 2019 said the levy was unfair.",
            "Bo Lund, who farms by the river,",
        ),
    ],
)
def test_more_source_shapes(text: str, source: str) -> None:
    assert sources(text) == [source]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He\u2019s not saying that the levy is fair.", [("He", "\u2019s not saying")]),
        ("It was Moss who's suggesting that the levy is fair.", [("who", "'s suggesting")]),
        (
            "The growers released a statement Friday saying the levy was unfair.",
            [("The growers", "released a statement Friday saying")],
        ),
        ("The growers are convinced that the levy is unfair.", [("The growers", "are convinced")]),
        ("Moss has said for years that the levy is unfair.", [("Moss", "has said")]),
    ],
)
def test_cue_spans(text: str, expected: list[tuple[str | None, str]]) -> None:
    assert cues(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moss opened the meeting by saying that the levy was unfair.", [("Moss", "saying")]),
        ("A new poll shows Ada Moss ahead in the race.", [("A new poll", "shows")]),
        ("Moss calls the levy a disgrace.", [("Moss", "calls")]),
        ("Moss continued to say that the levy was unfair.", [("Moss", "continued to say")]),
        (
            "At the mill - a red barn by the river - Bo Lund said the levy was unfair.",
            [("Bo Lund", "said")],
        ),
        ("The port has been warning that it is short of cash.", [("The port", "has been warning")]),
        ("The growers have been critical of the levy.", [("The growers", "have been critical of")]),
        (
            "Moss, whose farm lies by the river, last year proposed a levy on barges.",
            [("Moss, whose farm lies by the river,", "proposed")],
        ),
        ("Moss went on to argue that the levy was unfair.", [("Moss", "went on to argue")]),
        (
            "Moss was quick to point out that the levy was unfair.",
            [("Moss", "was quick to point out")],
        ),
        # "of saying": the accused is not the one the clause's subject reports.
        ("Growers accused the board of saying nothing.", [("Growers", "accused")]),
    ],
)
def test_verb_readings_of_gerunds_and_noun_like_cues(
    text: str, expected: list[tuple[str | None, str]]
) -> None:
    assert cues(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "In a long interview with The Harbor Gazette, Mayor Ruiz defended the budget and "
            "said the levy would stay.",
            ("Mayor Ruiz", "said"),
        ),
        (
            "Speaking to reporters at the depot on Monday, Tomas Berg praised the drivers but "
            "warned that the route would close.",
            ("Tomas Berg", "warned"),
        ),
        (
            "Asked on Friday whether she would run again, Nell Okafor laughed and said the "
            "choice was not hers.",
            ("Nell Okafor", "said"),
        ),
    ],
)
def test_a_coordinated_cue_takes_the_subject_after_a_long_opener(
    text: str, expected: tuple[str, str]
) -> None:
    assert expected in cues(text)


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Only 52 percent of the riders said the fare was fair.", "Only 52 percent of the riders"),
        ("Only about four in 10 riders said the fare was fair.", "Only about four in 10 riders"),
        ("Neither Ruiz nor Okafor said the vote was fair.", "Neither Ruiz nor Okafor"),
        (
            "But he and two county engineers agree it will be hard to finish.",
            "he and two county engineers",
        ),
    ],
)
def test_limiting_and_paired_words_belong_to_the_source(text: str, source: str) -> None:
    assert sources(text) == [source]


@pytest.mark.parametrize(
    "text",
    [
        "Ruiz served for eight years in the United States Senate before the vote.",
        "Tomas Berg, who runs a liberal think tank in the city, lost the seat.",
        "After a poor showing in the county vote, Ruiz left the race.",
        "Hundreds of riders showed up at the depot on Monday.",
        "Ruiz shared a syllabus for a psychology class called “Perception” on Monday.",
        "After the vote, Ruiz found himself in a fight with the board.",
        "The board found ways to keep the depot open.",
    ],
)
def test_names_nouns_and_phrasal_verbs_are_not_cues(text: str) -> None:
    assert cues(text) == []


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Turnout rose by a third, according to a county survey released on Thursday.",
            "a county survey released on Thursday",
        ),
        (
            "Turnout rose by a third, according to officials who were at the count.",
            "officials who were at the count",
        ),
        ("Turnout rose by a third, according to Jo Li, a county clerk.", "Jo Li, a county clerk"),
        ("Turnout rose, according to Jo Li, a county clerk, and the levy passed.", "Jo Li"),
        (
            "Iran lost fighters according to official statistics and tens of billions of "
            "dollars to save the regime in battles.",
            "official statistics",
        ),
        (
            "Turnout rose, according to Democratic and independent analysts.",
            "Democratic and independent analysts",
        ),
        ("Turnout rose by a third (according to exit polls).", "exit polls"),
        ("Turnout rose, according to the survey, and the levy passed easily.", "the survey"),
    ],
)
def test_a_closing_according_to_source_runs_to_the_sentence_end(text: str, source: str) -> None:
    assert sources(text) == [source]


def test_a_parenthesis_around_according_to_stays_out_of_the_content() -> None:
    assert triples("Turnout rose by a third (according to exit polls).") == [
        ("exit polls", "according to", "Turnout rose by a third")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A video of the meeting shows her leaving early.", ("A video of the meeting", "shows")),
        ("Polls there show Ruiz is trailing in the county.", ("Polls", "show")),
        ("Exit polling shows she won most voters under 30.", ("Exit polling", "shows")),
        ("Public records show little evidence of the gifts.", ("Public records", "show")),
    ],
)
def test_show_after_a_document_noun_is_a_verb(text: str, expected: tuple[str, str]) -> None:
    assert expected in cues(text)


def test_show_as_a_noun_is_no_cue() -> None:
    assert cues("Ruiz hosted one of his shows in the city last week.") == []


def test_an_intention_verb_after_a_name_is_a_cue_and_after_a_possessive_a_noun() -> None:
    assert ("Mayor Ruiz", "plans") in cues("Mayor Ruiz plans to call a vote on the levy.")
    assert cues("Mayor Ruiz's plans to call a vote were dropped.") == []


def test_an_attack_in_words_is_a_cue_and_a_physical_one_not() -> None:
    assert ("Ruiz", "attacked") in cues("Ruiz attacked Okafor for his vote on the levy.")
    assert ("Ruiz", "attacked") in cues("Ruiz attacked his record on taxes.")
    assert cues("The gunman attacked the club on Sunday.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ruiz discussed the levy with reporters on Friday.", ("Ruiz", "discussed")),
        ("Okafor retweeted a post calling the vote rigged.", ("Okafor", "retweeted")),
    ],
)
def test_discussing_and_retweeting_are_speech(text: str, expected: tuple[str, str]) -> None:
    assert expected in cues(text)
