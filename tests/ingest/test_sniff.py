"""Sniffing what an input is: HTML or a feed (refused as an article), fast on many comments."""

from __future__ import annotations

import pytest

from briefer.errors import InputError
from briefer.ingest import article_from_bytes, looks_like_feed, looks_like_html


def test_feed_is_not_an_article() -> None:
    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    with pytest.raises(InputError, match="RSS/Atom feed"):
        article_from_bytes(feed, name="feed.xml")


def test_many_leading_comments_are_sniffed_in_linear_time() -> None:
    # Before the sniffing patterns used atomic groups, 30 comments took minutes to reject.
    comments = "<!-- note -->" * 30
    article = article_from_bytes(
        f"{comments}\nThe ferry resumed service on Monday, the operator said.\n".encode(),
        name="comments.dat",
    )
    assert "ferry resumed" in article.text
    page = article_from_bytes(
        (
            f"{comments}<html><head><title>Ferry back</title></head><body>"
            "<p>The ferry resumed service on Monday after a two-week repair, the operator "
            "said in a statement to passengers.</p></body></html>"
        ).encode(),
        name="page.dat",
    )
    assert page.title == "Ferry back"


@pytest.mark.parametrize(
    "head",
    [
        '<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>',
        '<!-- generator --><?xml-stylesheet href="s.xsl"?>\n<feed xmlns="http://www.w3.org/2005/Atom">',
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>",
    ],
)
def test_looks_like_feed_by_root_element(head: str) -> None:
    assert looks_like_feed(head)
    assert looks_like_feed(head.encode())
    assert looks_like_feed(b"\xef\xbb\xbf" + head.encode())  # a UTF-8 byte-order mark


def test_looks_like_feed_by_media_type_only_for_feed_types() -> None:
    for feed_type in ("application/atom+xml", "application/feed+xml", "application/rdf+xml"):
        # One set for ingest (refusing a feed as an article) and digests (reading it).
        assert looks_like_feed("", feed_type)
    assert looks_like_feed(b"<html>", "application/rss+xml")
    assert not looks_like_feed("<html><body>rss</body></html>", "text/html")
    assert not looks_like_feed("The <rss> element is old.", None)


def test_looks_like_html() -> None:
    assert looks_like_html("<!-- a -->\n<!DOCTYPE html><html>")
    assert looks_like_html("  <meta charset='utf-8'><title>T</title>")
    assert not looks_like_html("Text that mentions <html> later.")
