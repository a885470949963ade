"""briefer: news articles in, analyst briefings out.

Attributed claims (who said what) are kept apart from the outlet's own framing, and every item
is tied to the exact characters of the article.
"""

from briefer._version import __version__
from briefer.contract import Article, Briefing
from briefer.pipeline import brief, brief_async
from briefer.pipeline.batch import Outcome, brief_many, brief_many_async

__all__ = [
    "Article",
    "Briefing",
    "Outcome",
    "__version__",
    "brief",
    "brief_async",
    "brief_many",
    "brief_many_async",
]
