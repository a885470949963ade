from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from briefer.corpus.summary.profile_csv import (
    COLUMNS,
    outlet_figures,
    profile_csv,
    write_profile_csv,
)


def briefing(
    outlet: str | None,
    *,
    claims: int,
    named: int,
    vague: int,
    relayed: int,
    words: int,
    framing: int,
) -> str:
    profile = {
        "claims": claims,
        "named": named,
        "anonymous": claims - named - vague,
        "vague": vague,
        "relayed": relayed,
        "words": words,
    }
    return json.dumps(
        {"article": {"outlet": outlet}, "framing": [{}] * framing, "profile": profile}
    )


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_figures_are_pooled_per_outlet_with_a_corpus_row() -> None:
    lines = [
        briefing("Herald", claims=4, named=2, vague=1, relayed=1, words=1000, framing=3),
        briefing("Herald", claims=6, named=6, vague=0, relayed=0, words=500, framing=0),
        briefing(None, claims=0, named=0, vague=0, relayed=0, words=200, framing=1),
        "",
    ]
    table = rows(profile_csv(outlet_figures(lines)))
    assert list(table[0]) == list(COLUMNS)
    assert [row["outlet"] for row in table] == ["(unknown)", "Herald", "(all outlets)"]
    herald = table[1]
    assert herald["articles"] == "2" and herald["claims"] == "10"
    assert herald["claims_per_article"] == "5.0"
    assert herald["named_share"] == "0.8"  # 8 of 10 claims, not the mean of 0.5 and 1.0
    assert herald["anonymous_share"] == "0.1" and herald["vague_share"] == "0.1"
    assert herald["relayed_share"] == "0.1"
    assert herald["framing_per_1000_words"] == "2.0"  # 3 items in 1,500 words
    unknown = table[0]
    assert unknown["named_share"] == "0.0" and unknown["framing_per_1000_words"] == "5.0"
    total = table[2]
    assert (total["articles"], total["claims"], total["words"]) == ("3", "10", "1700")


def test_an_outlet_name_cannot_become_a_spreadsheet_formula() -> None:
    line = briefing("=HYPERLINK(1)", claims=1, named=1, vague=0, relayed=0, words=10, framing=0)
    assert rows(profile_csv(outlet_figures([line])))[0]["outlet"] == "'=HYPERLINK(1)"


def test_a_briefing_without_profile_counts_as_an_article_only() -> None:
    line = json.dumps({"article": {"outlet": "Old"}, "framing": []})
    row = rows(profile_csv(outlet_figures([line])))[0]
    assert (row["articles"], row["claims"], row["words"]) == ("1", "0", "0")


def test_written_atomically_from_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(
        briefing("A", claims=2, named=1, vague=1, relayed=0, words=100, framing=1) + "\n"
    )
    target = tmp_path / "profile.csv"
    target.write_text("old")
    assert write_profile_csv(out, target) == 1
    assert rows(target.read_text())[0]["outlet"] == "A"
    assert not list(tmp_path.glob(".profile.csv.*"))  # no temporary file left behind
