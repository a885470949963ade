from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pytest
from corpus_fixtures import article_text, write_jsonl

from briefer.corpus.inputs import FileArticle, Limits, UrlArticle, read_inputs
from briefer.errors import InputError

LIMITS = Limits(max_bytes=1_000_000, timeout=5.0)


def test_jsonl_keeps_ids_fields_and_order(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "z", "text": "First text.", "outlet": "Herald", "published": "2026-01-02"},
            {"text": "Second text.", "title": "Two"},
            {"id": 7, "text": "Third text."},
        ],
    )
    items = read_inputs([str(path)], LIMITS)
    assert [item.id for item in items] == ["z", f"{path}:2", "7"]
    first = items[0].resolve()
    assert (first.id, first.outlet, first.published) == ("z", "Herald", "2026-01-02")
    assert items[1].resolve().title == "Two"


def test_jsonl_reads_polnear_style_meta(tmp_path: Path) -> None:
    record = {
        "id": "p1",
        "text": "Body.",
        "meta": {"publisher": "coast", "publication_date": "2016-05-01", "title": "T"},
    }
    article = read_inputs([str(write_jsonl(tmp_path / "p.jsonl", [record]))], LIMITS)[0].resolve()
    assert (article.outlet, article.published, article.title) == ("coast", "2016-05-01", "T")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "a.jsonl:2: not a JSON object"),
        ("[1, 2]", "a.jsonl:2: not a JSON object"),
        ('{"id": "x"}', "a.jsonl:2: no 'text' string"),
        ('{"id": true, "text": "t"}', "'id' must be a string or a number"),
        ('{"text": "t", "outlet": {"a": 1}}', "'outlet' must be a string"),
    ],
)
def test_bad_jsonl_lines_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "ok", "text": "Fine."}) + "\n" + line + "\n")
    with pytest.raises(InputError, match=message.replace("[", r"\[")):
        read_inputs([str(path)], LIMITS)


def test_repeated_ids_are_refused(tmp_path: Path) -> None:
    one = write_jsonl(tmp_path / "one.jsonl", [{"id": "x", "text": "A."}])
    two = write_jsonl(tmp_path / "two.jsonl", [{"id": "x", "text": "B."}])
    with pytest.raises(InputError, match=r"id .x. is used by .*one.jsonl:1 and .*two.jsonl:1"):
        read_inputs([str(one), str(two)], LIMITS)


def test_folder_lists_article_files_sorted(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_text(article_text(1))
    (folder / "sub" / "a.md").write_text(article_text(2))
    (folder / ".hidden.txt").write_text(article_text(3))
    (folder / "notes.csv").write_text("x,y")
    items = read_inputs([str(folder)], LIMITS)
    assert [item.id for item in items] == [str(folder / "b.txt"), str(folder / "sub" / "a.md")]
    assert all(isinstance(item.load, FileArticle) for item in items)
    assert items[0].resolve().id == str(folder / "b.txt")


def test_empty_folder_and_missing_path_are_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"has no \.txt/\.md/\.html files"):
        read_inputs([str(tmp_path)], LIMITS)
    with pytest.raises(InputError, match="does not exist"):
        read_inputs([str(tmp_path / "nope.jsonl")], LIMITS)


def test_a_file_of_urls_is_a_url_list_and_an_article_is_not(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("# to read\nhttps://example.org/a\n\nhttp://example.org/b\n")
    article = tmp_path / "story.txt"
    article.write_text("See https://example.org/a\nfor the rest of the story.\n")
    items = read_inputs([str(urls), str(article)], LIMITS)
    assert [item.id for item in items] == [
        "https://example.org/a",
        "http://example.org/b",
        str(article),
    ]
    assert isinstance(items[0].load, UrlArticle) and not items[0].local
    assert isinstance(items[2].load, FileArticle) and items[2].local


def test_a_url_list_is_fetched_from_a_loopback_server(tmp_path: Path, http_server) -> None:
    url = http_server.add("/story.txt", article_text(4))
    urls = tmp_path / "urls.txt"
    urls.write_text(url + "\n")
    article = read_inputs([str(urls)], LIMITS)[0].resolve()
    assert article.id == url and "berth 4" in article.text


def test_a_feed_file_gives_its_entries(tmp_path: Path) -> None:
    feed = tmp_path / "news.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Coast</title>'
        "<item><title>One</title><guid>g1</guid><description>"
        + escape("".join(f"<p>{sentence}</p>" for sentence in article_text(5).split(". ")))
        + "</description></item></channel></rss>"
    )
    items = read_inputs([str(feed)], LIMITS)
    # No link to name it by: the id is the digest's stable key for the entry (from its guid).
    assert len(items) == 1 and items[0].id == read_inputs([str(feed)], LIMITS)[0].id
    assert not items[0].portable
    assert "berth 5" in items[0].resolve().text
