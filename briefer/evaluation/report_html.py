"""The page shell the evaluation error reports share: one self-contained HTML document."""

from __future__ import annotations

import html

# Layout common to every report; each report adds the colours of its own outcomes.
BASE_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:1400px;color:#222}
table{border-collapse:collapse;width:100%}
td,th{vertical-align:top;text-align:left}
th{background:#f3f3f3}
.legend span{padding:2px 6px;margin-right:6px}
"""


def html_page(title: str, body: str, style: str = "") -> str:
    """A complete page; ``title`` is plain text (escaped here), ``body`` is already HTML."""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{BASE_STYLE}{style}</style></head>"
        f"<body>{body}</body></html>\n"
    )
