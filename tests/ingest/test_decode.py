"""Decoding: byte-order marks, declared charsets (meta tag, HTTP header), strict UTF-8."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefer.ingest import article_from_bytes, load_article

if TYPE_CHECKING:
    from conftest import LoopbackServer


def test_declared_charset_is_honoured() -> None:
    page = '<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body>'
    page += "<p>" + "Le caf\xe9 du port a rouvert ses portes ce matin. " * 5 + "</p></body></html>"
    article = article_from_bytes(page.encode("latin-1"), name="page.html", kind="html")
    assert "café du port" in article.text


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes("Titre\n\nL'été à Nîmes.\n".encode("utf-16"))
    assert load_article(str(path)).text == "Titre\n\nL'été à Nîmes.\n"


def test_url_plain_text_with_header_charset(http_server: LoopbackServer) -> None:
    body = "Headline\n\nCaf\xe9 news.\n".encode("latin-1")
    url = http_server.add("/a.txt", body, content_type="text/plain; charset=iso-8859-1")
    assert load_article(url).text == "Headline\n\nCafé news.\n"
