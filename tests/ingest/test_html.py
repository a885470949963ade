"""HTML: main text and metadata through trafilatura, from files and over a loopback server."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from briefer.errors import InputError
from briefer.ingest import article_from_bytes, article_from_html, load_article

if TYPE_CHECKING:
    from conftest import LoopbackServer

PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Mill reopens after flood repairs | Valley Post</title>
<meta name="author" content="Ines Moreau">
<meta name="date" content="2025-06-02">
<meta property="og:site_name" content="Valley Post">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/weather">Weather</a></nav>
<article>
<h1>Mill reopens after flood repairs</h1>
<p>The old paper mill on the river reopened on Monday after eight months of repairs, its owner
said, and forty workers returned to the production floor for the first shift.</p>
<p>“We rebuilt the turbine hall from the ground up,” the plant manager told the Post. The
repairs cost more than the insurers had first estimated, according to company filings.</p>
<script>document.title = "hijacked";</script>
<p>Residents say the river has been unusually high again this spring, and the town council is
expected to discuss new flood barriers next month.</p>
</article>
<footer>Copyright 2025 Valley Post. All rights reserved. Privacy policy.</footer>
</body></html>
"""


def test_html_extraction_metadata_and_boilerplate() -> None:
    article = article_from_html(PAGE, url="https://valley.example/mill")
    assert article.title == "Mill reopens after flood repairs"
    assert article.author == "Ines Moreau"
    assert article.published == "2025-06-02"
    assert article.outlet == "Valley Post"
    assert article.url == "https://valley.example/mill"
    assert article.text.startswith("Mill reopens after flood repairs\n\nThe old paper mill")
    assert "\n\n“We rebuilt the turbine hall" in article.text  # paragraph breaks kept
    for noise in ("Weather", "Copyright", "Privacy", "hijacked", "document.title"):
        assert noise not in article.text


def test_html_sniffed_for_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "saved.page"
    path.write_text(PAGE, encoding="utf-8")
    assert load_article(str(path)).title == "Mill reopens after flood repairs"


def test_html_without_text_is_an_error() -> None:
    with pytest.raises(InputError, match="no article text found"):
        article_from_bytes(b"<html><body><nav>Home</nav></body></html>", name="x.html")


def test_url_ingest_html(http_server: LoopbackServer) -> None:
    url = http_server.add("/mill.html", PAGE, content_type="text/html; charset=utf-8")
    article = load_article(url)
    assert article.title == "Mill reopens after flood repairs"
    assert article.url == url
    assert "Copyright" not in article.text
    assert http_server.requests[0].headers["user-agent"].startswith("briefer/")


def test_url_follows_redirects_and_sniffs_content(http_server: LoopbackServer) -> None:
    target = http_server.add("/story", PAGE.encode(), content_type=None)
    http_server.add("/old", status=301, headers={"Location": target})
    article = load_article(http_server.url("/old"))
    assert article.url == target
    assert article.outlet == "Valley Post"
