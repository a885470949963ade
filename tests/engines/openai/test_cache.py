"""The SQLite draft cache."""

from __future__ import annotations

import threading
from pathlib import Path

from briefer.engines.drafts import Draft
from briefer.engines.openai.cache import DraftCache, cache_key


def test_cache_round_trip_and_concurrent_writers(tmp_path: Path) -> None:
    cache = DraftCache(tmp_path / "c.sqlite3")
    keys = [
        cache_key(
            article_sha256=str(n), engine="openai", model="m", prompt_digest="p", llm_schema="1"
        )
        for n in range(40)
    ]
    threads = [
        threading.Thread(target=cache.put, args=(key, Draft(bluf=f"b{i}")))
        for i, key in enumerate(keys)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [cache.get(key).bluf for key in keys] == [f"b{i}" for i in range(40)]  # type: ignore[union-attr]
    assert cache.get("missing") is None
