"""Articles written for the corpus tests, and JSONL files of them."""

from __future__ import annotations

import json
from pathlib import Path

OUTLETS = ("Harbour Herald", "Coast Courier")


def article_text(number: int) -> str:
    """A short article of our own with claims, a quotation and some framing."""
    return (
        f"Dredging plan for berth {number}\n\n"
        f"The port authority said on Monday that dredging of berth {number} would finish by "
        f'spring. "We expect the ships to come back," said Mira Okafor, the authority\'s '
        f"director. Critics claim the plan is a reckless gamble with public money. According "
        f"to a council report, costs rose by {number} percent. Some say the works will never "
        "end.\n"
    )


def article_record(number: int, **extra: object) -> dict[str, object]:
    return {
        "id": f"a{number:03d}",
        "text": article_text(number),
        "title": f"Berth {number}",
        "outlet": OUTLETS[number % 2],
        **extra,
    }


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path
