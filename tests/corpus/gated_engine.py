"""A test engine: the rules engine, except that an article containing ``HOLD`` waits until
the file named by ``BRIEFER_TEST_GATE`` exists. A batch then stops at a known line, with no
timing involved, so a test can kill it there."""

from __future__ import annotations

import os
import time
from pathlib import Path

from briefer.contract import Article
from briefer.engines.drafts import Draft
from briefer.engines.rules import RulesEngine


class GatedEngine(RulesEngine):
    name = "gated"

    def analyze(self, article: Article) -> Draft:
        if "HOLD" in article.text:
            gate = Path(os.environ["BRIEFER_TEST_GATE"])
            while not gate.exists():
                time.sleep(0.05)
        return super().analyze(article)
